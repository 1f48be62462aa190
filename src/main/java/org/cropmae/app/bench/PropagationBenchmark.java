package org.cropmae.app.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.cropmae.runtime.onnx.OnnxAffinityBackend;
import org.cropmae.runtime.propagation.AffinityBackend;
import org.cropmae.runtime.propagation.AffinityKernel;
import org.cropmae.runtime.propagation.ComputePool;
import org.cropmae.runtime.propagation.JavaAffinityBackend;
import org.cropmae.runtime.propagation.LabelPropagator;
import org.cropmae.runtime.propagation.PropagationConfig;
import org.cropmae.runtime.tensor.FloatGrid;

/**
 * Throughput and memory of the label propagation on synthetic features, for each affinity backend
 * (the Java kernel and ONNX Runtime), next to each backend's rate on a large square matrix product
 * (its attainable peak on this machine).
 *
 * <p>FLOPs are counted as {@code 2 * D} per query-key dot product actually computed (see
 * {@link LabelPropagator#computedDotProducts()}); rates are wall-clock over the {@code next} calls
 * only (feature generation excluded), so they include normalisation, top-k and label mixing.
 * Memory is the used Java heap sampled after every frame (peak) and after a final GC with the
 * propagator still open (retained), for two video lengths: equal values show it does not grow
 * (ONNX Runtime's keys live in direct buffers, outside the heap: about {@code (contextLength + 1)
 * * h * w * D * 4} bytes).
 */
public final class PropagationBenchmark {
  private static final double MB = 1024.0 * 1024.0;

  private PropagationBenchmark() {}

  /** Which affinity backend a run uses. */
  public enum Backend {
    /** {@link JavaAffinityBackend}. */
    JAVA("java"),
    /** {@link OnnxAffinityBackend} with its default options. */
    ONNX("onnx");

    private final String label;

    Backend(String label) {
      this.label = label;
    }

    /** The name in the JSON. */
    @JsonValue
    public String label() {
      return label;
    }

    @Override
    public String toString() {
      return label;
    }

    /** Every backend this process can run: ONNX only when ONNX Runtime is on the class path. */
    public static List<Backend> available() {
      try {
        Class.forName("ai.onnxruntime.OrtEnvironment", false, PropagationBenchmark.class.getClassLoader());
        return List.of(JAVA, ONNX);
      } catch (ClassNotFoundException | LinkageError e) {
        return List.of(JAVA);
      }
    }
  }

  /**
   * What to run.
   *
   * @param gridH feature grid height (DAVIS 480x880 with patch 16: 30)
   * @param gridW feature grid width (55)
   * @param dim feature channels D (ViT-S: 384)
   * @param frames frames of the longer run (the shorter run has half as many)
   * @param classes label channels C
   * @param threads worker threads
   * @param seed random seed of the synthetic features and labels
   * @param matmulSize side of the square matrix product measuring each backend's peak
   * @param backends the backends to run, in order, without repeats
   */
  public record Settings(int gridH, int gridW, int dim, int frames, int classes, int threads, long seed,
      int matmulSize, List<Backend> backends) {
    public Settings {
      if (gridH < 1 || gridW < 1 || dim < 1 || classes < 1 || threads < 1 || matmulSize < 1) {
        throw new IllegalArgumentException("benchmark sizes must be positive: " + gridH + "x" + gridW + "x" + dim
            + ", classes " + classes + ", threads " + threads + ", matmul " + matmulSize);
      }
      if (frames < 4) {
        throw new IllegalArgumentException("frames must be at least 4, got " + frames);
      }
      backends = List.copyOf(backends);
      if (backends.isEmpty() || Set.copyOf(backends).size() != backends.size()) {
        throw new IllegalArgumentException("backends must be non-empty and distinct, got " + backends);
      }
    }

    /** The given sizes on every {@linkplain Backend#available() available} backend. */
    public Settings(int gridH, int gridW, int dim, int frames, int classes, int threads, long seed, int matmulSize) {
      this(gridH, gridW, dim, frames, classes, threads, seed, matmulSize, Backend.available());
    }

    /** DAVIS-sized defaults: 30x55 grid, D=384, 50 frames, 5 classes, all processors, matmul 1024, available backends. */
    public static Settings davis() {
      return new Settings(30, 55, 384, 50, 5, Runtime.getRuntime().availableProcessors(), 42L, 1024);
    }

    public Settings withFrames(int value) {
      return new Settings(gridH, gridW, dim, value, classes, threads, seed, matmulSize, backends);
    }

    public Settings withThreads(int value) {
      return new Settings(gridH, gridW, dim, frames, classes, value, seed, matmulSize, backends);
    }

    public Settings withBackends(List<Backend> value) {
      return new Settings(gridH, gridW, dim, frames, classes, threads, seed, matmulSize, value);
    }
  }

