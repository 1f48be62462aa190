package org.cropmae.runtime.propagation;

import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads the propagation kernels run on. A pool created by {@link #create(int)} owns its
 * threads (daemon threads, stopped by {@link #close()}); one made by {@link #of(ExecutorService, int)}
 * borrows an executor and leaves its lifecycle to the caller.
 *
 * <p>Work is split into numbered tasks that {@link #parallelism()} workers pull from a shared
 * counter, so an uneven load (or a core busy with something else) balances itself. The calling
 * thread is always one of the workers.
 */
public final class ComputePool implements AutoCloseable {

  /** The body of a parallel loop: runs task {@code task} on worker {@code worker} (0-based, below {@link #parallelism()}). */
  @FunctionalInterface
  public interface Task {
    void run(int worker, int task);
  }

  private final ExecutorService executor;
  private final boolean owned;
  private final int parallelism;

  private ComputePool(ExecutorService executor, boolean owned, int parallelism) {
    this.executor = executor;
    this.owned = owned;
    this.parallelism = parallelism;
  }

  /** A pool of {@code threads} workers (the caller plus {@code threads - 1} owned daemon threads). */
  public static ComputePool create(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    if (threads == 1) {
      return sameThread();
    }
    AtomicInteger counter = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, "cropmae-propagation-" + counter.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    return new ComputePool(Executors.newFixedThreadPool(threads - 1, factory), true, threads);
  }

  /** A pool of {@link Runtime#availableProcessors()} workers. */
  public static ComputePool createDefault() {
    return create(Runtime.getRuntime().availableProcessors());
  }

  /** Runs everything on the calling thread. */
  public static ComputePool sameThread() {
    return new ComputePool(null, false, 1);
  }

  /**
   * Borrows {@code executor} for up to {@code parallelism - 1} helper tasks per parallel loop; the
   * executor is not shut down by {@link #close()}.
   */
  public static ComputePool of(ExecutorService executor, int parallelism) {
    Objects.requireNonNull(executor, "executor");
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
    }
    return new ComputePool(parallelism == 1 ? null : executor, false, parallelism);
  }

  /** Number of workers a parallel loop uses. */
  public int parallelism() {
    return parallelism;
  }

  /**
   * Runs {@code body} for every task in {@code [0, tasks)} and returns when all have finished. The
   * first failure is rethrown (as is, when unchecked) after every worker has stopped; an interrupt
   * does not abandon running workers (they share the caller's buffers), it is kept as the thread's
   * interrupt status.
   */
  public void run(int tasks, Task body) {
    int workers = Math.min(parallelism, tasks);
    if (workers <= 1) {
      for (int task = 0; task < tasks; task++) {
        body.run(0, task);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    Future<?>[] helpers = new Future<?>[workers - 1];
    Throwable failure = null;
    int submitted = 0;
    try {
      for (; submitted < helpers.length; submitted++) {
        int worker = submitted + 1;
        helpers[submitted] = executor.submit(() -> drain(worker, next, tasks, body));
      }
      drain(0, next, tasks, body);
    } catch (RuntimeException | Error e) {
      failure = e;
      next.set(tasks); // stop the helpers early
    }
    boolean interrupted = false;
    for (int i = 0; i < submitted; i++) {
      while (true) {
        try {
          helpers[i].get();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause() == null ? e : e.getCause();
          if (failure == null) {
            failure = cause;
          } else if (failure != cause) {
            failure.addSuppressed(cause);
          }
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure instanceof RuntimeException r) {
      throw r;
    }
    if (failure instanceof Error err) {
      throw err;
    }
    if (failure != null) {
      throw new IllegalStateException("propagation worker failed", failure);
    }
  }

  private static void drain(int worker, AtomicInteger next, int tasks, Task body) {
    for (int task = next.getAndIncrement(); task < tasks; task = next.getAndIncrement()) {
      body.run(worker, task);
    }
  }

  /** Stops the owned threads (no-op for borrowed executors and the same-thread pool). */
  @Override
  public void close() {
    if (owned) {
      executor.shutdownNow();
    }
  }
}
