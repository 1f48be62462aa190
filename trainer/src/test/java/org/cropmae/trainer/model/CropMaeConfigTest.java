package org.cropmae.trainer.model;

import org.cropmae.trainer.TestFixtures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cropmae.runtime.io.NpyArray;
import org.junit.jupiter.api.Test;

class CropMaeConfigTest {

  /** Key order of the reference checkpoint's {@code model} OrderedDict (module registration order). */
  static final List<String> OFFICIAL_ORDER_TOP = List.of("cls_token", "pos_embed", "mask_token",
      "decoder_pos_embed", "patch_embed.proj.weight", "patch_embed.proj.bias");
  static final List<String> OFFICIAL_ORDER_BLOCK = List.of("norm1.weight", "norm1.bias", "attn.qkv.weight",
      "attn.qkv.bias", "attn.proj.weight", "attn.proj.bias", "norm2.weight", "norm2.bias", "mlp.fc1.weight",
      "mlp.fc1.bias", "mlp.fc2.weight", "mlp.fc2.bias");
  static final List<String> OFFICIAL_ORDER_DECODER_BLOCK = List.of("self_attn.in_proj_weight",
      "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
      "multihead_attn.in_proj_weight", "multihead_attn.in_proj_bias", "multihead_attn.out_proj.weight",
      "multihead_attn.out_proj.bias", "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
      "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias", "norm3.weight", "norm3.bias");

  static List<String> officialOrder(int depth, int decoderDepth) {
    List<String> keys = new ArrayList<>(OFFICIAL_ORDER_TOP);
    for (int i = 0; i < depth; i++) {
      for (String k : OFFICIAL_ORDER_BLOCK) {
        keys.add("blocks." + i + "." + k);
      }
    }
    keys.addAll(List.of("norm.weight", "norm.bias", "decoder_embed.weight", "decoder_embed.bias"));
    for (int i = 0; i < decoderDepth; i++) {
      for (String k : OFFICIAL_ORDER_DECODER_BLOCK) {
        keys.add("decoder_blocks." + i + "." + k);
      }
    }
    keys.addAll(List.of("decoder_norm.weight", "decoder_norm.bias", "decoder_pred.weight", "decoder_pred.bias"));
    return keys;
  }

  @Test
  void tinyLayoutIsTheReferenceCheckpoint() throws IOException {
    Map<String, NpyArray> sd = TestFixtures.referenceStateDict();
    Map<String, int[]> shapes = CropMaeConfig.tiny().stateDictShapes();
    assertEquals(sd.keySet(), shapes.keySet());
    for (var e : shapes.entrySet()) {
      assertArrayEquals(sd.get(e.getKey()).shape(), e.getValue(), e.getKey());
    }
    assertEquals(officialOrder(3, 2), new ArrayList<>(shapes.keySet()));
  }

  @Test
  void inferredFromTheReferenceCheckpoint() throws IOException {
    Map<String, NpyArray> sd = TestFixtures.referenceStateDict();
    assertEquals(CropMaeConfig.tiny(), CropMaeConfig.inferFromStateDict(sd, 4).build());
  }

  @Test
  void inferenceNamesAMissingTensor() {
    var e = assertThrows(IllegalArgumentException.class, () -> CropMaeConfig.inferFromStateDict(Map.of(), 4));
    assertTrue(e.getMessage().contains("patch_embed.proj.weight"), e.getMessage());
  }

  @Test
  void presetsFollowTheOfficialTrainer() {
    CropMaeConfig s = CropMaeConfig.vits16();
    assertEquals(224, s.imageSize());
    assertEquals(16, s.patchSize());
    assertEquals(384, s.embedDim());
    assertEquals(12, s.depth());
    assertEquals(6, s.numHeads());
    assertEquals(1536, s.mlpHiddenDim());
    assertEquals(256, s.decoderEmbedDim());
    assertEquals(4, s.decoderDepth());
    assertEquals(8, s.decoderNumHeads());
    assertEquals(2048, s.decoderFfnDim());
    assertEquals(0.985, s.maskRatio());
    assertTrue(s.normPixLoss());
    assertEquals(0.1, s.decoderDropout());
    assertEquals(1e-6, s.layerNormEps());
    assertEquals(196, s.numPatches());
    assertEquals(2, s.numVisiblePatches());
    assertEquals(768, s.patchDim());
    assertEquals(12, CropMaeConfig.vitb16().numHeads());
    assertEquals(768, CropMaeConfig.vitb16().embedDim());
    assertEquals(24, CropMaeConfig.vitl16().depth());
    assertEquals(16, CropMaeConfig.vitl16().numHeads());
    assertEquals(49, CropMaeConfig.builder().maskRatio(0.75).build().numVisiblePatches());
  }

  @Test
  void builderRejectsInconsistentSettings() {
    assertMessage("numHeads", () -> CropMaeConfig.builder().numHeads(5).build());
    assertMessage("decoderNumHeads", () -> CropMaeConfig.builder().decoderNumHeads(3).build());
    assertMessage("patchSize", () -> CropMaeConfig.builder().imageSize(225).build());
    assertMessage("maskRatio", () -> CropMaeConfig.builder().maskRatio(1.0).build());
    assertMessage("maskRatio", () -> CropMaeConfig.builder().maskRatio(Double.NaN).build());
    assertMessage("depth", () -> CropMaeConfig.builder().depth(0).build());
    assertMessage("decoderDropout", () -> CropMaeConfig.builder().decoderDropout(1).build());
    assertMessage("layerNormEps", () -> CropMaeConfig.builder().layerNormEps(0).build());
    assertMessage("multiples of 4", () -> CropMaeConfig.builder().embedDim(390).numHeads(6).build());
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable ex) {
    var e = assertThrows(IllegalArgumentException.class, ex);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
