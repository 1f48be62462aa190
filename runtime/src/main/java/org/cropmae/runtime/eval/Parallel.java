package org.cropmae.runtime.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs independent evaluation tasks on a private thread pool, results in task order. */
final class Parallel {
  private Parallel() {}

  /** A task that may fail with an {@link IOException}. */
  @FunctionalInterface
  interface Task<T> {
    T call() throws IOException;
  }

  /**
   * Runs {@code tasks} on up to {@code threads} threads and returns their results in order. The
   * first failing task (in list order) has its exception rethrown unchanged and the rest are
   * cancelled.
   */
  static <T> List<T> run(List<? extends Task<T>> tasks, int threads) throws IOException {
    int n = Math.max(1, Math.min(threads, tasks.size()));
    if (n == 1) {
      List<T> out = new ArrayList<>(tasks.size());
      for (Task<T> t : tasks) {
        out.add(t.call());
      }
      return out;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            n,
            r -> {
              Thread t = new Thread(r, "cropmae-eval");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<T>> futures = new ArrayList<>(tasks.size());
      for (Task<T> t : tasks) {
        futures.add(
            pool.submit(
                () -> {
                  try {
                    return t.call();
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                }));
      }
      List<T> out = new ArrayList<>(tasks.size());
      for (Future<T> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("evaluation interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } finally {
      pool.shutdownNow();
    }
  }
}
