package org.cropmae.runtime.propagation;

/**
 * The float32 matrix-product kernel behind the affinity computation, in plain Java so that it runs
 * wherever the runtime does (no {@code jdk.incubator.vector}).
 *
 * <p>The right-hand matrix is held as rows {@code b[d][j]} (for the propagation: one array per
 * feature channel, indexed by key position). The micro-kernel computes {@link #ROWS} output rows at
 * once: for every depth index it broadcasts one left-hand value per row and streams the right-hand
 * row once, updating the {@code ROWS} accumulator rows. The innermost loop reads {@code b[d][j]} and
 * updates {@code c[r][j]} with the same index {@code j}, which is the shape HotSpot's superword pass
 * vectorises (differing offsets into arrays of the same element type defeat its alias analysis).
 * Four rows is the widest body measured to vectorise reliably on JDK 17 (eight rows, or unrolling
 * the depth loop, fell back to scalar code). Accumulation is float32 in depth order. The kernel
 * is bound by its L1 accumulator traffic and gains from long key ranges (whole frames, up to a few
 * thousand keys) more than from keeping {@code b} in L2. {@link JavaAffinityBackend} drives it.
 */
final class Matmul {
  /** Output rows per micro-kernel call (register/L1 blocking factor). */
  static final int ROWS = 4;

  private Matmul() {}

  /**
   * {@code c_r[j] = sum_{d < depth} a[a_r + d] * b[d][j]} for {@code r = 0..3} and {@code j in [from, to)}.
   * Elements of {@code c_r} outside {@code [from, to)} are untouched. The four left-hand rows start
   * at offsets {@code a0..a3} of {@code a} (they may repeat, with distinct or identical outputs).
   */
  static void dot4(float[] a, int a0, int a1, int a2, int a3, int depth, float[][] b, int from, int to,
      float[] c0, float[] c1, float[] c2, float[] c3) {
    float x0 = a[a0];
    float x1 = a[a1];
    float x2 = a[a2];
    float x3 = a[a3];
    float[] row = b[0];
    for (int j = from; j < to; j++) {
      float v = row[j];
      c0[j] = x0 * v;
      c1[j] = x1 * v;
      c2[j] = x2 * v;
      c3[j] = x3 * v;
    }
    for (int d = 1; d < depth; d++) {
      x0 = a[a0 + d];
      x1 = a[a1 + d];
      x2 = a[a2 + d];
      x3 = a[a3 + d];
      row = b[d];
      for (int j = from; j < to; j++) {
        float v = row[j];
        c0[j] += x0 * v;
        c1[j] += x1 * v;
        c2[j] += x2 * v;
        c3[j] += x3 * v;
      }
    }
  }
}
