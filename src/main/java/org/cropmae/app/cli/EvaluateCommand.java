package org.cropmae.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.cropmae.app.evaluate.BenchmarkScores;
import org.cropmae.app.evaluate.BenchmarkSuite;
import org.cropmae.app.evaluate.BenchmarkVideo;
import org.cropmae.app.evaluate.EvaluationRunner;
import org.cropmae.app.evaluate.Suites;
import org.cropmae.runtime.onnx.OnnxAffinityBackend;
import org.cropmae.runtime.propagation.AffinityBackend;
import org.cropmae.runtime.propagation.ComputePool;
import org.cropmae.runtime.propagation.PropagationConfig;
import org.cropmae.runtime.video.FrameFeatures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cropmae evaluate davis|jhmdb|vip}: one of the paper's benchmarks, end to end. */
@Command(name = "evaluate", header = "Evaluates an encoder on DAVIS, JHMDB or VIP end to end, as the official pipeline does.",
    mixinStandardHelpOptions = true,
    description = {
        "Evaluates an encoder on one of the paper's label-propagation benchmarks, as the official pipeline does:",
        "propagates every validation video with the benchmark's preset, writes the results in the official layout,",
        "scores them with the official metric and prints the table next to the paper's numbers.",
        "  cropmae evaluate davis --model C.pth --root DAVIS --out r/      (J&F; DAVIS-2017 val, 480x880)",
        "  cropmae evaluate jhmdb --model E.onnx --root JHMDB --list jhmdb_vallist.txt --out r/   (PCK@0.1, @0.2)",
        "  cropmae evaluate vip --model cropmae-tiny-g2l --root VIP --out r/  (mIoU)",
        "An interrupted run resumes: videos whose results are complete are skipped (--force redoes them).",
        "A broken video is reported and skipped; the others are scored, and the exit code is then 1."})
public final class EvaluateCommand extends CliCommand {
  /** Paper's numbers for ViT-S/16 trained on the ImageNet subset (Table 1) and the official checkpoint. */
  private static final Map<String, String> PAPER = Map.of(
      "davis", "paper ViT-S/16 (IN subset): J&F-Mean 60.4; official checkpoint 60.1",
      "jhmdb", "paper ViT-S/16 (IN subset): PCK@0.1 43.6; official checkpoint 43.5",
      "vip", "paper ViT-S/16 (IN subset): mIoU 33.3; official checkpoint 33.2");

  @Parameters(index = "0", paramLabel = "davis|jhmdb|vip", description = "The benchmark.")
  String benchmark;

  @Option(names = "--model", required = true, paramLabel = "E.onnx|NAME|C.pth|URL",
      description = "ONNX encoder, registry name, https://...#sha256=<hex> address, or a PyTorch checkpoint "
          + "(official or ours; converted in memory, nothing in it executed).")
  String model;

  @Option(names = "--root", required = true, paramLabel = "DIR",
      description = "Dataset folder: DAVIS-2017 (JPEGImages/480p, Annotations/480p, ImageSets/2017; or the pre-resized DAVIS_480_880), "
          + "JHMDB (Rename_Images/, joint_positions/) or VIP (Images/, Annotations/Category_ids/).")
  Path root;

  @Option(names = "--list", paramLabel = "FILE",
      description = "Video list in the official format (davis_vallist_480_880.txt, jhmdb_vallist.txt, vip_vallist.txt); "
          + "relative paths are found under --root. Default: DAVIS ImageSets/2017/<set>.txt, JHMDB <root>/jhmdb_vallist.txt, "
          + "VIP every Images/<video> with annotations.")
  Path list;

  @Option(names = "--set", defaultValue = "val", description = "DAVIS image set (default: ${DEFAULT-VALUE}).")
  String set;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Results folder: the official layout (DAVIS <seq>/%%05d.png and its CSVs, VIP <video>/<frame>_mask.png, "
          + "JHMDB <i>.npy), plus evaluation.json and per-video_results.csv.")
  Path out;

  @Option(names = "--force", description = "Redo every video, replacing earlier results.")
  boolean force;

  @Option(names = "--context", paramLabel = "N", description = "Override the preset: previous frames attended to.")
  Integer context;

  @Option(names = "--topk", paramLabel = "K", description = "Override the preset: neighbours per position.")
  Integer topK;

  @Option(names = "--temperature", paramLabel = "T", description = "Override the preset: softmax temperature.")
  Double temperature;

  @Option(names = "--radius", paramLabel = "R", description = "Override the preset: spatial radius in grid cells.")
  Double radius;

  @Option(names = "--propagation-threads", paramLabel = "N", description = "Threads of the propagation and scoring (default: all processors).")
  Integer propagationThreads;

  @Mixin EncoderOptionsMixin encoderOptions;

