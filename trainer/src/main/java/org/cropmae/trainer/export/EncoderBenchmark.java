package org.cropmae.trainer.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.cropmae.runtime.onnx.EncoderOptions;
import org.cropmae.runtime.onnx.OnnxEncoder;

/**
 * Measures the exported encoder under ONNX Runtime: milliseconds per frame, throughput in GFLOP/s
 * (from an analytic count) and the process's peak resident memory, for several session settings.
 *
 * <p>The default configuration is the paper's evaluation setting: ViT-S/16 on 480x880 DAVIS frames
 * (1651 tokens), random weights (timing does not depend on their values).
 */
public final class EncoderBenchmark {
  private EncoderBenchmark() {}

  /**
   * What to measure.
   *
   * @param arch encoder size; weights are random
   * @param height frame height in pixels (multiple of the patch size)
   * @param width frame width in pixels (multiple of the patch size)
   * @param batch frames per {@code encode} call
   * @param warmup untimed calls per setting (the first call also plans memory)
   * @param iterations timed calls per setting
   * @param settings session settings to compare, each measured with a fresh session
   */
  public record Config(
      EncoderArchitecture arch, int height, int width, int batch, int warmup, int iterations,
      List<EncoderOptions> settings) {
    public Config {
      settings = List.copyOf(settings);
      if (height % arch.patchSize() != 0 || width % arch.patchSize() != 0) {
        throw new IllegalArgumentException(
            "frame " + height + "x" + width + " is not a multiple of the patch size " + arch.patchSize());
      }
      if (batch < 1 || warmup < 0 || iterations < 1 || settings.isEmpty()) {
        throw new IllegalArgumentException("batch and iterations must be >= 1, warmup >= 0, settings non-empty");
      }
    }

    /** ViT-S/16 at 480x880, batch 1, 2 warm-up and 5 timed calls; 1 and 2 threads x EXTENDED and ALL, on CPU. */
    public static Config defaults() {
      List<EncoderOptions> settings = new ArrayList<>();
      for (int threads : new int[] {1, 2}) {
        for (EncoderOptions.OptimizationLevel level :
            List.of(EncoderOptions.OptimizationLevel.EXTENDED, EncoderOptions.OptimizationLevel.ALL)) {
          settings.add(EncoderOptions.defaults().withThreads(threads, 1).withOptimizationLevel(level)
              .withExecutionProvider(EncoderOptions.ExecutionProvider.CPU));
        }
      }
      return new Config(EncoderArchitecture.vits16(), 480, 880, 1, 2, 5, settings);
    }
  }

  /**
   * One setting's measurement.
   *
   * @param msPerFrameMedian median over the timed calls of call time / batch, milliseconds
   * @param msPerFrameMin fastest call time / batch, milliseconds
   * @param gflopPerFrame analytic floating-point operations per frame, 10^9 (see {@link #flopsPerFrame})
   * @param gflopPerSecond {@code gflopPerFrame / median seconds per frame}
   * @param sessionOpenMs time to create the session (graph optimisation included), milliseconds
   * @param peakRssBytes peak resident memory of the process while this setting ran (Linux
   *     {@code VmHWM}, reset before the setting when the kernel allows), -1 when unknown
   * @param rssBeforeBytes resident memory before the session was created, -1 when unknown
   * @param peakResetSupported whether the peak was reset before this setting; if not, the peak is
   *     the process's lifetime peak
   */
  public record Result(
      String architecture, int height, int width, int batch, String executionProvider, int intraOpThreads,
      int interOpThreads, String optimizationLevel, int iterations, double msPerFrameMedian, double msPerFrameMin,
      double gflopPerFrame, double gflopPerSecond, double sessionOpenMs, long peakRssBytes, long rssBeforeBytes,
      boolean peakResetSupported) {

    /** One JSON object, keys as the component names. */
    public String toJson() {
      return org.cropmae.runtime.io.JsonText.of(this);
    }
  }

  /** A JSON array of {@link Result#toJson()} objects, one per line. */
  public static String toJson(List<Result> results) {
    StringBuilder sb = new StringBuilder("[\n");
    for (int i = 0; i < results.size(); i++) {
      sb.append("  ").append(results.get(i).toJson()).append(i + 1 < results.size() ? ",\n" : "\n");
    }
    return sb.append("]").toString();
  }



