package org.cropmae.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.cropmae.app.evaluate.BenchmarkSuite;
import org.cropmae.app.evaluate.EvaluationRunner;
import org.cropmae.app.evaluate.Suites;
import org.cropmae.runtime.onnx.OnnxAffinityBackend;
import org.cropmae.runtime.propagation.ComputePool;
import org.cropmae.runtime.propagation.PropagationConfig;
import org.cropmae.runtime.video.FrameFeatures;
import org.cropmae.trainer.export.EncoderArchitecture;
import org.cropmae.trainer.export.OnnxEncoderExporter;
import org.cropmae.trainer.export.RandomEncoderWeights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cropmae bench evaluate}: seconds per frame of {@code cropmae evaluate davis}, end to end. */
@Command(name = "evaluate", header = "Times 'cropmae evaluate davis' end to end, in seconds per frame.",
    mixinStandardHelpOptions = true,
    description = {"The whole DAVIS evaluation of 'cropmae evaluate davis' (decode, encoder at 480x880, propagation, writing the",
        "masks, scoring) on a DAVIS folder, by default with a random ViT-S/16: seconds per frame as JSON. docs/bench/",
        "official_evaluate.py times the official pipeline on the same folder and checkpoint (docs/EVALUATION.md)."})
final class BenchEvaluateCommand extends CliCommand {
  @Option(names = "--root", required = true, paramLabel = "DIR", description = "DAVIS folder (e.g. the test fixture's).")
  Path root;

  @Option(names = "--list", paramLabel = "FILE", description = "davis_vallist_480_880.txt-style list (default: ImageSets/2017/val.txt).")
  Path list;

  @Option(names = "--model", paramLabel = "E.onnx|NAME|C.pth",
      description = "Encoder (default: random ViT-S/16 weights; timing does not depend on their values).")
  String model;

  @Option(names = "--arch", defaultValue = "vits16", paramLabel = "vits16|vits8|vitb16|vitl16",
      description = "Size of the random encoder when --model is not given (default: ${DEFAULT-VALUE}).")
  String arch;

  @Mixin EncoderOptionsMixin encoderOptions;

  @Override
  public Integer call() throws IOException {
    Path work = Files.createTempDirectory("cropmae-bench-evaluate");
    try {
      String spec = model;
      if (spec == null) {
        EncoderArchitecture a = EncoderArchitecture.named(arch);
        Path file = work.resolve(arch + "-random.onnx");
        OnnxEncoderExporter.export(RandomEncoderWeights.create(a, 42), a, file, Map.of());
        spec = file.toString();
      }
      PropagationConfig config = PropagationConfig.davis();
      int threads = Runtime.getRuntime().availableProcessors();
      try (ModelArgument.Opened opened = ModelArgument.open(spec, encoderOptions.toOptions());
          ComputePool pool = ComputePool.create(threads);
          OnnxAffinityBackend backend = OnnxAffinityBackend.create()) {
        FrameFeatures features = FrameFeatures.of(opened.encoder());
        BenchmarkSuite suite = Suites.open("davis", root, list, "val", config, features.patchSize(), threads);
        long frames = 0;
        for (var v : suite.videos()) {
          frames += suite.frameCount(v);
        }
        long start = System.nanoTime();
        EvaluationRunner.Outcome o = new EvaluationRunner(suite, new BenchmarkSuite.Engine(features, pool, backend),
            work.resolve("out"), opened.description(), opened.sha256(), true).run(new EvaluationRunner.Listener() {});
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!o.failures().isEmpty()) {
          throw new IOException(root + ": " + o.failures().get(0).video() + ": " + o.failures().get(0).message());
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "evaluate davis");
        json.put("model", model == null ? arch + " (random weights)" : opened.description());
        json.put("input_size", "480x880");
        json.put("videos", o.evaluated());
        json.put("frames", frames);
        json.put("seconds", seconds);
        json.put("seconds_per_frame", seconds / frames);
        json.put("encoder_threads", encoderOptions.toOptions().intraOpThreads());
        json.put("processors", threads);
        json.put("cpu", cpuModel());
        json.put("J&F-Mean", o.scores().metrics().get("J&F-Mean"));
        stdout().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
        return 0;
      }
    } finally {
      org.cropmae.runtime.io.AtomicFiles.deleteTree(work);
    }
  }

  /** The CPU as lscpu names it ("Model name"), from /proc/cpuinfo; "unknown" elsewhere. */
  static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
          .findFirst().orElse("unknown");
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