  @Override
  public Integer call() throws IOException {
    String name = benchmark.toLowerCase(Locale.ROOT);
    if (!PAPER.containsKey(name)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "unknown benchmark '" + benchmark + "'; expected davis, jhmdb or vip");
    }
    PropagationConfig config;
    try {
      config = PropagationOptions.toConfig(name, context, topK, temperature, radius, null, "--");
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    int threads = propagationThreads == null ? Runtime.getRuntime().availableProcessors() : propagationThreads;
    if (threads < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--propagation-threads must be at least 1");
    }
    PrintWriter err = stderr();
    try (ModelArgument.Opened opened = ModelArgument.open(model, encoderOptions.toOptions());
        ComputePool pool = ComputePool.create(threads)) {
      FrameFeatures features = FrameFeatures.of(opened.encoder());
      BenchmarkSuite suite = Suites.open(name, root, list, set, config, features.patchSize(), threads);
      AffinityBackend backend = OnnxAffinityBackend.create();
      EvaluationRunner.Outcome outcome;
      try {
        EvaluationRunner runner = new EvaluationRunner(suite, new BenchmarkSuite.Engine(features, pool, backend), out,
            opened.description(), opened.sha256(), force);
        ProgressListener listener = new ProgressListener(err, name);
        try {
          outcome = runner.run(listener);
        } finally {
          listener.close();
        }
      } finally {
        PropagationOptions.close(backend);
      }
      print(outcome, opened.description(), config);
      if (!outcome.failures().isEmpty()) {
        err.println("cropmae evaluate: " + outcome.failures().size() + " of " + suite.videos().size()
            + " videos failed; the table covers the other " + outcome.evaluated() + ":");
        for (EvaluationRunner.Failure f : outcome.failures()) {
          err.println("  " + f.video() + ": " + f.message());
        }
        err.flush();
        return 1;
      }
      return 0;
    }
  }

  /** Shows frames over all pending videos as one bar; names the video being propagated. */
  private static final class ProgressListener implements EvaluationRunner.Listener, AutoCloseable {
    private final PrintWriter err;
    private final String name;
    private Progress progress;

    ProgressListener(PrintWriter err, String name) {
      this.err = err;
      this.name = name;
    }

    @Override
    public void started(int pendingVideos, long pendingFrames) {
      err.println("evaluate " + name + ": " + pendingVideos + " videos (" + pendingFrames + " frames) to propagate");
      progress = new Progress(err, "evaluate " + name, pendingFrames);
    }

    @Override
    public void frameDone(BenchmarkVideo video) {
      progress.step(video.id());
    }

    @Override
    public void failed(BenchmarkVideo video, String message) {
      err.println();
      err.println("evaluate " + name + ": " + video.id() + " failed: " + message);
      err.flush();
    }

    @Override
    public void close() {
      if (progress != null) {
        progress.close();
      }
    }
  }

  private void print(EvaluationRunner.Outcome o, String modelDescription, PropagationConfig c) {
    PrintWriter w = stdout();
    w.printf(Locale.ROOT, "%s: %d videos scored (%d propagated now, %d from an earlier run), %.1f s%n",
        o.benchmark(), o.evaluated(), o.propagated(), o.skipped(), o.seconds());
    w.printf(Locale.ROOT, "model %s; preset context %d, top-k %d, temperature %s, radius %s, input %s%n",
        modelDescription, c.contextLength(), c.topK(), c.temperature(), c.radius(), EvaluationRunner.describe(c.inputSize()));
    BenchmarkScores s = o.scores();
    if (s == null) {
      w.println("no video could be evaluated");
      w.flush();
      return;
    }
    StringBuilder head = new StringBuilder();
    StringBuilder row = new StringBuilder();
    for (Map.Entry<String, Double> e : s.metrics().entrySet()) {
      int width = Math.max(e.getKey().length(), 7) + 1;
      head.append(String.format(Locale.ROOT, "%" + width + "s", e.getKey()));
      row.append(String.format(Locale.ROOT, "%" + width + ".3f", e.getValue()));
    }
    w.println(head);
    w.println(row);
    w.println("(" + PAPER.get(o.benchmark()) + ")");
    w.println();
    int nameWidth = "video".length();
    for (BenchmarkScores.Row r : s.perVideo()) {
      nameWidth = Math.max(nameWidth, r.video().length());
    }
    StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%-" + nameWidth + "s", "video"));
    for (String col : s.perVideoColumns()) {
      h.append(String.format(Locale.ROOT, " %9s", col));
    }
    w.println(h);
    for (BenchmarkScores.Row r : s.perVideo()) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + nameWidth + "s", r.video()));
      for (double v : r.values()) {
        line.append(String.format(Locale.ROOT, " %9.3f", v));
      }
      w.println(line);
    }
    w.println("wrote " + out.resolve(EvaluationRunner.REPORT_FILE) + " and " + out.resolve(EvaluationRunner.PER_VIDEO_FILE)
        + (s.files().isEmpty() ? "" : " and " + String.join(", ", s.files())));
    w.flush();
  }
}
