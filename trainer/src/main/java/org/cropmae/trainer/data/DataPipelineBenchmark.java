package org.cropmae.trainer.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.io.desktop.ImageFiles;

/**
 * Measures the training data pipeline on ImageNet-like JPEGs (synthetic, written once into a
 * temporary folder): the cost of each stage on one thread (decode, crops + resizes, flip +
 * normalisation) and the end-to-end throughput of {@link TrainingBatches} with 1 and more
 * workers, in images per second and per core. No timing is asserted anywhere.
 */
public final class DataPipelineBenchmark {
  private DataPipelineBenchmark() {}

  /** Per-pixel noise amplitude of the synthetic images: about 110 KB per 500x375 JPEG at quality 90. */
  private static final int NOISE = 40;

  /**
   * What to measure.
   *
   * @param images JPEG files generated
   * @param width their width, pixels
   * @param height their height, pixels
   * @param quality JPEG quality, 0..1
   * @param views view settings
   * @param batchSize images per batch
   * @param passes timed passes over the images per measurement (after one warm-up pass)
   * @param workerCounts worker threads of each end-to-end run
   */
  public record Config(
      int images, int width, int height, float quality, ViewConfig views, int batchSize, int passes, int[] workerCounts) {
    public Config {
      workerCounts = workerCounts.clone();
      if (images < 1 || width < 1 || height < 1 || batchSize < 1 || batchSize > images || passes < 1
          || workerCounts.length == 0) {
        throw new IllegalArgumentException("benchmark config: need images >= batchSize >= 1, positive size, passes >= 1,"
            + " at least one worker count");
      }
    }

    /** 64 JPEGs of 500x375 (ImageNet's typical size) at quality 90, paper views, batch 32, 3 passes, 1 and all cores. */
    public static Config defaults() {
      int cores = Runtime.getRuntime().availableProcessors();
      int[] workers = cores > 1 ? new int[] {1, cores} : new int[] {1};
      return new Config(64, 500, 375, 0.9f, ViewConfig.paperImageNet(), 32, 3, workers);
    }
  }

  /**
   * The measurements.
   *
   * @param meanJpegBytes average file size, bytes
   * @param decodeMs median per-image CPU time of the decode ({@link ImageFolderDataset#read}) on
   *     one thread, milliseconds
   * @param viewsMs median per-image CPU time to draw both crops and resize them, milliseconds
   * @param normalizeMs median per-image CPU time to flip and normalise both views, milliseconds
   * @param workers the worker counts of the end-to-end runs
   * @param imagesPerSecond end-to-end throughput of each run (wall clock), images per second
   * @param imagesPerSecondPerCore {@code imagesPerSecond / min(workers, cores)}; lower than the
   *     CPU figure when other processes share the cores
   * @param imagesPerCpuSecond images per second of process CPU time (all threads, GC and JIT
   *     included), i.e. the throughput of one fully available core; -1 when unknown
   * @param cores available processors
   */
  public record Result(
      int images, int width, int height, float quality, int inputSize, String strategy, double meanJpegBytes,
      double decodeMs, double viewsMs, double normalizeMs, int[] workers, double[] imagesPerSecond,
      double[] imagesPerSecondPerCore, double[] imagesPerCpuSecond, int cores) {

    /** One JSON object, keys as the component names. */
    public String toJson() {
      return org.cropmae.runtime.io.JsonText.of(this);
    }


  }

