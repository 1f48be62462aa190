package org.cropmae.app.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.cropmae.runtime.io.AtomicFiles;
import org.cropmae.runtime.preprocess.ProtocolSize;
import org.cropmae.runtime.propagation.PropagationConfig;

/**
 * Runs a {@link BenchmarkSuite} into an output folder: every video not yet done is propagated
 * (staged in {@code <out>/.partial/}, then moved into place, so a video's results are either
 * complete or absent), a video that fails is recorded with its one-line error while the others go
 * on, and the finished videos are scored. The run's settings are kept in
 * {@value #SETTINGS_FILE}; a later run into the same folder with other settings is refused unless
 * it redoes everything ({@code force}), so resumed results never mix models or parameters.
 */
public final class EvaluationRunner {
  /** The settings file in the output folder. */
  public static final String SETTINGS_FILE = ".cropmae-evaluate.json";
  /** The report written into the output folder. */
  public static final String REPORT_FILE = "evaluation.json";
  /** One row per video. */
  public static final String PER_VIDEO_FILE = "per-video_results.csv";

  private static final String STAGING = ".partial";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Receives progress: one call per frame written. */
  public interface Listener {
    /** Called once before the first video, with the frames still to propagate. */
    default void started(int pendingVideos, long pendingFrames) {}

    /** A frame of {@code video} was written. */
    default void frameDone(BenchmarkVideo video) {}

    /** {@code video} failed with {@code message}. */
    default void failed(BenchmarkVideo video, String message) {}
  }

  /** A video that could not be evaluated and why (one line naming the input). */
  public record Failure(String video, String message) {}

  /**
   * The outcome of a run.
   *
   * @param scores the scores of the finished videos, or {@code null} when none finished
   * @param evaluated videos scored
   * @param propagated videos propagated by this run
   * @param skipped videos already done by an earlier run
   * @param failures videos that failed, in list order
   * @param seconds wall time of the run
   */
  public record Outcome(String benchmark, BenchmarkScores scores, int evaluated, int propagated, int skipped,
      List<Failure> failures, double seconds) {}

  private final BenchmarkSuite suite;
  private final BenchmarkSuite.Engine engine;
  private final Path out;
  private final boolean force;
  private final Map<String, Object> settings;
  private final String modelDescription;

  /**
   * @param modelSha256 SHA-256 of the model's weights (a resumed run must use the same)
   * @param force redo every video, replacing earlier results
   */
  public EvaluationRunner(BenchmarkSuite suite, BenchmarkSuite.Engine engine, Path out, String modelDescription,
      String modelSha256, boolean force) {
    this.suite = Objects.requireNonNull(suite, "suite");
    this.engine = Objects.requireNonNull(engine, "engine");
    this.out = Objects.requireNonNull(out, "out");
    this.force = force;
    PropagationConfig c = suite.config();
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("benchmark", suite.name());
    s.put("model_sha256", modelSha256);
    s.put("context", c.contextLength());
    s.put("topk", c.topK());
    s.put("temperature", c.temperature());
    s.put("radius", c.radius());
    s.put("input_size", describe(c.inputSize()));
    // JHMDB results are named by list position: a reordered list must not reuse them.
    java.security.MessageDigest md = org.cropmae.runtime.io.Sha256.newDigest();
    java.util.Set<Path> seen = new java.util.HashSet<>();
    for (BenchmarkVideo v : suite.videos()) {
      md.update((v.index() + "\t" + v.id() + "\n").getBytes(StandardCharsets.UTF_8));
      if (!seen.add(suite.resultPath(v))) {
        throw new IllegalArgumentException("the list names two videos '" + v.id()
            + "' (their results would overwrite each other); rename one folder or drop it from the list");
      }
    }
    s.put("videos_sha256", org.cropmae.runtime.io.Sha256.hex(md));
    this.settings = s;
    this.modelDescription = Objects.requireNonNull(modelDescription, "modelDescription");
  }

  /**
   * Runs the suite.
   *
   * @throws IOException when the output folder cannot be used (other settings, not writable) or
   *     scoring fails
   */
  public Outcome run(Listener listener) throws IOException {
    long start = System.nanoTime();
    Files.createDirectories(out);
    checkSettings();
    Path staging = out.resolve(STAGING);
    List<BenchmarkVideo> pending = new ArrayList<>();
    List<BenchmarkVideo> done = new ArrayList<>();
    List<Failure> failures = new ArrayList<>();
    long frames = 0;
    for (BenchmarkVideo v : suite.videos()) {
      if (!force && Files.exists(out.resolve(suite.resultPath(v)))) {
        done.add(v);
        continue;
      }
      try {
        frames += suite.frameCount(v);
        pending.add(v);
      } catch (IOException | RuntimeException e) {
        failures.add(failure(v, e, listener));
      }
    }
    int skipped = done.size();
    listener.started(pending.size(), frames);
    int propagated = 0;
    for (BenchmarkVideo v : pending) {
      Path target = out.resolve(suite.resultPath(v));
      Path stage = staging.resolve(suite.resultPath(v));
      AtomicFiles.deleteTree(stage);
      Files.createDirectories(stage.getParent());
      try {
        suite.propagate(v, engine, stage, () -> listener.frameDone(v));
        AtomicFiles.deleteTree(target);
        Files.move(stage, target, StandardCopyOption.ATOMIC_MOVE);
        done.add(v);
        propagated++;
      } catch (IOException | RuntimeException e) {
        AtomicFiles.deleteTree(stage);
        failures.add(failure(v, e, listener));
      }
    }
    deleteIfEmpty(staging);
    List<BenchmarkVideo> ordered = suite.videos().stream().filter(done::contains).toList();
    BenchmarkScores scores = ordered.isEmpty() ? null : suite.score(ordered, out);
    List<Failure> sortedFailures = failures.stream()
        .sorted(Comparator.comparingInt(f -> indexOf(f.video()))).toList();
    Outcome outcome = new Outcome(suite.name(), scores, ordered.size(), propagated, skipped, sortedFailures,
        (System.nanoTime() - start) / 1e9);
    if (scores != null) {
      writeReport(outcome);
    }
    return outcome;
  }

