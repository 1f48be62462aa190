package org.cropmae.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.io.NpyDType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reference checkpoints written by the official CropMAE trainer (PyTorch 1.13 and 2.11). */
class TorchCheckpointFixtureTest {
  // Architecture of the fixtures, as listed in reference/train_expected.json.
  private static final int IMG = 224;
  private static final int PATCH = 16;
  private static final int EMBED = 128;
  private static final int DEPTH = 3;
  private static final int MLP_RATIO = 4;
  private static final int DEC_EMBED = 64;
  private static final int DEC_DEPTH = 2;
  // torch.nn.TransformerDecoderLayer's default dim_feedforward, used by the official decoder blocks.
  private static final int DEC_FF = 2048;

  private static TorchCheckpoint torch113;
  private static TorchCheckpoint torch211;

  @BeforeAll
  static void read() throws IOException {
    torch113 = TorchCheckpoint.read(CheckpointFiles.fixture("checkpoint.pth"));
    torch211 = TorchCheckpoint.read(CheckpointFiles.fixture("checkpoint_torch2.pth"));
  }

  /** Parameter name to shape, in the order Module.state_dict() lists them. */
  static Map<String, int[]> expectedShapes() {
    int tokens = (IMG / PATCH) * (IMG / PATCH) + 1;
    Map<String, int[]> s = new LinkedHashMap<>();
    s.put("cls_token", new int[] {1, 1, EMBED});
    s.put("pos_embed", new int[] {1, tokens, EMBED});
    s.put("mask_token", new int[] {1, 1, DEC_EMBED});
    s.put("decoder_pos_embed", new int[] {1, tokens, DEC_EMBED});
    s.put("patch_embed.proj.weight", new int[] {EMBED, 3, PATCH, PATCH});
    s.put("patch_embed.proj.bias", new int[] {EMBED});
    for (int b = 0; b < DEPTH; b++) {
      String p = "blocks." + b + ".";
      s.put(p + "norm1.weight", new int[] {EMBED});
      s.put(p + "norm1.bias", new int[] {EMBED});
      s.put(p + "attn.qkv.weight", new int[] {3 * EMBED, EMBED});
      s.put(p + "attn.qkv.bias", new int[] {3 * EMBED});
      s.put(p + "attn.proj.weight", new int[] {EMBED, EMBED});
      s.put(p + "attn.proj.bias", new int[] {EMBED});
      s.put(p + "norm2.weight", new int[] {EMBED});
      s.put(p + "norm2.bias", new int[] {EMBED});
      s.put(p + "mlp.fc1.weight", new int[] {MLP_RATIO * EMBED, EMBED});
      s.put(p + "mlp.fc1.bias", new int[] {MLP_RATIO * EMBED});
      s.put(p + "mlp.fc2.weight", new int[] {EMBED, MLP_RATIO * EMBED});
      s.put(p + "mlp.fc2.bias", new int[] {EMBED});
    }
    s.put("norm.weight", new int[] {EMBED});
    s.put("norm.bias", new int[] {EMBED});
    s.put("decoder_embed.weight", new int[] {DEC_EMBED, EMBED});
    s.put("decoder_embed.bias", new int[] {DEC_EMBED});
    for (int b = 0; b < DEC_DEPTH; b++) {
      String p = "decoder_blocks." + b + ".";
      for (String attn : List.of("self_attn", "multihead_attn")) {
        s.put(p + attn + ".in_proj_weight", new int[] {3 * DEC_EMBED, DEC_EMBED});
        s.put(p + attn + ".in_proj_bias", new int[] {3 * DEC_EMBED});
        s.put(p + attn + ".out_proj.weight", new int[] {DEC_EMBED, DEC_EMBED});
        s.put(p + attn + ".out_proj.bias", new int[] {DEC_EMBED});
      }
      s.put(p + "linear1.weight", new int[] {DEC_FF, DEC_EMBED});
      s.put(p + "linear1.bias", new int[] {DEC_FF});
      s.put(p + "linear2.weight", new int[] {DEC_EMBED, DEC_FF});
      s.put(p + "linear2.bias", new int[] {DEC_EMBED});
      for (String norm : List.of("norm1", "norm2", "norm3")) {
        s.put(p + norm + ".weight", new int[] {DEC_EMBED});
        s.put(p + norm + ".bias", new int[] {DEC_EMBED});
      }
    }
    s.put("decoder_norm.weight", new int[] {DEC_EMBED});
    s.put("decoder_norm.bias", new int[] {DEC_EMBED});
    s.put("decoder_pred.weight", new int[] {PATCH * PATCH * 3, DEC_EMBED});
    s.put("decoder_pred.bias", new int[] {PATCH * PATCH * 3});
    return s;
  }

