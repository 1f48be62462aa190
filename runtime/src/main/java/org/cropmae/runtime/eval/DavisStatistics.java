package org.cropmae.runtime.eval;

/**
 * The three DAVIS summary statistics of one object's per-frame scores (J or F), as
 * {@code davis2017.utils.db_statistics} computes them.
 *
 * @param mean mean of the per-frame scores (NaN frames ignored)
 * @param recall fraction of frames whose score is above 0.5
 * @param decay mean of the first quarter of the frames minus mean of the last quarter
 */
public record DavisStatistics(double mean, double recall, double decay) {
  private static final int DECAY_BINS = 4;

  /**
   * Statistics of per-frame scores in frame order.
   *
   * <p>The decay bins are the reference's: bin edges {@code round(linspace(1, n, 5) + 1e-10) - 1}
   * cast to uint8 (so, like the reference on x86, edges wrap modulo 256 for sequences longer than
   * 256 evaluated frames), bin {@code i} spanning {@code values[edge[i] : edge[i+1] + 1]}.
   * Empty input gives NaN for all three, as NumPy does.
   *
   * @param perFrame scores, one per evaluated frame
   */
  public static DavisStatistics of(double[] perFrame) {
    int n = perFrame.length;
    double mean = NumpyMath.nanMean(perFrame, 0, n);
    // np.nanmean of a boolean array is a plain mean: a NaN score counts as "not above 0.5".
    double[] above = new double[n];
    for (int i = 0; i < n; i++) {
      above[i] = perFrame[i] > 0.5 ? 1.0 : 0.0;
    }
    double recall = NumpyMath.mean(above, 0, n);

    int[] edges = new int[DECAY_BINS + 1];
    double step = (n - 1) / (double) DECAY_BINS;
    for (int i = 0; i <= DECAY_BINS; i++) {
      // np.linspace: start + i * step, with the last value set to stop exactly.
      double v = i == DECAY_BINS ? n : step == 0.0 ? 1.0 : i * step + 1.0;
      double id = Math.rint(v + 1e-10) - 1.0; // np.round rounds half to even, like rint
      edges[i] = ((int) id) & 0xFF; // astype(np.uint8)
    }
    double first = binMean(perFrame, edges[0], edges[1]);
    double last = binMean(perFrame, edges[DECAY_BINS - 1], edges[DECAY_BINS]);
    return new DavisStatistics(mean, recall, first - last);
  }

  /** {@code np.nanmean(values[start : end + 1])} with Python slice clipping and uint8 wrap. */
  private static double binMean(double[] values, int start, int end) {
    int n = values.length;
    int stop = (end + 1) & 0xFF; // uint8 arithmetic, as in the reference
    int from = Math.min(start, n);
    int to = Math.min(stop, n);
    if (from >= to) {
      return Double.NaN;
    }
    return NumpyMath.nanMean(values, from, to);
  }
}
