package org.cropmae.runtime.propagation;

import java.util.Arrays;

/**
 * Which query-key pairs of two frames the propagation computes, for one feature grid and radius.
 *
 * <p>Positions are stored in an internal order chosen so that the keys near a query form long
 * contiguous index runs: {@code slow * fastLength + fast}, where the fast axis is x (row-major) or
 * y (column-major, {@link #transposed}). Each query has an exact list of in-radius key intervals
 * (one per slow line); queries are grouped in blocks of {@link #blockRows} consecutive positions
 * (one {@link AffinityKernel#multiply} call each) whose interval lists are merged into runs (gaps
 * of at most {@link #MERGE_GAP} keys are computed rather than split, because a short kernel call
 * costs more than a few wasted dot products). The orientation with the lower estimated cost is
 * chosen.
 */
final class RadiusPlan {
  /** Out-of-radius gap (keys) that is computed anyway to keep a run contiguous. */
  static final int MERGE_GAP = 16;
  /** Estimated fixed cost of one kernel call over a run, in keys' worth of dot products. */
  private static final int RUN_OVERHEAD = 16;

  final int height;
  final int width;
  final int positions;
  final boolean transposed;
  /** Queries per block (the last block may have fewer). */
  final int blockRows;
  /** Internal index -> row-major index {@code y * width + x}. */
  final int[] rowMajor;
  /** Per query: its exact intervals are {@code [intervalLo[i], intervalHi[i])} for i in [queryStart[q], queryStart[q+1]). */
  final int[] queryStart;
  final int[] intervalLo;
  final int[] intervalHi;
  /** Per block: its runs are {@code [runLo[i], runHi[i])} for i in [blockStart[b], blockStart[b+1]). */
  final int[] blockStart;
  final int[] runLo;
  final int[] runHi;
  /** Dot products one radius-masked context frame costs (real queries only). */
  final long maskedPairs;

  private RadiusPlan(int height, int width, boolean transposed, int blockRows, int[] queryStart, int[] intervalLo,
      int[] intervalHi, int[] blockStart, int[] runLo, int[] runHi, long maskedPairs) {
    this.height = height;
    this.width = width;
    this.positions = height * width;
    this.transposed = transposed;
    this.blockRows = blockRows;
    this.queryStart = queryStart;
    this.intervalLo = intervalLo;
    this.intervalHi = intervalHi;
    this.blockStart = blockStart;
    this.runLo = runLo;
    this.runHi = runHi;
    this.maskedPairs = maskedPairs;
    this.rowMajor = new int[positions];
    int fast = transposed ? height : width;
    for (int p = 0; p < positions; p++) {
      int slow = p / fast;
      int f = p % fast;
      rowMajor[p] = transposed ? f * width + slow : p;
    }
  }

  int blocks() {
    return blockStart.length - 1;
  }

  /** The plan for blocks of {@link Matmul#ROWS} queries. */
  static RadiusPlan create(int height, int width, double radius) {
    return create(height, width, radius, Matmul.ROWS);
  }

  /** The plan for an {@code height x width} grid and blocks of {@code blockRows} queries, in whichever orientation computes less. */
  static RadiusPlan create(int height, int width, double radius, int blockRows) {
    if (blockRows < 1) {
      throw new IllegalArgumentException("blockRows must be at least 1, got " + blockRows);
    }
    RadiusPlan rowMajor = build(height, width, radius, false, blockRows);
    if (height == width) {
      return rowMajor;
    }
    RadiusPlan columnMajor = build(height, width, radius, true, blockRows);
    return columnMajor.cost() < rowMajor.cost() ? columnMajor : rowMajor;
  }

  private long cost() {
    long runs = runLo.length;
    return maskedPairs + runs * blockRows * RUN_OVERHEAD;
  }

