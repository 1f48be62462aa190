package org.cropmae.runtime.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RadiusPlanTest {

  /** Row-major keys the plan lists for a query at (y, x). */
  static Set<Integer> keysOf(RadiusPlan plan, int y, int x) {
    int query = -1;
    for (int p = 0; p < plan.positions; p++) {
      if (plan.rowMajor[p] == y * plan.width + x) {
        query = p;
      }
    }
    Set<Integer> keys = new HashSet<>();
    for (int i = plan.queryStart[query]; i < plan.queryStart[query + 1]; i++) {
      for (int k = plan.intervalLo[i]; k < plan.intervalHi[i]; k++) {
        assertTrue(keys.add(plan.rowMajor[k]), "key listed twice");
      }
    }
    return keys;
  }

  @Test
  void radiusTwoKeepsTheThreeByThreeBlockOnly() {
    RadiusPlan plan = RadiusPlan.create(5, 5, 2);
    Set<Integer> keys = keysOf(plan, 2, 2);
    // Distances 0, 1 and sqrt(2) are below 2; distance 2 (two cells straight) is not.
    assertEquals(9, keys.size());
    for (int y = 1; y <= 3; y++) {
      for (int x = 1; x <= 3; x++) {
        assertTrue(keys.contains(y * 5 + x));
      }
    }
    assertEquals(13, keysOf(RadiusPlan.create(5, 5, 2.01), 2, 2).size());
    // Corner query: the disc is clipped by the grid.
    assertEquals(Set.of(0, 1, 5, 6), keysOf(plan, 0, 0));
  }

  @Test
  void everyOrientationListsExactlyTheInRadiusKeys() {
    int[][] grids = {{6, 11}, {11, 6}, {1, 9}, {7, 7}, {20, 30}};
    double[] radii = {1, 2.5, 6, 20};
    for (int[] g : grids) {
      for (double r : radii) {
        RadiusPlan plan = RadiusPlan.create(g[0], g[1], r);
        for (int y = 0; y < g[0]; y++) {
          for (int x = 0; x < g[1]; x++) {
            Set<Integer> expected = new HashSet<>();
            for (int ky = 0; ky < g[0]; ky++) {
              for (int kx = 0; kx < g[1]; kx++) {
                double dist = Math.sqrt((ky - y) * (ky - y) + (kx - x) * (kx - x));
                if ((float) dist < (float) r) {
                  expected.add(ky * g[1] + kx);
                }
              }
            }
            assertEquals(expected, keysOf(plan, y, x), "grid " + g[0] + "x" + g[1] + " r=" + r + " at " + y + "," + x);
          }
        }
        assertRunsCoverIntervals(plan);
      }
    }
  }

  static void assertRunsCoverIntervals(RadiusPlan plan) {
    long pairs = 0;
    int n = plan.blockRows;
    for (int t = 0; t < plan.blocks(); t++) {
      int rows = Math.min(n, plan.positions - t * n);
      for (int i = plan.blockStart[t]; i < plan.blockStart[t + 1]; i++) {
        assertTrue(plan.runLo[i] < plan.runHi[i]);
        if (i > plan.blockStart[t]) {
          assertTrue(plan.runLo[i] > plan.runHi[i - 1] + RadiusPlan.MERGE_GAP, "runs closer than the merge gap");
        }
        pairs += (long) rows * (plan.runHi[i] - plan.runLo[i]);
      }
      for (int q = t * n; q < t * n + rows; q++) {
        for (int i = plan.queryStart[q]; i < plan.queryStart[q + 1]; i++) {
          boolean inside = false;
          for (int j = plan.blockStart[t]; j < plan.blockStart[t + 1]; j++) {
            inside |= plan.runLo[j] <= plan.intervalLo[i] && plan.intervalHi[i] <= plan.runHi[j];
          }
          assertTrue(inside, "interval outside its block's runs");
        }
      }
    }
    assertEquals(pairs, plan.maskedPairs);
  }

  @Test
  void largerBlocksCoverTheirIntervalsWithFewerRuns() {
    int[][] grids = {{6, 11}, {20, 30}, {30, 55}};
    for (int[] g : grids) {
      RadiusPlan small = RadiusPlan.create(g[0], g[1], 3);
      for (int rows : new int[] {1, 7, 64, 1000}) {
        RadiusPlan plan = RadiusPlan.create(g[0], g[1], 3, rows);
        assertEquals(rows, plan.blockRows);
        assertEquals((g[0] * g[1] + rows - 1) / rows, plan.blocks());
        assertRunsCoverIntervals(plan);
        if (rows >= 64) {
          assertTrue(plan.runLo.length < small.runLo.length, "fewer, longer runs");
        }
      }
    }
  }

  @Test
  void davisGridUsesTheColumnMajorOrderAndSkipsMostMaskedPairs() {
    RadiusPlan plan = RadiusPlan.create(30, 55, 20);
    assertTrue(plan.transposed);
    long all = 1650L * 1650;
    // Exactly in radius: 45.5% of all pairs; the runs compute under 60%.
    assertTrue(plan.maskedPairs < 0.6 * all, "pairs " + plan.maskedPairs);
    assertFalse(RadiusPlan.within(0, 20, 20));
    assertTrue(RadiusPlan.within(12, 15, 20));
  }
}
