package org.cropmae.trainer.model;

/**
 * The fixed 2-D sine-cosine position embedding of MAE / CropMAE.
 *
 * <p>For the patch in grid row {@code i}, column {@code j} the first {@code D/2} channels encode the
 * column and the last {@code D/2} the row, each as {@code [sin(x w_k), cos(x w_k)]} for
 * {@code k < D/4} with {@code w_k = 10000^(-k / (D/4))}. Computed in double precision and rounded
 * to float32, as the reference builds it with NumPy before copying it into a float parameter.
 */
public final class SinCosPositionEmbedding {
  private SinCosPositionEmbedding() {}

  /**
   * @param dim channels {@code D}, a multiple of 4
   * @param gridSize side {@code g} of the square patch grid
   * @param clsToken whether to prepend an all-zero row for the cls token
   * @return row-major {@code [(clsToken ? 1 : 0) + g*g, D]}, patches in row-major grid order
   */
  public static float[] create(int dim, int gridSize, boolean clsToken) {
    if (dim <= 0 || dim % 4 != 0) {
      throw new IllegalArgumentException("position embedding dim must be a positive multiple of 4, got " + dim);
    }
    if (gridSize <= 0) {
      throw new IllegalArgumentException("position embedding gridSize must be positive, got " + gridSize);
    }
    int quarter = dim / 4;
    double[] omega = new double[quarter];
    for (int k = 0; k < quarter; k++) {
      omega[k] = 1.0 / Math.pow(10000, k / (double) quarter);
    }
    int offset = clsToken ? 1 : 0;
    float[] out = new float[(offset + gridSize * gridSize) * dim];
    for (int i = 0; i < gridSize; i++) {
      for (int j = 0; j < gridSize; j++) {
        int base = (offset + i * gridSize + j) * dim;
        encode(out, base, j, omega);
        encode(out, base + dim / 2, i, omega);
      }
    }
    return out;
  }

  private static void encode(float[] out, int base, int position, double[] omega) {
    int quarter = omega.length;
    for (int k = 0; k < quarter; k++) {
      double a = position * omega[k];
      out[base + k] = (float) Math.sin(a);
      out[base + quarter + k] = (float) Math.cos(a);
    }
  }
}
