package org.cropmae.runtime.propagation;

import java.util.Objects;

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
 * the depth loop, fell back to scalar code). Accumulation is float32 in depth order.
 */
public final class Matmul {
  /** Output rows per micro-kernel call (register/L1 blocking factor). */
  public static final int ROWS = 4;
  /**
   * Columns per block: a {@code depth x BLOCK} slice of {@code b} is reused by every row tile. The
   * kernel is bound by its L1 accumulator traffic and gains from long rows more than from keeping
   * {@code b} in L2, so blocks are long (measured: 1024 beats 512 and 256 on a 1024^3 product).
   */
  static final int BLOCK = 1024;
  /** Row tiles per parallel task. */
  private static final int TILES_PER_TASK = 8;

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

  /**
   * {@code c = a . b}: {@code a} is row-major {@code [m, k]}, {@code b} holds {@code k} rows of at
   * least {@code n} values ({@code [k, n]}), {@code c} is row-major {@code [m, n]} and is overwritten.
   * Row tiles are spread over {@code pool}'s workers.
   */
  public static void multiply(float[] a, int m, int k, float[][] b, int n, float[] c, ComputePool pool) {
    Objects.requireNonNull(pool, "pool");
    if (m < 1 || k < 1 || n < 1) {
      throw new IllegalArgumentException("matrix sizes must be positive, got m=" + m + ", k=" + k + ", n=" + n);
    }
    if (a.length < (long) m * k || c.length < (long) m * n || b.length < k) {
      throw new IllegalArgumentException("arrays too small for [" + m + ", " + k + "] x [" + k + ", " + n + "]");
    }
    for (int d = 0; d < k; d++) {
      if (b[d].length < n) {
        throw new IllegalArgumentException("b[" + d + "] has " + b[d].length + " values, need " + n);
      }
    }
    int tiles = (m + ROWS - 1) / ROWS;
    int tasks = (tiles + TILES_PER_TASK - 1) / TILES_PER_TASK;
    float[][][] scratch = new float[pool.parallelism()][ROWS][n];
    pool.run(tasks, (worker, task) -> {
      float[][] acc = scratch[worker];
      int firstTile = task * TILES_PER_TASK;
      int lastTile = Math.min(tiles, firstTile + TILES_PER_TASK);
      for (int from = 0; from < n; from += BLOCK) {
        int to = Math.min(n, from + BLOCK);
        for (int t = firstTile; t < lastTile; t++) {
          int i0 = t * ROWS;
          int rows = Math.min(ROWS, m - i0);
          // A partial last tile repeats its last row; the duplicate results are discarded.
          dot4(a, i0 * k, Math.min(i0 + 1, m - 1) * k, Math.min(i0 + 2, m - 1) * k,
              Math.min(i0 + 3, m - 1) * k, k, b, from, to, acc[0], acc[1], acc[2], acc[3]);
          for (int r = 0; r < rows; r++) {
            System.arraycopy(acc[r], from, c, (i0 + r) * n + from, to - from);
          }
        }
      }
    });
  }
}
