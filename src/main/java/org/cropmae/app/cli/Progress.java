package org.cropmae.app.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows how far a long command is: a redrawn bar on an interactive terminal, otherwise a plain
 * line every 10% or 10 seconds so that logs stay readable.
 */
public final class Progress implements AutoCloseable {
  private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

  private final PrintWriter out;
  private final String task;
  private final long total;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private long lastLog = start;
  private long lastDecile = -1;
  private long done;

  /** Progress of {@code total} steps of {@code task}, printed to {@code out} (the command's error stream by convention). */
  public Progress(PrintWriter out, String task, long total) {
    this(out, task, total, System.console() != null);
  }

  Progress(PrintWriter out, String task, long total, boolean terminal) {
    this.out = out;
    this.task = task;
    this.total = Math.max(1, total);
    this.terminal = terminal;
  }

  /** Records one more finished step; {@code detail} (may be empty) follows the counts. */
  public void step(String detail) {
    done++;
    long now = System.nanoTime();
    double seconds = (now - start) / 1e9;
    double rate = done / Math.max(seconds, 1e-9);
    String counts = String.format(Locale.ROOT, "%s %d/%d (%.2f/s)%s", task, done, total, rate,
        detail.isEmpty() ? "" : " " + detail);
    if (terminal) {
      int width = 30;
      int filled = (int) Math.min(width, width * done / total); // a video header may undercount its frames
      out.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + counts);
      if (done >= total) {
        out.println();
      }
      out.flush();
      return;
    }
    long decile = done * 10 / total;
    if (decile != lastDecile || now - lastLog >= LOG_INTERVAL_NANOS || done == total) {
      out.println(counts);
      lastDecile = decile;
      lastLog = now;
    }
  }

  @Override
  public void close() {
    if (terminal && done < total) {
      out.println();
    }
  }
}
