package org.cropmae.trainer.train;

import java.nio.file.Path;
import java.util.Objects;
import org.cropmae.trainer.data.ViewConfig;
import org.cropmae.trainer.model.CropMaeConfig;

/**
 * Everything a training run needs. {@link #builder(Path, Path)} starts from the paper's ImageNet
 * recipe ({@code scripts/train_cropmae_in.sh}): ViT-S/16 with the 256-wide, 4-deep decoder, mask
 * ratio 0.985, per-patch normalised pixel loss, global-to-local crops, 400 epochs of batch 128,
 * AdamW (betas 0.9/0.95, weight decay 0.05), base learning rate 1e-4 scaled by effective batch /
 * 256, cosine schedule with 5% linear warm-up to 0, seed 42.
 *
 * <p>About the base learning rate: the paper's text quotes 1.5e-4, the official ImageNet script
 * passes {@code --blr=1e-4}; the default here is the script's. (The official argparse default,
 * 5e-5, is overridden by the script.)
 *
 * <p>Precision: training runs in float32 on the CPU and on CUDA. The official trainer uses CUDA
 * automatic mixed precision (float16 autocast with a gradient scaler); DJL has no autocast, so
 * GPU runs here are float32 (slower, numerically at least as accurate).
 *
 * @param dataDir folder searched recursively for images
 * @param outputDir where checkpoints, logs, plots, reconstructions and the ONNX encoder go
 * @param model architecture and loss
 * @param views how the two views are cropped; its input size must equal the model's image size
 * @param epochs length of the run (400)
 * @param batchSize images per forward pass (128, the official per-GPU batch)
 * @param accumIter forward passes whose gradients are summed per update (1); the loss of each
 *     is divided by it as the official loop does
 * @param blr base learning rate, the absolute one being {@code blr * batchSize * accumIter / 256}
 * @param lr absolute learning rate overriding {@code blr}, or null
 * @param minLrProp floor of the cosine as a fraction of the peak (0)
 * @param warmupEpochsProp fraction of the epochs spent in linear warm-up, truncated to whole
 *     epochs (0.05: 20 of 400)
 * @param weightDecay AdamW decay of the weights (0.05); norms and biases get none
 * @param beta1 AdamW first-moment decay (0.9)
 * @param beta2 AdamW second-moment decay (0.95)
 * @param eps AdamW epsilon (1e-8, torch's default)
 * @param lrTiming when the learning rate of an update is computed (see {@link LrTiming})
 * @param seed seeds the initial weights, data order and crops, masking noise and dropout (42)
 * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param workers data-loading threads (8)
 * @param maxFiles use at most this many images of the folder (in sorted order), 0 for all
 * @param decodeCacheMb MiB of decoded images kept in memory across epochs, 0 for none (see
 *     {@link org.cropmae.trainer.data.ImageFolderDataset#withDecodeCache}); results do not change
 * @param shuffle visit the images in a fresh random order each epoch (true, as the paper's
 *     multi-GPU runs); false keeps the folder order like the official single-process run
 * @param saveEvery write a checkpoint every this many epochs (25 in the paper); the last epoch
 *     always writes one
 * @param keepLast keep only this many most recent checkpoints, 0 for all (the official trainer keeps all)
 * @param logEvery log the mean loss every this many iterations, 0 for twice per epoch (the
 *     official {@code log_per_epoch=2})
 * @param reconEvery write a reconstruction PNG every this many epochs, 0 never
 * @param exportOnnx write {@code encoder.onnx} from the final weights at the end
 * @param resume checkpoint to continue from (ours or the official trainer's), or null
 */
