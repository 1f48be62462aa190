package org.cropmae.trainer.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cropmae.runtime.io.AtomicFiles;

/**
 * {@code train_log.jsonl}: one JSON object per line, {@code "event": "log"} per log interval and
 * {@code "event": "epoch"} per epoch, with {@code epoch}, {@code step} (iteration in the epoch),
 * {@code global_step}, {@code loss}, {@code lr}, {@code images_per_s} and {@code seconds} (since
 * this process started training; epoch lines add {@code epoch_seconds}). Each line is flushed when
 * written, so a crashed run keeps its log.
 */
final class TrainingLog implements AutoCloseable {
  static final String FILE = "train_log.jsonl";
  private static final Pattern EPOCH = Pattern.compile("\"epoch\":\\s*(\\d+)");

  private final BufferedWriter out;

  /**
   * Opens the log of {@code dir}. A resumed run first drops the lines of epochs after
   * {@code keepThroughEpoch} (written by a run that went on past its last checkpoint), so the
   * file describes one consistent history; a fresh run ({@code keepThroughEpoch} -1) starts empty.
   */
  TrainingLog(Path dir, int keepThroughEpoch) throws IOException {
    Path file = dir.resolve(FILE);
    List<String> kept = new ArrayList<>();
    if (keepThroughEpoch >= 0 && Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        Matcher m = EPOCH.matcher(line);
        if (m.find() && Long.parseLong(m.group(1)) <= keepThroughEpoch) {
          kept.add(line);
        }
      }
    }
    AtomicFiles.write(file, o -> {
      for (String line : kept) {
        o.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
    });
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  void log(TrainingListener.Log l) throws IOException {
    write(String.format(Locale.ROOT,
        "{\"event\":\"log\",\"epoch\":%d,\"step\":%d,\"global_step\":%d,\"loss\":%s,\"lr\":%s,\"images_per_s\":%.3f,"
            + "\"seconds\":%.3f}",
        l.epoch(), l.step(), l.globalStep(), num(l.loss()), num(l.lr()), l.imagesPerSecond(), l.seconds()));
  }

  void epoch(TrainingListener.Epoch e, int steps, long globalStep, double seconds) throws IOException {
    write(String.format(Locale.ROOT,
        "{\"event\":\"epoch\",\"epoch\":%d,\"step\":%d,\"global_step\":%d,\"loss\":%s,\"lr\":%s,\"images_per_s\":%.3f,"
            + "\"seconds\":%.3f,\"epoch_seconds\":%.3f,\"unreadable_files\":%d,\"skipped_reads\":%d}",
        e.epoch(), steps, globalStep, num(e.loss()), num(e.lr()), e.imagesPerSecond(), seconds, e.epochSeconds(),
        e.unreadableFiles(), e.skippedReads()));
  }

  /** Shortest representation that reads back to the same double (JSON has no NaN). */
  private static String num(double v) {
    return Double.isFinite(v) ? Double.toString(v) : "null";
  }

  private void write(String line) throws IOException {
    out.write(line);
    out.newLine();
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
