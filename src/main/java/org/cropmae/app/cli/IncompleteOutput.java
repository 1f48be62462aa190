package org.cropmae.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cropmae.runtime.io.AtomicFiles;

/**
 * Marks an output folder that is being filled file by file as incomplete until the work finishes:
 * a run stopped by a signal, a crash or a bad frame leaves {@value #MARKER} beside the files it did
 * write, so neither a user nor a script mistakes a partial result for a whole one. On a signal
 * (SIGTERM, Ctrl-C) it also prints how far the work got.
 */
final class IncompleteOutput implements AutoCloseable {
  /** The marker's name in the output folder. */
  static final String MARKER = ".cropmae-incomplete";

  private final Path folder;
  private final String command;
  private final PrintWriter err;
  private final Thread onSignal;
  private volatile boolean started;
  private volatile boolean complete;
  private volatile int written;

  IncompleteOutput(Path folder, String command, PrintWriter err) {
    this.folder = folder;
    this.command = command;
    this.err = err;
    this.onSignal = new Thread(this::reportStop, "cropmae-incomplete-output");
    Runtime.getRuntime().addShutdownHook(onSignal);
  }

  /** Creates the folder and the marker; call before the first file is written into it. */
  void start(String description) throws IOException {
    if (started) {
      return;
    }
    Files.createDirectories(folder);
    AtomicFiles.write(folder.resolve(MARKER), (description + "\nThis file is removed when the run completes; while it"
        + " is here the folder holds only part of the result.\n").getBytes(StandardCharsets.UTF_8));
    started = true;
  }

  /** Counts one file written, for the message on a signal. */
  void wrote() {
    written++;
  }

  /** Removes the marker: every file is written. */
  void complete() throws IOException {
    if (started) {
      Files.deleteIfExists(folder.resolve(MARKER));
    }
    complete = true;
  }

  private void reportStop() {
    if (started && !complete) {
      err.println("cropmae " + command + ": stopped after " + written + " files; " + folder + " is incomplete ("
          + MARKER + " marks it)");
      err.flush();
    }
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(onSignal);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is exiting: the hook runs (or ran) and reports.
    }
  }
}
