package org.cropmae.trainer.model;

/**
 * The reference's {@code interpolate_pos_encoding} as a matrix: PyTorch's
 * {@code interpolate(mode='bicubic', scale_factor=((h + 0.1) / g, (w + 0.1) / g))} of a
 * {@code g x g} grid to {@code h x w}. With an explicit scale factor PyTorch maps output index
 * {@code o} to source {@code (o + 0.5) / scale - 0.5} (not {@code (o + 0.5) * g / h - 0.5}), takes
 * the four taps from {@code floor(src) - 1} with the cubic convolution kernel {@code a = -0.75},
 * and clamps tap indices to the border.
 */
final class PositionEmbeddingResize {
  private static final double A = -0.75;

  private PositionEmbeddingResize() {}

  /**
   * @return {@code [h*w, g*g]} row-major float32 weights: resized token {@code (y, x)} is
   *     {@code sum_ij W[y*w + x][i*g + j] * grid[i][j]}
   */
  static float[] matrix(int g, int h, int w) {
    double[][] rows = axis(g, h);
    double[][] cols = axis(g, w);
    int n = g * g;
    float[] out = new float[h * w * n];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = (y * w + x) * n;
        for (int i = 0; i < g; i++) {
          for (int j = 0; j < g; j++) {
            out[r + i * g + j] = (float) (rows[y][i] * cols[x][j]);
          }
        }
      }
    }
    return out;
  }

  /** {@code [out][in]} weights of one axis. */
  private static double[][] axis(int in, int out) {
    // PyTorch keeps the scale factor as given (a double) and uses its reciprocal, in float32 math.
    float scale = (float) (1.0 / ((out + 0.1) / in));
    double[][] m = new double[out][in];
    for (int o = 0; o < out; o++) {
      float src = scale * (o + 0.5f) - 0.5f;
      int i0 = (int) Math.floor(src);
      double t = src - i0;
      double[] k = {
        ((A * (t + 1) - 5 * A) * (t + 1) + 8 * A) * (t + 1) - 4 * A,
        ((A + 2) * t - (A + 3)) * t * t + 1,
        ((A + 2) * (1 - t) - (A + 3)) * (1 - t) * (1 - t) + 1,
        ((A * (2 - t) - 5 * A) * (2 - t) + 8 * A) * (2 - t) - 4 * A
      };
      for (int j = 0; j < 4; j++) {
        m[o][Math.min(Math.max(i0 - 1 + j, 0), in - 1)] += k[j];
      }
    }
    return m;
  }
}
