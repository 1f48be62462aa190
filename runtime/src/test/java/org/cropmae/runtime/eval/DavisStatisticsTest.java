package org.cropmae.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DavisStatisticsTest {
  @Test
  void fourFrames() {
    // mean = 2.2 / 4 = 0.55; above 0.5: 1 and 0.6 -> 0.5.
    // linspace(1, 4, 5) = [1, 1.75, 2.5, 3.25, 4] -> round -> [1, 2, 3, 3, 4] -> -1 ->
    // [0, 1, 2, 2, 3]; first bin [0:2] = {1, 0.4} -> 0.7, last bin [2:4] = {0.6, 0.2} -> 0.4.
    DavisStatistics s = DavisStatistics.of(new double[] {1, 0.4, 0.6, 0.2});
    assertEquals(0.55, s.mean(), 1e-15);
    assertEquals(0.5, s.recall(), 0);
    assertEquals(0.7 - 0.4, s.decay(), 1e-15);
  }

  @Test
  void sixFrames() {
    // linspace(1, 6, 5) = [1, 2.25, 3.5, 4.75, 6] -> round (3.5 + 1e-10 goes up) -> [1, 2, 4, 5, 6]
    // -> [0, 1, 3, 4, 5]; first bin [0:2] = {0.9, 0.8} -> 0.85, last bin [4:6] = {0.5, 0.4} -> 0.45.
    DavisStatistics s = DavisStatistics.of(new double[] {0.9, 0.8, 0.7, 0.6, 0.5, 0.4});
    assertEquals(0.65, s.mean(), 1e-15);
    assertEquals(4.0 / 6.0, s.recall(), 0); // 0.5 itself is not above 0.5
    assertEquals(0.4, s.decay(), 1e-15);
  }

  @Test
  void nanFramesAreSkippedByMeanButCountAsMissesInRecall() {
    // mean of {1, 0} = 0.5; recall 1/3. linspace(1, 3, 5) = [1, 1.5, 2, 2.5, 3] -> [1, 2, 2, 3, 3]
    // -> [0, 1, 1, 2, 2]; first bin [0:2] = {NaN, 1} -> 1, last bin [2:3] = {0} -> 0.
    DavisStatistics s = DavisStatistics.of(new double[] {Double.NaN, 1.0, 0.0});
    assertEquals(0.5, s.mean(), 0);
    assertEquals(1.0 / 3.0, s.recall(), 0);
    assertEquals(1.0, s.decay(), 0);
  }

  @Test
  void singleAndNoFrames() {
    DavisStatistics one = DavisStatistics.of(new double[] {0.7});
    assertEquals(0.7, one.mean(), 0);
    assertEquals(1.0, one.recall(), 0);
    assertEquals(0.0, one.decay(), 0); // both bins are {0.7}
    DavisStatistics none = DavisStatistics.of(new double[0]);
    assertTrue(Double.isNaN(none.mean()) && Double.isNaN(none.recall())
        && Double.isNaN(none.decay()));
  }

  @Test
  void binEdgesWrapLikeUint8BeyondTwoHundredFiftySixFrames() {
    // n = 300: linspace -> [1, 75.75, 150.5, 225.25, 300] -> [0, 75, 150, 224, 299]; as uint8 the
    // last edge is 299 - 256 = 43, so the last bin [224:44] is empty and the decay is NaN, as in
    // the reference.
    double[] v = new double[300];
    java.util.Arrays.fill(v, 0.8);
    DavisStatistics s = DavisStatistics.of(v);
    assertEquals(0.8, s.mean(), 1e-15);
    assertTrue(Double.isNaN(s.decay()));
  }
}
