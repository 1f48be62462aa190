package org.cropmae.trainer.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.onnx.AttentionMaps;
import org.cropmae.runtime.onnx.EncoderContract;
import org.cropmae.runtime.onnx.EncoderOptions;
import org.cropmae.runtime.onnx.EncoderOutput;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.cropmae.trainer.TestFixtures;
import org.cropmae.trainer.checkpoint.TorchCheckpoint;
import org.cropmae.trainer.model.CropMaeConfig;
import org.cropmae.trainer.model.CropMaeModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The exported {@code last_attention} output: reference checkpoint -> our ONNX export -> ONNX Runtime
 * ({@link OnnxEncoder#lastAttention}) against the DJL model's {@link CropMaeModel#lastBlockAttention}
 * on the same weights, and models exported before the output existed.
 */
class LastAttentionExportTest {
  /** Float32 softmax probabilities in [0, 1] from different kernels (ORT vs libtorch): absolute. */
  private static final double TOLERANCE = 1e-4;
  /** A float32 softmax row of at most 601 entries sums to 1 within a few ulps per entry. */
  private static final double ROW_SUM_TOLERANCE = 1e-5;

  @TempDir static Path dir;
  static Path model;
  static TorchCheckpoint checkpoint;

  @BeforeAll
  static void export() throws IOException {
    checkpoint = TorchCheckpoint.read(TestFixtures.path("reference/checkpoint.pth"));
    Map<String, NpyArray> sd = checkpoint.stateDict();
    model = dir.resolve("encoder.onnx");
    OnnxEncoderExporter.export(sd, EncoderArchitecture.infer(sd), model, Map.of());
  }

  private static EncoderOptions cpu(EncoderOptions.OptimizationLevel level) {
    return EncoderOptions.defaults().withExecutionProvider(EncoderOptions.ExecutionProvider.CPU)
        .withOptimizationLevel(level).withThreads(1, 1);
  }

  /**
   * A batch of two at each fixture resolution: the official input, and the same input scaled by
   * -0.5 (a different image, so that a batch mix-up shows).
   */
  @ParameterizedTest(name = "{0} with {1} optimizations")
  @CsvSource({"224x224,ALL", "320x480,ALL", "320x480,DISABLED"})
  void matchesTheDjlLastBlockAttention(String size, EncoderOptions.OptimizationLevel level) throws Exception {
    NpyArray input = TestFixtures.npy("reference/encoder_input_" + size + ".npy");
    int h = input.dim(2);
    int w = input.dim(3);
    float[] one = input.toFloatArray();
    float[] two = new float[2 * one.length];
    for (int i = 0; i < one.length; i++) {
      two[i] = one[i];
      two[one.length + i] = -0.5f * one[i];
    }
    CropMaeConfig config = CropMaeConfig.fromCheckpoint(checkpoint, null);
    float[] want;
    try (CropMaeModel djl = CropMaeModel.fromStateDict(config, checkpoint.stateDictFloat32(), Device.cpu());
        NDManager m = NDManager.newBaseManager(Device.cpu(), CropMaeModel.ENGINE)) {
      want = djl.lastBlockAttention(m.create(two, new Shape(2, 3, h, w))).toFloatArray();
    }
    try (OnnxEncoder encoder = OnnxEncoder.open(model, cpu(level))) {
      assertTrue(encoder.info().hasLastAttention());
      AttentionMaps got = encoder.lastAttention(two, 2, h, w);
      int t = 1 + (h / 16) * (w / 16);
      assertEquals(2, got.count());
      assertEquals(config.numHeads(), got.heads());
      assertEquals(h / 16, got.gridHeight());
      assertEquals(w / 16, got.gridWidth());
      assertEquals(t, got.tokens());
      float[] v = got.values();
      assertEquals(want.length, v.length, "values");
      double err = 0;
      for (int i = 0; i < v.length; i++) {
        err = Math.max(err, Math.abs(v[i] - want[i]));
      }
      double rowErr = 0;
      for (int row = 0; row < v.length / t; row++) {
        double sum = 0;
        for (int k = 0; k < t; k++) {
          assertTrue(v[row * t + k] >= 0f, "negative probability in row " + row);
          sum += v[row * t + k];
        }
        rowErr = Math.max(rowErr, Math.abs(sum - 1));
      }
      System.out.printf("last_attention %s (%s) vs DJL lastBlockAttention: max abs diff %.3g, max |row sum - 1| %.3g%n",
          size, level, err, rowErr);
      assertTrue(err <= TOLERANCE, size + ": max abs diff " + err + " > " + TOLERANCE);
      assertTrue(rowErr <= ROW_SUM_TOLERANCE, size + ": a row sums to 1 +- " + rowErr);
      // The two images differ, and clsToPatches is row 0 of the head without the cls column.
      assertFalse(got.get(0, 0, 0, 1) == got.get(1, 0, 0, 1));
      float[] cls = got.clsToPatches(1, 1);
      assertEquals(t - 1, cls.length);
      assertEquals(got.get(1, 1, 0, 5), cls[4], 0f);
    }
  }

  @Test
  void exportedOutputsAreTheContractsInOrderAndTheBytesAreDeterministic() {
    Map<String, NpyArray> sd = RandomEncoderWeights.create(TinyArch.ARCH, 4);
    Onnx.Model a = OnnxEncoderExporter.buildModel(sd, TinyArch.ARCH, Map.of());
    assertEquals(List.of(EncoderContract.OUTPUT, EncoderContract.PATCH_OUTPUT, EncoderContract.ATTENTION_OUTPUT),
        a.graph().outputs().stream().map(Onnx.ValueInfo::name).toList());
    // The attention output is the last block's Softmax itself, not a copy.
    assertEquals(1, a.graph().nodes().stream()
        .filter(n -> n.outputs().contains(EncoderContract.ATTENTION_OUTPUT) && n.opType().equals("Softmax")).count());
    assertArrayEquals(OnnxWriter.toByteArray(a), OnnxWriter.toByteArray(OnnxEncoderExporter.buildModel(sd, TinyArch.ARCH, Map.of())));
  }

  @Test
  void aModelWithoutTheOutputEncodesButRefusesAttentionInOneLine() throws IOException {
    Onnx.Model full = OnnxEncoderExporter.buildModel(checkpoint.stateDict(),
        EncoderArchitecture.infer(checkpoint.stateDict()), Map.of());
    Path old = dir.resolve("old-export.onnx");
    OnnxWriter.write(withoutOutput(full, EncoderContract.ATTENTION_OUTPUT), old);
    NpyArray input = TestFixtures.npy("reference/encoder_input_224x224.npy");
    float[] expected = TestFixtures.npy("reference/encoder_output_224x224.npy").toFloatArray();
    try (OnnxEncoder encoder = OnnxEncoder.open(old, cpu(EncoderOptions.OptimizationLevel.ALL))) {
      assertFalse(encoder.info().hasLastAttention());
      EncoderOutput out = encoder.encode(input.toFloatArray(), 1, 224, 224);
      assertTrue(OnnxEncoderParityTest.maxAbsDiff(out, 0, expected) <= TOLERANCE);
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> encoder.lastAttention(input.toFloatArray(), 1, 224, 224));
      assertEquals(old + ": this encoder has no 'last_attention' output (exported before attention maps existed); "
          + "re-export it with cropmae export", e.getMessage());
    }
  }

  @Test
  void headCountDisagreeingWithMetadataIsRefused() throws IOException {
    Onnx.Model full = OnnxEncoderExporter.buildModel(RandomEncoderWeights.create(TinyArch.ARCH, 2), TinyArch.ARCH, Map.of());
    Map<String, String> meta = new LinkedHashMap<>(full.metadata());
    meta.put(EncoderContract.NUM_HEADS, "4");
    Path file = dir.resolve("heads.onnx");
    OnnxWriter.write(new Onnx.Model(full.irVersion(), full.opsets(), full.producerName(), full.producerVersion(),
        full.docString(), full.graph(), meta), file);
    IOException e = assertThrows(IOException.class, () -> OnnxEncoder.open(file, cpu(EncoderOptions.OptimizationLevel.ALL)));
    assertEquals(file + ": output 'last_attention' has 2 heads but metadata cropmae.num_heads says 4", e.getMessage());
  }

  /** {@code model} as an export from before {@code output} existed: the value stays, unexposed. */
  static Onnx.Model withoutOutput(Onnx.Model model, String output) {
    Onnx.Graph g = model.graph();
    Onnx.Graph stripped = new Onnx.Graph(g.name(), g.nodes(), g.initializers(), g.inputs(),
        g.outputs().stream().filter(o -> !o.name().equals(output)).toList());
    return new Onnx.Model(model.irVersion(), model.opsets(), model.producerName(), model.producerVersion(),
        model.docString(), stripped, model.metadata());
  }
}