  /** {@code 480x880}, or {@code longer side 880} (rounded down to a multiple of 64 on the other side). */
  public static String describe(ProtocolSize size) {
    if (size instanceof ProtocolSize.Fixed f) {
      return f.height() + "x" + f.width();
    }
    return "longer side " + ((ProtocolSize.LongerSide) size).side();
  }

  private int indexOf(String id) {
    for (BenchmarkVideo v : suite.videos()) {
      if (v.id().equals(id)) {
        return v.index();
      }
    }
    return Integer.MAX_VALUE;
  }

  private static Failure failure(BenchmarkVideo v, Exception e, Listener listener) {
    String m = firstLine(e);
    if (!(e instanceof IOException) && !(e instanceof IllegalArgumentException)) {
      m = e.getClass().getSimpleName() + ": " + m;
    }
    listener.failed(v, m);
    return new Failure(v.id(), m);
  }

  /** The first line of an exception's message (its class name when it has none). */
  static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private void checkSettings() throws IOException {
    Path file = out.resolve(SETTINGS_FILE);
    String mine = JSON.writeValueAsString(settings);
    if (!force && Files.isRegularFile(file)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> theirs = JSON.readValue(Files.readString(file), LinkedHashMap.class);
      if (!JSON.writeValueAsString(theirs).equals(mine)) {
        throw new IOException(out + ": holds results of another run (" + describeDifference(theirs)
            + "); use another --out, or --force to redo every video");
      }
      return;
    }
    AtomicFiles.write(file, mine.getBytes(StandardCharsets.UTF_8));
  }

  private String describeDifference(Map<String, Object> theirs) {
    List<String> diffs = new ArrayList<>();
    for (Map.Entry<String, Object> e : settings.entrySet()) {
      Object other = theirs.get(e.getKey());
      if (other == null || !String.valueOf(other).equals(String.valueOf(e.getValue()))) {
        diffs.add(switch (e.getKey()) {
          case "videos_sha256" -> "another video list";
          case "model_sha256" -> "another model";
          default -> e.getKey() + " " + other + " there, " + e.getValue() + " now";
        });
      }
    }
    return diffs.isEmpty() ? "settings differ" : String.join(", ", diffs);
  }

  private void writeReport(Outcome o) throws IOException {
    BenchmarkScores s = o.scores();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("benchmark", o.benchmark());
    report.put("model", modelDescription);
    report.put("settings", settings);
    report.put("videos_evaluated", o.evaluated());
    report.put("metrics", finite(s.metrics()));
    report.putAll(s.details());
    List<Map<String, Object>> perVideo = new ArrayList<>();
    for (BenchmarkScores.Row row : s.perVideo()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("video", row.video());
      for (int i = 0; i < row.values().size(); i++) {
        double v = row.values().get(i);
        r.put(s.perVideoColumns().get(i), Double.isFinite(v) ? v : null);
      }
      perVideo.add(r);
    }
    report.put("per_video", perVideo);
    report.put("failures", o.failures());
    AtomicFiles.write(out.resolve(REPORT_FILE), JSON.writeValueAsBytes(report));
    StringBuilder csv = new StringBuilder("video");
    for (String c : s.perVideoColumns()) {
      csv.append(',').append(c);
    }
    csv.append('\n');
    for (BenchmarkScores.Row row : s.perVideo()) {
      csv.append(row.video());
      for (double v : row.values()) {
        csv.append(',').append(Double.isFinite(v) ? String.format(Locale.ROOT, "%.6f", v) : "");
      }
      csv.append('\n');
    }
    AtomicFiles.write(out.resolve(PER_VIDEO_FILE), csv.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, Double> finite(Map<String, Double> m) {
    Map<String, Double> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, Double.isFinite(v) ? v : null));
    return out;
  }

  private static void deleteIfEmpty(Path dir) throws IOException {
    try {
      Files.deleteIfExists(dir);
    } catch (DirectoryNotEmptyException | FileAlreadyExistsException e) {
      // something else left there; keep it
    }
  }
}
