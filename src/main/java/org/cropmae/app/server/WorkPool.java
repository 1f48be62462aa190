package org.cropmae.app.server;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded pool requests are computed on: {@code workers} threads and at most {@code queue}
 * requests waiting. Admission ({@link #admit()}) happens before a request's body is read, so a
 * full server refuses work without holding its upload in memory: at most
 * {@code workers + queue} bodies are held at any time.
 */
final class WorkPool {
  /** The work of one request; {@code deadline.check()} between steps stops it when it timed out. */
  @FunctionalInterface
  interface Job<T> {
    T run(Deadline deadline) throws Exception;
  }

  private final Semaphore permits;
  private final ThreadPoolExecutor executor;
  private final int workers;
  private final AtomicInteger running = new AtomicInteger();
  /** Exponentially weighted mean of job durations, in nanoseconds, for Retry-After. */
  private volatile double meanJobNanos;

  WorkPool(int workers, int queue) {
    this.workers = workers;
    this.permits = new Semaphore(workers + queue);
    AtomicInteger count = new AtomicInteger();
    // The executor's queue is never the limit (admission is): it is sized so that a job admitted
    // while a worker is still returning to the pool always fits.
    this.executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(workers + queue), r -> {
          Thread t = new Thread(r, "cropmae-serve-worker-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.AbortPolicy());
  }

  /** A place in the pool, or {@code null} when workers and queue are all taken. */
  Ticket admit() {
    return permits.tryAcquire() ? new Ticket() : null;
  }

  /** Requests admitted and not yet started. */
  int queueDepth() {
    return executor.getQueue().size();
  }

  /** Requests being computed. */
  int running() {
    return running.get();
  }

  /** Seconds a refused client should wait: about the time for the queue ahead of it to drain, 1..60. */
  int retryAfterSeconds() {
    double perJob = meanJobNanos / 1e9;
    double wait = perJob * (queueDepth() + running()) / workers;
    return (int) Math.max(1, Math.min(60, Math.ceil(wait)));
  }

  /** Stops taking work, lets admitted jobs finish within {@code grace}, then interrupts what is left. */
  void shutdown(Duration grace) {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** One admitted request; its permit is returned when its job ends, or by {@link #release()} if it never runs. */
  final class Ticket {
    private final AtomicBoolean released = new AtomicBoolean();

    /**
     * Runs {@code job} on a worker. The returned future completes when the job ends, also after a
     * timeout; the permit is held until then, so abandoned work still counts against the pool.
     *
     * @throws HttpError 503 when the pool is shutting down
     */
    <T> CompletableFuture<T> submit(Job<T> job, Deadline deadline) {
      CompletableFuture<T> result = new CompletableFuture<>();
      try {
        executor.execute(() -> {
          long start = System.nanoTime();
          running.incrementAndGet();
          try {
            deadline.check();
            result.complete(job.run(deadline));
          } catch (Throwable t) {
            result.completeExceptionally(t);
          } finally {
            running.decrementAndGet();
            long took = System.nanoTime() - start;
            // Racy read-modify-write: a lost update only blurs an estimate.
            meanJobNanos = meanJobNanos == 0 ? took : 0.8 * meanJobNanos + 0.2 * took;
            release();
          }
        });
      } catch (RejectedExecutionException e) {
        release();
        throw Server.unavailable("the server is shutting down", retryAfterSeconds());
      }
      return result;
    }

    /** Returns the permit; idempotent. */
    void release() {
      if (released.compareAndSet(false, true)) {
        permits.release();
      }
    }
  }

  /** When a request must be answered by, and whether its client stopped waiting. */
  static final class Deadline {
    private final long deadlineNanos;
    private final Duration timeout;
    private volatile boolean abandoned;

    Deadline(Duration timeout) {
      this.timeout = timeout;
      this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    /** The timeout this deadline was set with. */
    Duration timeout() {
      return timeout;
    }

    /** Nanoseconds left, at least 0. */
    long remainingNanos() {
      return Math.max(0, deadlineNanos - System.nanoTime());
    }

    /** Marks the request as answered (504) so the job stops at its next check. */
    void abandon() {
      abandoned = true;
    }

    /** @throws TimedOut when the time is up or the request was abandoned */
    void check() {
      if (abandoned || System.nanoTime() - deadlineNanos > 0) {
        throw new TimedOut(timeout);
      }
    }
  }

  /** A job stopped by its {@link Deadline}. */
  static final class TimedOut extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TimedOut(Duration timeout) {
      super("the request took longer than the server's timeout of " + timeout.toMillis() + " ms", null, false, false);
    }
  }
}