  /**
   * One propagation run.
   *
   * @param frames video length (frame 0 plus {@code frames - 1} predicted frames)
   * @param seconds wall-clock time of the {@code frames - 1} predictions
   * @param framesPerSecond predicted frames per second
   * @param affinityGflops {@code 2 * D * dotProducts / seconds / 1e9}
   * @param dotProducts query-key dot products computed
   * @param peakHeapMb largest used heap seen after a frame, MiB
   * @param retainedHeapMb used heap after a GC at the end with the propagator open, MiB
   */
  public record Run(int frames, double seconds, double framesPerSecond, double affinityGflops, long dotProducts,
      double peakHeapMb, double retainedHeapMb) {}

  /**
   * One backend's outcome.
   *
   * @param backend the affinity backend
   * @param shorter run over {@code frames / 2} frames
   * @param longer run over {@code frames} frames
   * @param matmulGflops this backend's best rate on a {@code matmulSize}^3 product
   * @param ratio {@code longer.affinityGflops / matmulGflops}
   */
  public record BackendResult(Backend backend, Run shorter, Run longer, double matmulGflops, double ratio) {}

  /**
   * Benchmark outcome.
   *
   * @param settings what ran
   * @param config propagation parameters
   * @param matmulGflops per backend, its best rate on a {@code matmulSize}^3 product through the
   *     same kernel interface and threads the propagation uses (the reference rates; measured
   *     before and after the runs, the best kept)
   * @param results per backend, in the order of {@code settings.backends()}
   */
  public record Result(Settings settings, PropagationConfig config, Map<Backend, Double> matmulGflops,
      List<BackendResult> results) {

    /** The result as an indented JSON object. */
    public String toJson() {
      try {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot serialise benchmark result", e);
      }
    }
  }

  /** Runs with the DAVIS protocol parameters. */
  public static Result run(Settings settings) {
    return run(settings, PropagationConfig.davis());
  }

  /**
   * Per backend: a warm-up, the two propagation lengths and the square matrix product, on
   * {@code settings.threads()} threads.
   */
  public static Result run(Settings settings, PropagationConfig config) {
    return run(settings, config, stage -> {});
  }

  /**
   * As {@link #run(Settings, PropagationConfig)}, telling {@code progress} each stage as it starts
   * (for example "onnx: 50 frames"), so that a caller can show that the minutes-long run is moving.
   */
  public static Result run(Settings settings, PropagationConfig config, java.util.function.Consumer<String> progress) {
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(config, "config");
    Map<Backend, Double> peaks = new EnumMap<>(Backend.class);
    List<BackendResult> results = new ArrayList<>();
    try (ComputePool pool = ComputePool.create(settings.threads())) {
      for (Backend b : settings.backends()) {
        try (Opened backend = open(b)) {
          AffinityBackend affinity = backend.backend();
          String name = b.name().toLowerCase(java.util.Locale.ROOT);
          progress.accept(name + ": warm-up");
          propagate(settings, config, pool, affinity, Math.min(settings.frames(), 4)); // JIT warm-up
          progress.accept(name + ": square matrix product");
          double before = matmul(settings, pool, affinity);
          progress.accept(name + ": " + settings.frames() / 2 + " frames");
          Run shorter = propagate(settings, config, pool, affinity, settings.frames() / 2);
          progress.accept(name + ": " + settings.frames() + " frames");
          Run longer = propagate(settings, config, pool, affinity, settings.frames());
          // Best of both sides of the runs: other processes sharing the cores only ever lower a rate.
          progress.accept(name + ": square matrix product again");
          double peak = Math.max(before, matmul(settings, pool, affinity));
          peaks.put(b, peak);
          results.add(new BackendResult(b, shorter, longer, peak, longer.affinityGflops() / peak));
        }
      }
    }
    return new Result(settings, config, peaks, results);
  }

