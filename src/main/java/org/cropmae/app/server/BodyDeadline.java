package org.cropmae.app.server;

import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.Content;

/**
 * Bounds the time a request thread may spend reading a body. A client that sends a byte every few
 * seconds never trips Jetty's idle timeout; at the deadline this fails the request's content source
 * (Jetty's own way to end a read), so the waiting multipart parser fails, and the request is
 * answered 408.
 */
final class BodyDeadline implements AutoCloseable {
  private final Content.Source body;
  private final ScheduledFuture<?> alarm;
  private boolean finished;
  private boolean fired;

  private BodyDeadline(Content.Source body, ScheduledExecutorService timer, long nanos) {
    this.body = body;
    this.alarm = timer.schedule(this::fire, nanos, TimeUnit.NANOSECONDS);
  }

  /** Starts timing the read of {@code request}'s body: it is failed in {@code nanos} unless closed first. */
  static BodyDeadline start(HttpServletRequest request, ScheduledExecutorService timer, long nanos) {
    return new BodyDeadline(ServletContextRequest.getServletContextRequest(request), timer, nanos);
  }

  private synchronized void fire() {
    if (!finished) {
      fired = true;
      body.fail(new TimeoutException("request body deadline"));
    }
  }

  /** Whether the deadline passed while the body was being read. */
  synchronized boolean fired() {
    return fired;
  }

  /** Stops the timer. */
  @Override
  public void close() {
    alarm.cancel(false);
    synchronized (this) {
      finished = true;
    }
  }
}
