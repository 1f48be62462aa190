package org.cropmae.runtime.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ComputePoolTest {

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