  /** A backend and what closes it. */
  private record Opened(AffinityBackend backend, AutoCloseable owner) implements AutoCloseable {
    @Override
    public void close() {
      try {
        owner.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing the " + backend + " backend", e);
      }
    }
  }

  private static Opened open(Backend b) {
    if (b == Backend.ONNX) {
      OnnxAffinityBackend onnx = OnnxAffinityBackend.create();
      return new Opened(onnx, onnx);
    }
    return new Opened(JavaAffinityBackend.INSTANCE, () -> {});
  }

  private static Run propagate(Settings s, PropagationConfig config, ComputePool pool, AffinityBackend backend,
      int frames) {
    SplittableRandom random = new SplittableRandom(s.seed());
    float[] labels = new float[s.gridH() * s.gridW() * s.classes()];
    for (int p = 0; p < s.gridH() * s.gridW(); p++) {
      labels[p * s.classes() + random.nextInt(s.classes())] = 1f;
    }
    // One feature buffer reused for every frame: the propagator keeps no reference to its input,
    // so the heap samples see the engine's memory rather than the benchmark's.
    float[] values = new float[s.gridH() * s.gridW() * s.dim()];
    FloatGrid features = new FloatGrid(s.gridH(), s.gridW(), s.dim(), values);
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long peak = 0;
    long nanos = 0;
    fill(values, random);
    try (LabelPropagator propagator = LabelPropagator.builder(config).pool(pool).backend(backend)
        .start(features, new FloatGrid(s.gridH(), s.gridW(), s.classes(), labels))) {
      for (int t = 1; t < frames; t++) {
        fill(values, random);
        long t0 = System.nanoTime();
        propagator.next(features);
        nanos += System.nanoTime() - t0;
        peak = Math.max(peak, rt.totalMemory() - rt.freeMemory());
      }
      System.gc();
      long retained = rt.totalMemory() - rt.freeMemory();
      double seconds = nanos / 1e9;
      long dots = propagator.computedDotProducts();
      return new Run(frames, seconds, (frames - 1) / seconds, 2.0 * s.dim() * dots / seconds / 1e9, dots,
          peak / MB, retained / MB);
    }
  }

  private static void fill(float[] values, SplittableRandom random) {
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextDouble() * 2 - 1);
    }
  }

  /**
   * {@code n x n} queries times {@code n x n} keys through {@code backend}'s kernel, blocks of rows
   * spread over the pool like the propagation's; best of six.
   */
  private static double matmul(Settings s, ComputePool pool, AffinityBackend backend) {
    int n = s.matmulSize();
    SplittableRandom random = new SplittableRandom(s.seed());
    float[] a = new float[n * n];
    float[] b = new float[n * n];
    fill(a, random);
    fill(b, random);
    int rows = backend.blockRows(n, pool.parallelism());
    int blocks = (n + rows - 1) / rows;
    double best = 0;
    try (AffinityKernel kernel = backend.open(new AffinityKernel.Shape(1, n, n, rows, pool.parallelism()))) {
      kernel.setKeys(0, b);
      kernel.setQueries(a);
      for (int rep = 0; rep < 6; rep++) {
        long t0 = System.nanoTime();
        pool.run(blocks, (worker, block) -> kernel.multiply(worker, block * rows, Math.min(n, (block + 1) * rows), 0, 0, n));
        best = Math.max(best, 2.0 * n * n * n / (System.nanoTime() - t0));
      }
    }
    return best;
  }
}
