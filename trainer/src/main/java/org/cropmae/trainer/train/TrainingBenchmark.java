package org.cropmae.trainer.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.cropmae.trainer.data.Batch;
import org.cropmae.trainer.data.ViewConfig;
import org.cropmae.trainer.data.ViewSampler;
import org.cropmae.trainer.model.ComputeDevice;
import org.cropmae.trainer.model.CropMaeConfig;
import org.cropmae.trainer.model.CropMaeModel;

/**
 * Times training iterations (forward, backward, AdamW step, zeroing) of the model alone, on random
 * ImageNet-normalised views, so that the number does not depend on JPEG decoding or disk speed
 * ({@code DataPipelineBenchmark} times the data side).
 */
public final class TrainingBenchmark {
  private TrainingBenchmark() {}

  /**
   * @param arch label of {@code model} in the result, e.g. {@code vits16}
   * @param batchSize images per iteration
   * @param warmup untimed iterations first (allocator and kernel selection)
   * @param steps timed iterations
   * @param device {@code auto}, {@code cpu}, {@code gpu[:N]}
   */
  public record Config(String arch, CropMaeConfig model, int batchSize, int warmup, int steps, String device) {
    public Config {
      if (batchSize < 1 || warmup < 0 || steps < 1) {
        throw new IllegalArgumentException("need batchSize >= 1, warmup >= 0, steps >= 1; got " + batchSize + ", "
            + warmup + ", " + steps);
      }
    }

    /** ViT-S/16 (the paper's model) with batch 8, 2 warm-up and 5 timed iterations on the CPU. */
    public static Config defaults() {
      return new Config("vits16", CropMaeConfig.vits16(), 8, 2, 5, "cpu");
    }
  }

  /**
   * @param stepMs wall time of each timed iteration, milliseconds
   * @param meanStepMs mean of {@code stepMs}
   * @param imagesPerSecond {@code batchSize / meanStepMs}
   * @param cpus processors available to the JVM (PyTorch uses them all by default)
   */
  public record Result(String arch, int batchSize, String device, double[] stepMs, double meanStepMs,
      double imagesPerSecond, int cpus) {
    /** One JSON object. */
    public String toJson() {
      return org.cropmae.runtime.io.JsonText.of(this);
    }
  }

  public static Result run(Config c) {
    Device device = ComputeDevice.resolve(c.device());
    Engine engine = Engine.getEngine(CropMaeModel.ENGINE);
    engine.setRandomSeed(0);
    CropMaeConfig m = c.model();
    int s = m.imageSize();
    byte[] pixels = new byte[c.batchSize() * 2 * 3 * s * s];
    new SplittableRandom(1).nextBytes(pixels);
    Batch batch = new Batch(0, 0, pixels, new int[] {c.batchSize(), 2, 3, s, s}, new int[c.batchSize()]);
    double[] times = new double[c.steps()];
    try (CropMaeModel model = CropMaeModel.create(m, device);
        AdamW opt = new AdamW(model.parameters(), 1e-4, 0.05, 0.9, 0.95, 1e-8);
        NDManager base = NDManager.newBaseManager(device, CropMaeModel.ENGINE);
        DeviceViews input = new DeviceViews(device, new ViewSampler(ViewConfig.paperImageNet()).normalisationTable())) {
      for (int i = 0; i < c.warmup() + c.steps(); i++) {
        long t0 = System.nanoTime();
        float[] noise = Trainer.seedIteration(engine, 0, 0, i, c.batchSize() * m.numPatches());
        Trainer.forwardBackward(model, base, engine, step -> input.upload(step, batch), noise, 1, loss -> {
          throw new IllegalStateException("benchmark loss is " + loss);
        }, (views, r) -> { });
        opt.step();
        opt.zeroGrad();
        if (i >= c.warmup()) {
          times[i - c.warmup()] = (System.nanoTime() - t0) / 1e6;
        }
      }
    }
    double mean = Arrays.stream(times).average().orElse(Double.NaN);
    return new Result(c.arch(), c.batchSize(), device.toString(), times, mean, c.batchSize() / (mean / 1000),
        Runtime.getRuntime().availableProcessors());
  }
}
