package org.cropmae.runtime.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class MatmulTest {

  @Test
  void multiplyMatchesTheDefinitionForRaggedSizes() {
    Random r = new Random(5);
    int[][] sizes = {{1, 1, 1}, {7, 5, 13}, {9, 33, 600}, {4, 3, 1100}};
    for (int[] s : sizes) {
      int m = s[0];
      int k = s[1];
      int n = s[2];
      float[] a = new float[m * k];
      float[][] b = new float[k][n];
      for (int i = 0; i < a.length; i++) {
        a[i] = r.nextFloat() - 0.5f;
      }
      for (float[] row : b) {
        for (int j = 0; j < n; j++) {
          row[j] = r.nextFloat() - 0.5f;
        }
      }
      float[] c = new float[m * n];
      try (ComputePool pool = ComputePool.create(3)) {
        Matmul.multiply(a, m, k, b, n, c, pool);
      }
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double want = 0;
          for (int d = 0; d < k; d++) {
            want += (double) a[i * k + d] * b[d][j];
          }
          assertEquals(want, c[i * n + j], 1e-5 * Math.max(1, k / 8), "c[" + i + "][" + j + "] for " + m + "x" + k + "x" + n);
        }
      }
    }
  }

  @Test
  void multiplyRejectsShortArrays() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Matmul.multiply(new float[6], 2, 3, new float[][] {new float[4], new float[4], new float[3]}, 4,
            new float[8], ComputePool.sameThread()));
    assertEquals("b[2] has 3 values, need 4", e.getMessage());
  }

  @Test
  void poolRunsEveryTaskOnceAndRethrowsFailures() {
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try (ComputePool pool = ComputePool.of(executor, 4)) {
      AtomicIntegerArray seen = new AtomicIntegerArray(100);
      pool.run(100, (worker, task) -> seen.incrementAndGet(task));
      for (int i = 0; i < 100; i++) {
        assertEquals(1, seen.get(i));
      }
      IllegalStateException boom = new IllegalStateException("boom");
      assertSame(boom, assertThrows(IllegalStateException.class, () -> pool.run(50, (worker, task) -> {
        if (task == 17) {
          throw boom;
        }
      })));
    } finally {
      executor.shutdownNow();
    }
    assertThrows(IllegalArgumentException.class, () -> ComputePool.create(0));
  }
}
