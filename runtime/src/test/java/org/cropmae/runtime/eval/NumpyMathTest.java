package org.cropmae.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NumpyMathTest {
  @Test
  void pairwiseSumUsesNumpyOrder() {
    // n = 9: eight partial sums r0..r7 = a[0..7], combined ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)),
    // then a[8] added. r0 + r1 = 1e16 + 1 -> 1e16 (tie, even); + (1 + 1) = 1e16 + 2; + 4 =
    // 1e16 + 6; + 1 = 1e16 + 7 -> tie between 1e16 + 6 and 1e16 + 8, even mantissa is + 8.
    // A left-to-right loop would stay at 1e16 since each + 1 rounds away.
    double[] a = {1e16, 1, 1, 1, 1, 1, 1, 1, 1};
    assertEquals(1e16 + 8, NumpyMath.pairwiseSum(a, 0, 9), 0);
    double naive = 0;
    for (double v : a) {
      naive += v;
    }
    assertEquals(1e16, naive, 0);
  }

  @Test
  void meansOfEmptyAreNan() {
    assertTrue(Double.isNaN(NumpyMath.mean(new double[0], 0, 0)));
    assertTrue(Double.isNaN(NumpyMath.nanMean(new double[] {Double.NaN}, 0, 1)));
    assertEquals(2.0, NumpyMath.nanMean(new double[] {1, Double.NaN, 3}, 0, 3), 0);
  }

  @Test
  void pandasFloatFormat() {
    assertEquals("0.909", PandasCsv.format3(0.9094450850653795));
    assertEquals("1.000", PandasCsv.format3(0.99951));
    // 0.0625 is exact in binary: a true tie, rounded half to even like printf.
    assertEquals("0.062", PandasCsv.format3(0.0625));
    // 0.1235 is 0.12349999999999999866... in binary: printf gives 0.123 (Java's %.3f says 0.124).
    assertEquals("0.123", PandasCsv.format3(0.1235));
    assertEquals("-0.000", PandasCsv.format3(-0.0001));
    assertEquals("-0.178", PandasCsv.format3(-0.17823734553205062));
    assertEquals("", PandasCsv.format3(Double.NaN));
    assertEquals("\"a,b\"", PandasCsv.field("a,b"));
    assertEquals("blobs-a_1", PandasCsv.field("blobs-a_1"));
  }
}