  @ParameterizedTest
  @ValueSource(strings = {"checkpoint.pth", "checkpoint_torch2.pth"})
  void stateDictHasTheArchitecturesKeysAndShapes(String name) throws IOException {
    TorchCheckpoint ckpt = TorchCheckpoint.read(CheckpointFiles.fixture(name));
    assertEquals(List.of("model", "optimizer", "epoch", "scaler", "args"), new ArrayList<>(ckpt.entryNames()));
    Map<String, NpyArray> sd = ckpt.stateDict();
    Map<String, int[]> expected = expectedShapes();
    assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(sd.keySet()));
    for (Map.Entry<String, int[]> e : expected.entrySet()) {
      NpyArray a = sd.get(e.getKey());
      assertArrayEquals(e.getValue(), a.shape(), e.getKey());
      assertEquals(NpyDType.FLOAT32, a.dtype(), e.getKey());
    }
  }

  @Test
  void torch113AndTorch211FilesHoldIdenticalValues() {
    Map<String, NpyArray> a = torch113.stateDict();
    Map<String, NpyArray> b = torch211.stateDict();
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) {
      assertNotSame(a.get(k), b.get(k));
      assertEquals(a.get(k), b.get(k), k); // NpyArray equality is bitwise on the values
    }
    Map<?, ?> stateA = (Map<?, ?>) ((Map<?, ?>) torch113.entry("optimizer")).get("state");
    Map<?, ?> stateB = (Map<?, ?>) ((Map<?, ?>) torch211.entry("optimizer")).get("state");
    assertEquals(84, stateA.size());
    assertEquals(stateA.keySet(), stateB.keySet());
    for (Object param : stateA.keySet()) {
      Map<?, ?> sa = (Map<?, ?>) stateA.get(param);
      Map<?, ?> sb = (Map<?, ?>) stateB.get(param);
      for (String slot : List.of("step", "exp_avg", "exp_avg_sq")) {
        assertEquals(((TorchTensor) sa.get(slot)).toNpyArray(), ((TorchTensor) sb.get(slot)).toNpyArray(),
            param + "." + slot);
      }
    }
    assertEquals(torch113.entry("epoch"), torch211.entry("epoch"));
    assertEquals(((PickleObject) torch113.entry("args")).fields(), ((PickleObject) torch211.entry("args")).fields());
  }

  /**
   * Values obtained once during development with a throwaway Python script: python3's zipfile and a
   * pickle.Unpickler subclass whose persistent_load maps ('storage', FloatStorage, key, ...) to
   * numpy.frombuffer(zip.read('checkpoint/data/' + key), '<f4') and whose _rebuild_tensor_v2 applies
   * numpy as_strided(offset, size, stride); no torch involved. Printed with repr(np.float32(v).item()).
   */
  @Test
  void valuesMatchAnIndependentNumpyExtraction() {
    Map<String, NpyArray> sd = torch113.stateDict();
    float[] patch = sd.get("patch_embed.proj.weight").toFloatArray();
    assertEquals(0.02801509015262127f, patch[0]);
    assertEquals(-0.06826553493738174f, patch[1]);
    assertEquals(0.016917411237955093f, patch[2]);
    assertEquals(0.04840339720249176f, patch[((127 * 3 + 2) * 16 + 15) * 16 + 15]);
    float[] cls = sd.get("cls_token").toFloatArray();
    assertEquals(0.006680971942842007f, cls[0]);
    assertEquals(0.007338352035731077f, cls[1]);
    assertEquals(-0.01625135727226734f, cls[2]);
    float[] pos = sd.get("pos_embed").toFloatArray();
    assertEquals(0.5037195086479187f, pos[5 * 128 + 7]);
    assertEquals(1.0166819095611572f, pos[196 * 128 + 127]);
    assertEquals(0.02572113275527954f, sd.get("decoder_pred.bias").toFloatArray()[767]);
    assertEquals(0.015573342330753803f, sd.get("blocks.2.mlp.fc2.weight").toFloatArray()[127 * 512 + 511]);
    assertEquals(0.11099162697792053f,
        sd.get("decoder_blocks.1.multihead_attn.in_proj_weight").toFloatArray()[100 * 64 + 33]);

    Map<?, ?> opt = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) torch211.entry("optimizer")).get("state")).get(4L);
    float[] expAvg = ((TorchTensor) opt.get("exp_avg")).toNpyArray().toFloatArray();
    float[] expAvgSq = ((TorchTensor) opt.get("exp_avg_sq")).toNpyArray().toFloatArray();
    int i = ((1 * 3 + 2) * 16 + 3) * 16 + 4;
    assertEquals(-9.451856385567226e-06f, expAvg[i]);
    assertEquals(4.4668793663937834e-10f, expAvgSq[i]);
    TorchTensor step = (TorchTensor) opt.get("step");
    assertEquals(0, step.rank());
    assertEquals(1.0f, step.toNpyArray().toFloatArray()[0]);
  }

  @Test
  void argsNamespaceIsAnInertRecordWithReadableFields() {
    PickleObject args = assertInstanceOf(PickleObject.class, torch113.entry("args"));
    assertEquals("argparse", args.module());
    assertEquals("Namespace", args.name());
    assertTrue(args.args().isEmpty());
    assertEquals(0.985, args.field("masking_ratio"));
    assertEquals(224L, args.field("input_size"));
    assertEquals(Boolean.TRUE, args.field("norm_pix_loss"));
    assertEquals("GlobalToLocal", args.field("crop_strategy"));
    assertEquals(1.5e-4, args.field("blr"));
    assertEquals(13, args.fields().size());
    assertEquals(399L, torch113.entry("epoch"));
    assertEquals(Map.of(), torch113.entry("scaler"));
  }

  @Test
  void optimizerParamGroupsAndStateDictMetadataAreKept() {
    Map<?, ?> group = (Map<?, ?>) ((List<?>) ((Map<?, ?>) torch113.entry("optimizer")).get("param_groups")).get(0);
    assertEquals(1e-4, group.get("lr"));
    assertEquals(List.of(0.9, 0.95), group.get("betas"));
    assertEquals(86, ((List<?>) group.get("params")).size());
    PickleDict model = assertInstanceOf(PickleDict.class, torch113.entry("model"));
    Map<?, ?> metadata = (Map<?, ?>) model.attributes().get("_metadata");
    assertEquals(Map.of("version", 1L), metadata.get("patch_embed"));
  }

  @Test
  void describeReportsFormatRecordsAndEntries() {
    Map<String, String> d1 = torch113.describe();
    assertEquals("checkpoint", d1.get("archive"));
    assertEquals("3", d1.get("version"));
    assertEquals("little (no byteorder record)", d1.get("byteorder"));
    assertEquals("entry 'model': 86 tensors, 1385664 elements, float32", d1.get("state_dict"));
    assertEquals("399", d1.get("entry.epoch"));
    assertTrue(d1.get("entry.args").startsWith("argparse.Namespace(architecture='custom', input_size=224,"),
        d1.get("entry.args"));
    Map<String, String> d2 = torch211.describe();
    assertEquals("little", d2.get("byteorder"));
    assertEquals("1", d2.get(".format_version"));
    assertEquals("64", d2.get(".storage_alignment"));
  }
}