  /** Runs the benchmark, writing its JPEGs under {@code workDir}. */
  public static Result run(Config config, Path workDir) throws IOException {
    SplittableRandom rng = new SplittableRandom(7);
    long bytes = 0;
    for (int i = 0; i < config.images(); i++) {
      Path f = workDir.resolve(String.format(Locale.ROOT, "n%02d/img_%04d.JPEG", i % 4, i));
      Files.createDirectories(f.getParent());
      writeJpeg(syntheticImage(config.width(), config.height(), rng), f, config.quality());
      bytes += Files.size(f);
    }
    ImageFolderDataset dataset = ImageFolderDataset.scan(workDir);
    ViewSampler sampler = new ViewSampler(config.views());

    // Stages on one thread, timed in thread CPU time (robust to other processes on the machine):
    // a warm-up pass, then the timed passes, per-image times kept.
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int n = dataset.size();
    double[] decode = new double[n * config.passes()];
    double[] views = new double[decode.length];
    double[] normalize = new double[decode.length];
    float[] out = new float[2 * sampler.floatsPerView()];
    for (int pass = -1; pass < config.passes(); pass++) {
      for (int i = 0; i < n; i++) {
        long t0 = threads.getCurrentThreadCpuTime();
        RgbImage image = dataset.read(i);
        long t1 = threads.getCurrentThreadCpuTime();
        ViewPair pair = sampler.sampleViews(image, rng);
        long t2 = threads.getCurrentThreadCpuTime();
        sampler.normalize(pair.first(), out, 0);
        sampler.normalize(pair.second(), out, sampler.floatsPerView());
        long t3 = threads.getCurrentThreadCpuTime();
        if (pass >= 0) {
          decode[pass * n + i] = (t1 - t0) / 1e6;
          views[pass * n + i] = (t2 - t1) / 1e6;
          normalize[pass * n + i] = (t3 - t2) / 1e6;
        }
      }
    }

    int cores = Runtime.getRuntime().availableProcessors();
    int[] workers = config.workerCounts();
    double[] perSecond = new double[workers.length];
    double[] perCore = new double[workers.length];
    double[] perCpuSecond = new double[workers.length];
    for (int w = 0; w < workers.length; w++) {
      try (TrainingBatches batches = TrainingBatches.builder(dataset, config.views()).batchSize(config.batchSize())
          .workers(workers[w]).prefetchBatches(2).seed(1).build()) {
        drain(batches, -1);
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        int images = 0;
        for (int e = 0; e < config.passes(); e++) {
          images += drain(batches, e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long cpu1 = processCpuNanos();
        perSecond[w] = images / seconds;
        perCore[w] = perSecond[w] / Math.max(1, Math.min(workers[w], cores));
        perCpuSecond[w] = cpu0 < 0 || cpu1 <= cpu0 ? -1 : images / ((cpu1 - cpu0) / 1e9);
      }
    }
    return new Result(config.images(), config.width(), config.height(), config.quality(), config.views().inputSize(),
        config.views().strategy().referenceName(), (double) bytes / config.images(), median(decode), median(views),
        median(normalize), workers, perSecond, perCore, perCpuSecond, cores);
  }

  /** CPU time of the whole process (all threads, GC and JIT included), or -1 when unknown. */
  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : -1;
  }

  /** Consumes one epoch (epoch -1 is the warm-up, run as epoch 1000); returns the images seen. */
  private static int drain(TrainingBatches batches, int epoch) {
    int images = 0;
    try (TrainingBatches.Epoch it = batches.epoch(epoch < 0 ? 1000 : epoch)) {
      while (it.hasNext()) {
        images += it.next().size();
      }
    }
    return images;
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /**
   * A photo-like test image: a few random low-frequency colour waves, edges of random rectangles
   * and per-pixel noise, so that JPEG files have realistic entropy (about 110 KB at 500x375,
   * quality 90, ImageNet's average training JPEG size).
   */
  public static BufferedImage syntheticImage(int width, int height, SplittableRandom rng) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    double[][] waves = new double[3][6];
    for (double[] w : waves) {
      for (int k = 0; k < w.length; k++) {
        w[k] = rng.nextDouble();
      }
    }
    int[][] rects = new int[12][7];
    for (int[] r : rects) {
      r[0] = rng.nextInt(width);
      r[1] = rng.nextInt(height);
      r[2] = 10 + rng.nextInt(width / 2);
      r[3] = 10 + rng.nextInt(height / 2);
      r[4] = rng.nextInt(121) - 60;
      r[5] = rng.nextInt(121) - 60;
      r[6] = rng.nextInt(121) - 60;
    }
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int[] c = new int[3];
        for (int ch = 0; ch < 3; ch++) {
          double[] w = waves[ch];
          double v = 128 + 60 * Math.sin(x * 0.05 * (0.2 + w[0]) + y * 0.05 * (0.2 + w[1]) + 6 * w[2])
              + 40 * Math.sin(x * 0.013 * (0.5 + w[3]) - y * 0.02 * (0.5 + w[4]) + 6 * w[5]);
          c[ch] = (int) v + rng.nextInt(NOISE * 2 + 1) - NOISE;
        }
        for (int[] r : rects) {
          if (x >= r[0] && x < r[0] + r[2] && y >= r[1] && y < r[1] + r[3]) {
            c[0] += r[4];
            c[1] += r[5];
            c[2] += r[6];
          }
        }
        row[x] = clamp(c[0]) << 16 | clamp(c[1]) << 8 | clamp(c[2]);
      }
      img.setRGB(0, y, width, 1, row, 0, width);
    }
    return img;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  /** Writes a baseline JPEG (4:2:0, as ImageIO's default) atomically. */
  public static void writeJpeg(BufferedImage image, Path file, float quality) throws IOException {
    ImageFiles.writeJpeg(file, image, quality);
  }

  /**
   * Runs {@link Config#defaults()} in a temporary folder and prints the JSON result. Optional
   * arguments: {@code [images [passes]]}.
   */
  public static void main(String[] args) throws IOException {
    Config d = Config.defaults();
    int images = args.length >= 1 ? Integer.parseInt(args[0]) : d.images();
    int passes = args.length >= 2 ? Integer.parseInt(args[1]) : d.passes();
    Config config = new Config(images, d.width(), d.height(), d.quality(), d.views(), Math.min(d.batchSize(), images),
        passes, d.workerCounts());
    Path work = Files.createTempDirectory("cropmae-data-bench");
    try {
      System.out.println(run(config, work).toJson());
    } finally {
      List<Path> all = new ArrayList<>();
      try (var walk = Files.walk(work)) {
        walk.forEach(all::add);
      }
      for (int i = all.size() - 1; i >= 0; i--) {
        Files.deleteIfExists(all.get(i));
      }
    }
  }
}
