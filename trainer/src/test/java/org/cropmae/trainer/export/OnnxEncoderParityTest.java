package org.cropmae.trainer.export;

import org.cropmae.trainer.TestFixtures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.onnx.EncoderOptions;
import org.cropmae.runtime.onnx.EncoderOutput;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.cropmae.runtime.tensor.FloatGrid;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reference weights -> our ONNX export -> ONNX Runtime, against the official encoder's outputs. */
class OnnxEncoderParityTest {
  /** Task tolerance for float32 ONNX Runtime vs float32 PyTorch; measured values are far below. */
  private static final double TOLERANCE = 1e-4;

  @TempDir static Path dir;
  static Path model;

  @BeforeAll
  static void export() throws IOException {
    Map<String, NpyArray> sd = TestFixtures.referenceStateDict();
    model = dir.resolve("encoder.onnx");
    OnnxEncoderExporter.export(sd, EncoderArchitecture.infer(sd), model, Map.of());
  }

  @ParameterizedTest(name = "{0} with {1} optimizations")
  @CsvSource({"224x224,ALL", "320x480,ALL", "224x224,DISABLED", "320x480,DISABLED", "320x480,EXTENDED"})
  void matchesOfficialEncoder(String size, EncoderOptions.OptimizationLevel level) throws IOException {
    NpyArray input = TestFixtures.npy("reference/encoder_input_" + size + ".npy");
    float[] expected = TestFixtures.npy("reference/encoder_output_" + size + ".npy").toFloatArray();
    int h = input.dim(2);
    int w = input.dim(3);
    EncoderOptions options = EncoderOptions.defaults()
        .withExecutionProvider(EncoderOptions.ExecutionProvider.CPU).withOptimizationLevel(level).withThreads(1, 1);
    try (OnnxEncoder encoder = OnnxEncoder.open(model, options)) {
      EncoderOutput out = encoder.encode(input.toFloatArray(), 1, h, w);
      double err = maxAbsDiff(out, 0, expected);
      System.out.printf("encoder parity %s (%s): max abs diff %.3g%n", size, level, err);
      assertTrue(err <= TOLERANCE, size + ": max abs diff " + err + " > " + TOLERANCE);
    }
  }

  @Test
  void batchOfTwoMatchesPerImage() throws IOException {
    NpyArray input = TestFixtures.npy("reference/encoder_input_320x480.npy");
    float[] expected = TestFixtures.npy("reference/encoder_output_320x480.npy").toFloatArray();
    float[] one = input.toFloatArray();
    float[] two = new float[2 * one.length];
    System.arraycopy(one, 0, two, 0, one.length);
    System.arraycopy(one, 0, two, one.length, one.length);
    try (OnnxEncoder encoder = OnnxEncoder.open(model, EncoderOptions.defaults().withThreads(1, 1))) {
      EncoderOutput out = encoder.encode(two, 2, 320, 480);
      assertEquals(2, out.count());
      FloatGrid g = out.patchFeatures().get(1);
      assertArrayEquals(new int[] {20, 30, 128}, new int[] {g.height(), g.width(), g.channels()});
      assertTrue(maxAbsDiff(out, 0, expected) <= TOLERANCE);
      assertTrue(maxAbsDiff(out, 1, expected) <= TOLERANCE);
    }
  }

  /** Max |ours - expected| over the cls token and all patch tokens of image {@code i}. */
  static double maxAbsDiff(EncoderOutput out, int i, float[] expected) {
    float[] cls = out.clsToken(i);
    float[] patches = out.patchFeatures().get(i).values();
    assertEquals(expected.length, cls.length + patches.length, "token count");
    double max = 0;
    for (int c = 0; c < cls.length; c++) {
      max = Math.max(max, Math.abs(cls[c] - expected[c]));
    }
    for (int k = 0; k < patches.length; k++) {
      max = Math.max(max, Math.abs(patches[k] - expected[cls.length + k]));
    }
    return max;
  }
}
