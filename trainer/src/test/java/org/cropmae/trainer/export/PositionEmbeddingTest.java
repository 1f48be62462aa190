package org.cropmae.trainer.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.onnx.EncoderOutput;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The position-embedding path in isolation: with every other weight zero (and unit final-norm
 * scale) the encoder outputs {@code LayerNorm(pos)}, so the exported If/Resize can be checked
 * against an independent implementation of the reference's {@code interpolate_pos_encoding}
 * (PyTorch bicubic, a = -0.75, align_corners=False, the given scale factor driving the mapping)
 * at grid sizes the fixtures do not cover.
 */
class PositionEmbeddingTest {
  private static final EncoderArchitecture ARCH = TinyArch.ARCH;
  private static final int D = ARCH.embedDim();
  private static final int G = ARCH.posGridSize();

  @TempDir static Path dir;
  static Path model;
  static float[] pos;

  @BeforeAll
  static void export() throws IOException {
    Map<String, NpyArray> sd = new LinkedHashMap<>();
    for (Map.Entry<String, NpyArray> e : RandomEncoderWeights.create(ARCH, 11).entrySet()) {
      NpyArray a = e.getValue();
      boolean keep = e.getKey().equals("pos_embed");
      boolean one = e.getKey().equals("norm.weight");
      float[] v = keep ? a.toFloatArray() : new float[a.size()];
      if (one) {
        java.util.Arrays.fill(v, 1f);
      }
      sd.put(e.getKey(), NpyArray.ofFloat32(a.shape(), v));
    }
    pos = sd.get("pos_embed").toFloatArray();
    model = dir.resolve("pos.onnx");
    OnnxEncoderExporter.export(sd, ARCH, model, Map.of());
  }

  @ParameterizedTest(name = "{0}x{1} pixels")
  @CsvSource({
    "32,32", // the trained 4x4 grid, square: the embedding as stored
    "16,64", // 2x8 = 16 patches like the trained grid but not square: resized
    "24,24", // square 3x3: resized down
    "40,56", // 5x7
    "72,48" // 9x6
  })
  void matchesReferenceInterpolation(int height, int width) throws IOException {
    int gh = height / ARCH.patchSize();
    int gw = width / ARCH.patchSize();
    float[] expected = expectedTokens(height, width, gh, gw);
    try (OnnxEncoder encoder = OnnxEncoder.open(model, OnnxWriterTest.cpu())) {
      EncoderOutput out = encoder.encode(new float[3 * height * width], 1, height, width);
      double err = OnnxEncoderParityTest.maxAbsDiff(out, 0, expected);
      assertTrue(err <= 1e-5, height + "x" + width + ": max abs diff " + err);
    }
  }

  /** {@code LayerNorm(cls_pos ++ interpolate_pos_encoding(...))}, in double precision. */
  private static float[] expectedTokens(int height, int width, int gh, int gw) {
    int n = G * G;
    double[][] tokens = new double[1 + gh * gw][D];
    for (int c = 0; c < D; c++) {
      tokens[0][c] = pos[c];
    }
    boolean asStored = gh * gw == n && height == width;
    double[][] rows = asStored ? identity(G) : weights(G, gh, (gh + 0.1) / G);
    double[][] cols = asStored ? identity(G) : weights(G, gw, (gw + 0.1) / G);
    assertEquals(gh, rows.length);
    for (int y = 0; y < gh; y++) {
      for (int x = 0; x < gw; x++) {
        for (int i = 0; i < G; i++) {
          for (int j = 0; j < G; j++) {
            double wt = rows[y][i] * cols[x][j];
            if (wt != 0) {
              for (int c = 0; c < D; c++) {
                tokens[1 + y * gw + x][c] += wt * pos[(1 + i * G + j) * D + c];
              }
            }
          }
        }
      }
    }
    float[] out = new float[tokens.length * D];
    for (int t = 0; t < tokens.length; t++) {
      double mean = 0;
      for (double v : tokens[t]) {
        mean += v / D;
      }
      double var = 0;
      for (double v : tokens[t]) {
        var += (v - mean) * (v - mean) / D;
      }
      for (int c = 0; c < D; c++) {
        out[t * D + c] = (float) ((tokens[t][c] - mean) / Math.sqrt(var + ARCH.layerNormEps()));
      }
    }
    return out;
  }

  private static double[][] identity(int n) {
    double[][] m = new double[n][n];
    for (int i = 0; i < n; i++) {
      m[i][i] = 1;
    }
    return m;
  }

  /**
   * Bicubic interpolation weights {@code [out][in]}: source {@code (o + 0.5) / scale - 0.5}, four
   * taps from {@code floor(src) - 1}, indices clamped to the border (PyTorch's upsample_bicubic2d).
   */
  private static double[][] weights(int in, int out, double scale) {
    double a = -0.75;
    double[][] m = new double[out][in];
    for (int o = 0; o < out; o++) {
      double src = (o + 0.5) / scale - 0.5;
      int i0 = (int) Math.floor(src);
      double t = src - i0;
      double[] k = {
        ((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a,
        ((a + 2) * t - (a + 3)) * t * t + 1,
        ((a + 2) * (1 - t) - (a + 3)) * (1 - t) * (1 - t) + 1,
        ((a * (2 - t) - 5 * a) * (2 - t) + 8 * a) * (2 - t) - 4 * a
      };
      for (int j = 0; j < 4; j++) {
        m[o][Math.min(Math.max(i0 - 1 + j, 0), in - 1)] += k[j];
      }
    }
    return m;
  }
}
