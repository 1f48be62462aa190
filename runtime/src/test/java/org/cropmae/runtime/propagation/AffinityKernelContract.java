package org.cropmae.runtime.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Checks of the {@link AffinityKernel} contract that every {@link AffinityBackend} must pass. */
public final class AffinityKernelContract {
  private AffinityKernelContract() {}

  /** Runs every check on {@code backend}. */
  public static void checkAll(AffinityBackend backend) {
    assertTrue(backend.preferredRows() >= 1);
    productsMatchTheDefinition(backend);
    rangesGatherInTheSameRows(backend);
    workersRunAtOnce(backend);
    inputsAreCopied(backend);
    badArgumentsAreRejected(backend);
  }

  static float[] random(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  /** Asserts {@code rows[r][j]} for {@code j in [keyFrom, keyTo)} equals the double-precision dot product. */
  static void assertProducts(float[][] rows, float[] queries, float[] keys, int dim, int queryFrom, int queryTo,
      int keyFrom, int keyTo) {
    for (int q = queryFrom; q < queryTo; q++) {
      for (int j = keyFrom; j < keyTo; j++) {
        double want = 0;
        double magnitude = 0;
        for (int d = 0; d < dim; d++) {
          double x = (double) queries[q * dim + d] * keys[j * dim + d];
          want += x;
          magnitude += Math.abs(x);
        }
        // float32 accumulation in any order: error below a few ulps of the sum of magnitudes.
        assertEquals(want, rows[q - queryFrom][j], 1e-6 * magnitude + 1e-30,
            "query " + q + ", key " + j + ", rows [" + queryFrom + ", " + queryTo + ")");
      }
    }
  }

  static void productsMatchTheDefinition(AffinityBackend backend) {
    Random r = new Random(11);
    int positions = 37;
    int dim = 19;
    try (AffinityKernel k = backend.open(new AffinityKernel.Shape(3, positions, dim, 9, 1))) {
      float[][] keys = {random(r, positions * dim), random(r, positions * dim), random(r, positions * dim)};
      for (int s = 0; s < 3; s++) {
        k.setKeys(s, keys[s]);
      }
      float[] queries = random(r, positions * dim);
      k.setQueries(queries);
      int[][] cases = {{0, 9, 0, 0, 37}, {5, 6, 1, 3, 4}, {28, 37, 2, 0, 37}, {30, 33, 1, 10, 29}, {12, 19, 0, 36, 37}};
      for (int[] c : cases) {
        float[][] rows = k.multiply(0, c[0], c[1], c[2], c[3], c[4]);
        assertTrue(rows.length >= c[1] - c[0]);
        assertProducts(rows, queries, keys[c[2]], dim, c[0], c[1], c[3], c[4]);
      }
      // New queries and replaced keys take effect.
      queries = random(r, positions * dim);
      k.setQueries(queries);
      keys[1] = random(r, positions * dim);
      k.setKeys(1, keys[1]);
      assertProducts(k.multiply(0, 2, 11, 1, 0, 37), queries, keys[1], dim, 2, 11, 0, 37);
    }
  }

  static void rangesGatherInTheSameRows(AffinityBackend backend) {
    Random r = new Random(12);
    int positions = 50;
    int dim = 8;
    try (AffinityKernel k = backend.open(new AffinityKernel.Shape(1, positions, dim, 6, 2))) {
      float[] keys = random(r, positions * dim);
      float[] queries = random(r, positions * dim);
      k.setKeys(0, keys);
      k.setQueries(queries);
      k.multiply(1, 20, 26, 0, 0, 10);
      k.multiply(1, 20, 26, 0, 40, 50);
      float[][] rows = k.multiply(1, 20, 26, 0, 15, 30);
      assertProducts(rows, queries, keys, dim, 20, 26, 0, 10);
      assertProducts(rows, queries, keys, dim, 20, 26, 15, 30);
      assertProducts(rows, queries, keys, dim, 20, 26, 40, 50);
    }
  }

  static void workersRunAtOnce(AffinityBackend backend) {
    Random r = new Random(13);
    int positions = 300;
    int dim = 64;
    int workers = 3;
    ExecutorService executor = Executors.newFixedThreadPool(workers);
    try (AffinityKernel k = backend.open(new AffinityKernel.Shape(2, positions, dim, 32, workers))) {
      float[] keys = random(r, positions * dim);
      float[] queries = random(r, positions * dim);
      k.setKeys(1, keys);
      k.setQueries(queries);
      Future<?>[] f = new Future<?>[workers];
      for (int w = 0; w < workers; w++) {
        int worker = w;
        f[w] = executor.submit(() -> {
          for (int q0 = worker * 32; q0 < positions; q0 += 32 * workers) {
            int q1 = Math.min(positions, q0 + 32);
            assertProducts(k.multiply(worker, q0, q1, 1, 0, positions), queries, keys, dim, q0, q1, 0, positions);
          }
          return null;
        });
      }
      for (Future<?> x : f) {
        x.get();
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      executor.shutdownNow();
    }
  }

  static void inputsAreCopied(AffinityBackend backend) {
    Random r = new Random(14);
    try (AffinityKernel k = backend.open(new AffinityKernel.Shape(1, 5, 3, 5, 1))) {
      float[] keys = random(r, 15);
      float[] queries = random(r, 15);
      k.setKeys(0, keys);
      k.setQueries(queries);
      float[] keysCopy = keys.clone();
      float[] queriesCopy = queries.clone();
      java.util.Arrays.fill(keys, 100f);
      java.util.Arrays.fill(queries, 100f);
      assertProducts(k.multiply(0, 0, 5, 0, 0, 5), queriesCopy, keysCopy, 3, 0, 5, 0, 5);
    }
  }

  static void badArgumentsAreRejected(AffinityBackend backend) {
    assertEquals("affinity sizes must be positive, got slots=1, positions=0, dim=3, maxRows=2, workers=1",
        assertThrows(IllegalArgumentException.class, () -> new AffinityKernel.Shape(1, 0, 3, 2, 1)).getMessage());
    try (AffinityKernel k = backend.open(new AffinityKernel.Shape(2, 10, 3, 4, 2))) {
      float[] v = new float[30];
      k.setKeys(0, v);
      k.setKeys(1, v);
      k.setQueries(v);
      assertEquals("keys holds 29 values, expected positions*dim = 10*3",
          assertThrows(IllegalArgumentException.class, () -> k.setKeys(0, new float[29])).getMessage());
      assertEquals("queries holds null, expected positions*dim = 10*3",
          assertThrows(IllegalArgumentException.class, () -> k.setQueries(null)).getMessage());
      assertEquals("slot 2 is outside [0, 2)",
          assertThrows(IllegalArgumentException.class, () -> k.setKeys(2, v)).getMessage());
      assertEquals("worker 2 is outside [0, 2)",
          assertThrows(IllegalArgumentException.class, () -> k.multiply(2, 0, 4, 0, 0, 10)).getMessage());
      assertEquals("slot -1 is outside [0, 2)",
          assertThrows(IllegalArgumentException.class, () -> k.multiply(0, 0, 4, -1, 0, 10)).getMessage());
      assertEquals("queries [0, 5) must be a non-empty range in [0, 10) of at most 4 rows",
          assertThrows(IllegalArgumentException.class, () -> k.multiply(0, 0, 5, 0, 0, 10)).getMessage());
      assertEquals("queries [9, 11) must be a non-empty range in [0, 10) of at most 4 rows",
          assertThrows(IllegalArgumentException.class, () -> k.multiply(0, 9, 11, 0, 0, 10)).getMessage());
      assertEquals("keys [3, 3) must be a non-empty range in [0, 10)",
          assertThrows(IllegalArgumentException.class, () -> k.multiply(0, 0, 4, 0, 3, 3)).getMessage());
      assertEquals("keys [0, 11) must be a non-empty range in [0, 10)",
          assertThrows(IllegalArgumentException.class, () -> k.multiply(0, 0, 4, 0, 0, 11)).getMessage());
    }
  }
}
