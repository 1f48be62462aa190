package org.cropmae.runtime.eval;

/**
 * The few NumPy reductions the reference evaluation scripts use, reproduced bit for bit so that our
 * means agree with theirs to the last ulp rather than merely to rounding noise.
 */
final class NumpyMath {
  private NumpyMath() {}

  /** NumPy's unrolled block size for pairwise summation ({@code PW_BLOCKSIZE}). */
  private static final int BLOCK = 128;

  /**
   * Sum of {@code a[from, from + n)} in the exact order of NumPy's {@code pairwise_sum} for
   * contiguous float64 data (what {@code np.sum} and {@code np.mean} use).
   */
  static double pairwiseSum(double[] a, int from, int n) {
    if (n < 8) {
      double res = 0.0;
      for (int i = 0; i < n; i++) {
        res += a[from + i];
      }
      return res;
    } else if (n <= BLOCK) {
      double r0 = a[from];
      double r1 = a[from + 1];
      double r2 = a[from + 2];
      double r3 = a[from + 3];
      double r4 = a[from + 4];
      double r5 = a[from + 5];
      double r6 = a[from + 6];
      double r7 = a[from + 7];
      int i = 8;
      int full = n - (n % 8);
      for (; i < full; i += 8) {
        r0 += a[from + i];
        r1 += a[from + i + 1];
        r2 += a[from + i + 2];
        r3 += a[from + i + 3];
        r4 += a[from + i + 4];
        r5 += a[from + i + 5];
        r6 += a[from + i + 6];
        r7 += a[from + i + 7];
      }
      double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
      for (; i < n; i++) {
        res += a[from + i];
      }
      return res;
    } else {
      int n2 = n / 2;
      n2 -= n2 % 8;
      return pairwiseSum(a, from, n2) + pairwiseSum(a, from + n2, n - n2);
    }
  }

  /** {@code np.mean(a[from:to])}: NaN for an empty range. */
  static double mean(double[] a, int from, int to) {
    int n = to - from;
    return pairwiseSum(a, from, n) / n;
  }

  /**
   * {@code np.nanmean(a[from:to])}: NaNs are replaced by 0 for the sum and left out of the count,
   * as NumPy does; NaN when nothing is left.
   */
  static double nanMean(double[] a, int from, int to) {
    int n = to - from;
    double[] clean = new double[n];
    int count = 0;
    for (int i = 0; i < n; i++) {
      double v = a[from + i];
      if (!Double.isNaN(v)) {
        clean[i] = v;
        count++;
      }
    }
    return pairwiseSum(clean, 0, n) / count;
  }
}
