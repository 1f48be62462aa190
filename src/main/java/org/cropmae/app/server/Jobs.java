package org.cropmae.app.server;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The asynchronous propagations of {@code POST /v1/jobs}: at most {@code capacity} jobs are kept
 * (queued, running or finished); a finished job and its result are dropped {@code ttl} after it
 * finished, or earlier, oldest first, when a new job needs the place. Ids are 128 random bits, so
 * one client cannot guess another's. Thread-safe.
 */
final class Jobs {
  /** Where a job is. */
  enum State { QUEUED, RUNNING, DONE, FAILED }

  /**
   * A finished job's answer.
   *
   * @param contentType media type, e.g. {@code application/zip}
   * @param fileName suggested download name
   * @param parts what {@code GET /v1/jobs/{id}/result/{part}} serves ({@code masks}, {@code overlay}); may be empty
   */
  record Result(byte[] bytes, String contentType, String fileName, Map<String, Result> parts) {
    Result(byte[] bytes, String contentType, String fileName) {
      this(bytes, contentType, fileName, Map.of());
    }
  }

  /** One job; its progress fields are updated by the worker and read by status requests. */
  static final class Job {
    final String id;
    final long total;
    final AtomicInteger done = new AtomicInteger();
    private volatile State state = State.QUEUED;
    private volatile Result result;
    private volatile HttpError error;
    private volatile long finishedNanos;

    Job(String id, long total) {
      this.id = id;
      this.total = total;
    }

    State state() {
      return state;
    }

    Result result() {
      return result;
    }

    HttpError error() {
      return error;
    }

    void running() {
      state = State.RUNNING;
    }

    void succeeded(Result r) {
      result = r;
      finishedNanos = System.nanoTime();
      state = State.DONE;
    }

    void failed(HttpError e) {
      error = e;
      finishedNanos = System.nanoTime();
      state = State.FAILED;
    }

    boolean finished() {
      State s = state;
      return s == State.DONE || s == State.FAILED;
    }
  }

  private final int capacity;
  private final Duration ttl;
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private final SecureRandom random = new SecureRandom();

  Jobs(int capacity, Duration ttl) {
    this.capacity = capacity;
    this.ttl = ttl;
  }

  /** How long a finished job is kept. */
  Duration ttl() {
    return ttl;
  }

  /**
   * A new queued job with {@code total} frames expected (or {@code -1}).
   *
   * @throws HttpError 503 when {@code capacity} jobs are unfinished
   */
  synchronized Job create(long total) {
    expire();
    if (jobs.size() >= capacity) {
      // The oldest finished job makes room.
      Iterator<Job> it = jobs.values().iterator();
      while (it.hasNext() && jobs.size() >= capacity) {
        if (it.next().finished()) {
          it.remove();
        }
      }
      if (jobs.size() >= capacity) {
        throw Server.unavailable(capacity + " jobs are queued or running; retry later", 5);
      }
    }
    byte[] b = new byte[16];
    random.nextBytes(b);
    Job job = new Job(HexFormat.of().formatHex(b), total);
    jobs.put(job.id, job);
    return job;
  }

  /** The job, or {@code null} when unknown or expired. */
  synchronized Job get(String id) {
    expire();
    return jobs.get(id);
  }

  /** Jobs kept (any state). */
  synchronized int size() {
    return jobs.size();
  }

  private void expire() {
    long now = System.nanoTime();
    jobs.values().removeIf(j -> j.finished() && now - j.finishedNanos >= ttl.toNanos());
  }
}