  /**
   * Floating-point operations of one forward pass, counting a multiply-add as 2: the patch
   * projection and, per block with {@code T = 1 + h*w} tokens, the qkv, attention scores, attention
   * context, output projection and both MLP matrix products. LayerNorm, softmax, GELU and additions
   * (under 1% for ViT-S) are left out, as in the usual ViT FLOP figures.
   */
  public static double flopsPerFrame(EncoderArchitecture arch, int height, int width) {
    double p = arch.patchSize();
    double n = (double) (height / arch.patchSize()) * (width / arch.patchSize());
    double t = n + 1;
    double d = arch.embedDim();
    double m = arch.mlpHiddenDim();
    double patch = 2 * n * d * 3 * p * p;
    double block = 2 * t * d * 3 * d // qkv
        + 2 * 2 * t * t * d // q k^T and attention x v over all heads
        + 2 * t * d * d // output projection
        + 2 * 2 * t * d * m; // fc1 and fc2
    return patch + arch.depth() * block;
  }

  /**
   * Exports random weights for {@code config.arch()} into {@code workDir} and measures every setting.
   * Each setting runs in a fresh session; results come in the order of {@code config.settings()}.
   */
  public static List<Result> run(Config config, Path workDir) throws IOException {
    Path model = workDir.resolve("bench-" + config.arch().name() + ".onnx");
    OnnxEncoderExporter.export(RandomEncoderWeights.create(config.arch(), 42), config.arch(), model, java.util.Map.of());
    float[] frames = new float[config.batch() * 3 * config.height() * config.width()];
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < frames.length; i++) {
      frames[i] = (float) (rnd.nextDouble() * 4 - 2);
    }
    double gflop = flopsPerFrame(config.arch(), config.height(), config.width()) / 1e9;
    List<Result> results = new ArrayList<>();
    for (EncoderOptions options : config.settings()) {
      boolean reset = ProcessMemory.resetPeak();
      long before = ProcessMemory.residentBytes();
      long t0 = System.nanoTime();
      try (OnnxEncoder encoder = OnnxEncoder.open(model, options)) {
        double openMs = (System.nanoTime() - t0) / 1e6;
        for (int i = 0; i < config.warmup(); i++) {
          encoder.encode(frames, config.batch(), config.height(), config.width());
        }
        double[] ms = new double[config.iterations()];
        for (int i = 0; i < ms.length; i++) {
          long s = System.nanoTime();
          encoder.encode(frames, config.batch(), config.height(), config.width());
          ms[i] = (System.nanoTime() - s) / 1e6 / config.batch();
        }
        Arrays.sort(ms);
        double median = ms.length % 2 == 1 ? ms[ms.length / 2] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
        results.add(new Result(config.arch().name(), config.height(), config.width(), config.batch(),
            encoder.info().executionProvider(), options.intraOpThreads(), options.interOpThreads(),
            options.optimizationLevel().name(), config.iterations(), median, ms[0], gflop, gflop / (median / 1e3),
            openMs, ProcessMemory.peakResidentBytes(), before, reset));
      }
    }
    return results;
  }

  /** Linux {@code /proc/self} memory figures; -1 elsewhere. */
  private static final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    static long residentBytes() {
      return statusKb("VmRSS:");
    }

    static long peakResidentBytes() {
      return statusKb("VmHWM:");
    }

    /** Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+). */
    static boolean resetPeak() {
      try {
        Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        return true;
      } catch (IOException | UnsupportedOperationException | SecurityException e) {
        return false;
      }
    }

    private static long statusKb(String key) {
      try {
        for (String line : Files.readAllLines(STATUS)) {
          if (line.startsWith(key)) {
            return Long.parseLong(line.substring(key.length()).replace("kB", "").strip()) * 1024;
          }
        }
      } catch (IOException | NumberFormatException e) {
        return -1;
      }
      return -1;
    }
  }

  /**
   * Runs {@code config} with the model written to a temporary folder that is removed afterwards.
   *
   * @return one result per setting, fastest first
   */
  public static List<Result> run(Config config) throws IOException {
    Path work = Files.createTempDirectory("cropmae-bench");
    try {
      List<Result> results = new ArrayList<>(run(config, work));
      results.sort(Comparator.comparingDouble(Result::msPerFrameMedian));
      return results;
    } finally {
      try (var files = Files.list(work)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(work);
    }
  }
}