  /**
   * Whether grid offset {@code (a, b)} is inside the radius, exactly as the reference decides it:
   * the float32 square root of the integer squared distance compared with the float32 radius,
   * strictly. A double square root rounded to float is the correctly rounded float square root.
   */
  static boolean within(int a, int b, double radius) {
    return (float) Math.sqrt((double) a * a + (double) b * b) < (float) radius;
  }

  private static RadiusPlan build(int height, int width, double radius, boolean transposed, int blockRows) {
    int slowLen = transposed ? width : height;
    int fastLen = transposed ? height : width;
    int positions = height * width;
    // Largest fast offset inside the radius for each slow offset (-1: none). Distance grows with
    // the fast offset, so the in-radius keys of a slow line are one interval.
    int[] maxFast = new int[slowLen];
    for (int ds = 0; ds < slowLen; ds++) {
      int m = -1;
      while (m + 1 < fastLen && within(ds, m + 1, radius)) {
        m++;
      }
      maxFast[ds] = m;
    }
    int[] queryStart = new int[positions + 1];
    int[] lo = new int[positions * 4];
    int[] hi = new int[positions * 4];
    int n = 0;
    for (int q = 0; q < positions; q++) {
      queryStart[q] = n;
      int s = q / fastLen;
      int f = q % fastLen;
      for (int ks = 0; ks < slowLen; ks++) {
        int m = maxFast[Math.abs(ks - s)];
        if (m < 0) {
          continue;
        }
        if (n == lo.length) {
          lo = Arrays.copyOf(lo, n * 2);
          hi = Arrays.copyOf(hi, n * 2);
        }
        lo[n] = ks * fastLen + Math.max(0, f - m);
        hi[n] = ks * fastLen + Math.min(fastLen - 1, f + m) + 1;
        n++;
      }
    }
    queryStart[positions] = n;
    int[] intervalLo = Arrays.copyOf(lo, n);
    int[] intervalHi = Arrays.copyOf(hi, n);

    int blocks = (positions + blockRows - 1) / blockRows;
    int[] blockStart = new int[blocks + 1];
    int[] runLo = new int[blocks * 4];
    int[] runHi = new int[blocks * 4];
    int runs = 0;
    long pairs = 0;
    long[] packed = new long[0];
    for (int t = 0; t < blocks; t++) {
      blockStart[t] = runs;
      int q0 = t * blockRows;
      int q1 = Math.min(positions, q0 + blockRows);
      int count = queryStart[q1] - queryStart[q0];
      if (packed.length < count) {
        packed = new long[count];
      }
      for (int i = 0; i < count; i++) {
        int j = queryStart[q0] + i;
        packed[i] = ((long) intervalLo[j] << 32) | intervalHi[j];
      }
      Arrays.sort(packed, 0, count);
      int curLo = -1;
      int curHi = -1;
      for (int i = 0; i < count; i++) {
        int a = (int) (packed[i] >>> 32);
        int b = (int) packed[i];
        if (curLo >= 0 && a <= curHi + MERGE_GAP) {
          curHi = Math.max(curHi, b);
          continue;
        }
        if (curLo >= 0) {
          if (runs == runLo.length) {
            runLo = Arrays.copyOf(runLo, runs * 2);
            runHi = Arrays.copyOf(runHi, runs * 2);
          }
          runLo[runs] = curLo;
          runHi[runs] = curHi;
          runs++;
          pairs += (long) (curHi - curLo) * (q1 - q0);
        }
        curLo = a;
        curHi = b;
      }
      if (runs == runLo.length) {
        runLo = Arrays.copyOf(runLo, runs * 2);
        runHi = Arrays.copyOf(runHi, runs * 2);
      }
      runLo[runs] = curLo;
      runHi[runs] = curHi;
      runs++;
      pairs += (long) (curHi - curLo) * (q1 - q0);
    }
    blockStart[blocks] = runs;
    return new RadiusPlan(height, width, transposed, blockRows, queryStart, intervalLo, intervalHi, blockStart,
        Arrays.copyOf(runLo, runs), Arrays.copyOf(runHi, runs), pairs);
  }
}