public record TrainingConfig(
    Path dataDir,
    Path outputDir,
    CropMaeConfig model,
    ViewConfig views,
    int epochs,
    int batchSize,
    int accumIter,
    double blr,
    Double lr,
    double minLrProp,
    double warmupEpochsProp,
    double weightDecay,
    double beta1,
    double beta2,
    double eps,
    LrTiming lrTiming,
    long seed,
    String device,
    int workers,
    int maxFiles,
    int decodeCacheMb,
    boolean shuffle,
    int saveEvery,
    int keepLast,
    int logEvery,
    int reconEvery,
    boolean exportOnnx,
    Path resume) {

  /** When the learning rate of an update is set. */
  public enum LrTiming {
    /**
     * As the official CropMAE loop: {@code adjust_learning_rate} runs after each update, at that
     * update's iteration, so an update uses the rate computed at the previous one and the very
     * first update uses the peak rate (the optimizer's initial {@code lr}).
     */
    OFFICIAL,
    /**
     * As MAE's {@code engine_pretrain}: the rate is computed before each update at its first
     * iteration, so warm-up really starts at 0.
     */
    BEFORE_UPDATE
  }

  public TrainingConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(outputDir, "outputDir");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(views, "views");
    Objects.requireNonNull(lrTiming, "lrTiming");
    Objects.requireNonNull(device, "device");
    positive("epochs", epochs);
    positive("batchSize", batchSize);
    positive("accumIter", accumIter);
    positive("saveEvery", saveEvery);
    if (workers < 0 || maxFiles < 0 || decodeCacheMb < 0 || keepLast < 0 || logEvery < 0 || reconEvery < 0) {
      throw new IllegalArgumentException("workers, maxFiles, decodeCacheMb, keepLast, logEvery and reconEvery must be >= 0");
    }
    if (views.inputSize() != model.imageSize()) {
      throw new IllegalArgumentException("views: input size " + views.inputSize() + " differs from the model's image size "
          + model.imageSize());
    }
    if (!(blr > 0) || !Double.isFinite(blr)) {
      throw new IllegalArgumentException("blr must be a positive number, got " + blr);
    }
    if (lr != null && (!(lr >= 0) || !Double.isFinite(lr))) {
      throw new IllegalArgumentException("lr must be a number >= 0, got " + lr);
    }
    if (!(minLrProp >= 0 && minLrProp <= 1) || !(warmupEpochsProp >= 0 && warmupEpochsProp <= 1)) {
      throw new IllegalArgumentException("minLrProp and warmupEpochsProp must be in [0, 1], got " + minLrProp + ", "
          + warmupEpochsProp);
    }
    if (!(weightDecay >= 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0)) {
      throw new IllegalArgumentException("need weightDecay >= 0, betas in [0, 1), eps > 0; got " + weightDecay + ", "
          + beta1 + ", " + beta2 + ", " + eps);
    }
  }

  private static void positive(String name, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + v);
    }
  }

  /** Images per update, {@code batchSize * accumIter} (one process). */
  public int effectiveBatchSize() {
    return batchSize * accumIter;
  }

  /** The absolute peak learning rate: {@link #lr()} if set, else {@code blr * effective batch / 256}. */
  public double peakLr() {
    return lr != null ? lr : blr * effectiveBatchSize() / 256.0;
  }

  /** The schedule this configuration implies. */
  public LearningRateSchedule schedule() {
    return LearningRateSchedule.of(peakLr(), minLrProp, warmupEpochsProp, epochs);
  }

  /** A builder with the paper's recipe (see the class comment). */
  public static Builder builder(Path dataDir, Path outputDir) {
    return new Builder(dataDir, outputDir);
  }

  /** A builder holding these values. */
  public Builder toBuilder() {
    Builder b = new Builder(dataDir, outputDir);
    b.model = model;
    b.views = views;
    b.epochs = epochs;
    b.batchSize = batchSize;
    b.accumIter = accumIter;
    b.blr = blr;
    b.lr = lr;
    b.minLrProp = minLrProp;
    b.warmupEpochsProp = warmupEpochsProp;
    b.weightDecay = weightDecay;
    b.beta1 = beta1;
    b.beta2 = beta2;
    b.eps = eps;
    b.lrTiming = lrTiming;
    b.seed = seed;
    b.device = device;
    b.workers = workers;
    b.maxFiles = maxFiles;
    b.decodeCacheMb = decodeCacheMb;
    b.shuffle = shuffle;
    b.saveEvery = saveEvery;
    b.keepLast = keepLast;
    b.logEvery = logEvery;
    b.reconEvery = reconEvery;
    b.exportOnnx = exportOnnx;
    b.resume = resume;
    return b;
  }

  /** Mutable builder; {@link #build()} validates. Setters are named like the record's components. */
  public static final class Builder {
    private final Path dataDir;
    private final Path outputDir;
    private CropMaeConfig model = CropMaeConfig.vits16();
    private ViewConfig views = ViewConfig.paperImageNet();
    private int epochs = 400;
    private int batchSize = 128;
    private int accumIter = 1;
    private double blr = 1e-4;
    private Double lr;
    private double minLrProp = 0.0;
    private double warmupEpochsProp = 0.05;
    private double weightDecay = 0.05;
    private double beta1 = 0.9;
    private double beta2 = 0.95;
    private double eps = 1e-8;
    private LrTiming lrTiming = LrTiming.OFFICIAL;
    private long seed = 42;
    private String device = "auto";
    private int workers = 8;
    private int maxFiles;
    private int decodeCacheMb;
    private boolean shuffle = true;
    private int saveEvery = 25;
    private int keepLast;
    private int logEvery;
    private int reconEvery = 10;
    private boolean exportOnnx = true;
    private Path resume;

    private Builder(Path dataDir, Path outputDir) {
      this.dataDir = dataDir;
      this.outputDir = outputDir;
    }

    public Builder model(CropMaeConfig v) {
      model = v;
      return this;
    }

    public Builder views(ViewConfig v) {
      views = v;
      return this;
    }

    public Builder epochs(int v) {
      epochs = v;
      return this;
    }

    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    public Builder accumIter(int v) {
      accumIter = v;
      return this;
    }

    public Builder blr(double v) {
      blr = v;
      return this;
    }

    public Builder lr(Double v) {
      lr = v;
      return this;
    }

    public Builder minLrProp(double v) {
      minLrProp = v;
      return this;
    }

    public Builder warmupEpochsProp(double v) {
      warmupEpochsProp = v;
      return this;
    }

    public Builder weightDecay(double v) {
      weightDecay = v;
      return this;
    }

    public Builder betas(double b1, double b2) {
      beta1 = b1;
      beta2 = b2;
      return this;
    }

    public Builder eps(double v) {
      eps = v;
      return this;
    }

    public Builder lrTiming(LrTiming v) {
      lrTiming = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder device(String v) {
      device = v;
      return this;
    }

    public Builder workers(int v) {
      workers = v;
      return this;
    }

    public Builder maxFiles(int v) {
      maxFiles = v;
      return this;
    }

    public Builder decodeCacheMb(int v) {
      decodeCacheMb = v;
      return this;
    }

    public Builder shuffle(boolean v) {
      shuffle = v;
      return this;
    }

    public Builder saveEvery(int v) {
      saveEvery = v;
      return this;
    }

    public Builder keepLast(int v) {
      keepLast = v;
      return this;
    }

    public Builder logEvery(int v) {
      logEvery = v;
      return this;
    }

    public Builder reconEvery(int v) {
      reconEvery = v;
      return this;
    }

    public Builder exportOnnx(boolean v) {
      exportOnnx = v;
      return this;
    }

    public Builder resume(Path v) {
      resume = v;
      return this;
    }

    /** @throws IllegalArgumentException naming the setting that is out of range */
    public TrainingConfig build() {
      return new TrainingConfig(dataDir, outputDir, model, views, epochs, batchSize, accumIter, blr, lr, minLrProp,
          warmupEpochsProp, weightDecay, beta1, beta2, eps, lrTiming, seed, device, workers, maxFiles, decodeCacheMb, shuffle,
          saveEvery, keepLast, logEvery, reconEvery, exportOnnx, resume);
    }
  }
}
