package org.cropmae.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.cropmae.trainer.data.CropStrategy;
import org.cropmae.trainer.data.ViewConfig;
import org.cropmae.trainer.model.CropMaeConfig;
import org.cropmae.trainer.train.Trainer;
import org.cropmae.trainer.train.TrainingConfig;
import org.cropmae.trainer.train.TrainingListener;
import org.cropmae.trainer.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cropmae train}: CropMAE pre-training on a folder of images. */
@Command(name = "train", header = "Pre-trains CropMAE on a folder of images.",
    mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Pre-trains a CropMAE model (siamese masked autoencoder on two crops of each image) on a folder of images,",
        "as the official train_cropmae_in.py. Defaults are the paper's ImageNet recipe (scripts/train_cropmae_in.sh):",
        "ViT-S/16, decoder 256 wide and 4 deep, mask ratio 0.985, per-patch normalised pixel loss, global-to-local",
        "crops (global 10-100%% of the image, local 30-60%% of the global view), 400 epochs of batch 128, AdamW",
        "(betas 0.9/0.95, weight decay 0.05 on weights only), lr = blr * effective batch / 256 with blr 1e-4 (the",
        "script's value; the paper's text says 1.5e-4), cosine schedule with 5%% linear warm-up, seed 42.",
        "Training is float32 (the official code uses CUDA mixed precision).",
        "Writes to --out: checkpoint-<epoch>.pth (PyTorch format: torch.load and the official code read it),",
        "train_log.jsonl, loss.png, reconstructions/epoch-<epoch>.png and encoder.onnx (for 'cropmae embed').",
        "An identical command with --resume continues exactly where a checkpoint left off."})
public final class TrainCommand extends CliCommand {
  @Option(names = "--data", required = true, paramLabel = "DIR", description = "Folder of training images (searched recursively).")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--arch", paramLabel = "vitt16|vits16|vitb16|vitl16|tiny",
      description = "Encoder size (default: vits16, or the checkpoint's with --resume); vitt16 is ViT-Ti/16 (the bundled default's size); tiny is the small test model.")
  String arch;

  @Option(names = "--input-size", defaultValue = "224", paramLabel = "PX", description = "Side of the square views (default: ${DEFAULT-VALUE}).")
  int inputSize;

  @Option(names = "--epochs", defaultValue = "400", paramLabel = "N", description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "128", paramLabel = "B", description = "Images per iteration (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--accum-iter", defaultValue = "1", paramLabel = "K",
      description = "Iterations accumulated per optimizer step; effective batch = B * K (default: ${DEFAULT-VALUE}).")
  int accumIter;

  @Option(names = "--blr", defaultValue = "1e-4", paramLabel = "LR",
      description = "Base learning rate; lr = blr * effective batch / 256 (default: ${DEFAULT-VALUE}, the official script's).")
  double blr;

  @Option(names = "--lr", paramLabel = "LR", description = "Absolute peak learning rate, overriding --blr.")
  Double lr;

  @Option(names = "--min-lr-prop", defaultValue = "0", paramLabel = "F", description = "Final lr as a fraction of the peak (default: ${DEFAULT-VALUE}).")
  double minLrProp;

  @Option(names = "--warmup-epochs-prop", defaultValue = "0.05", paramLabel = "F",
      description = "Fraction of the epochs in linear warm-up (default: ${DEFAULT-VALUE}).")
  double warmupEpochsProp;

  @Option(names = "--weight-decay", defaultValue = "0.05", paramLabel = "WD", description = "AdamW weight decay (default: ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(names = "--lr-timing", defaultValue = "official", paramLabel = "official|before-update",
      description = "official: lr set after each update as the official loop (first update at the peak lr); "
          + "before-update: as MAE, warm-up from 0 (default: ${DEFAULT-VALUE}).")
  String lrTiming;

  @Option(names = "--mask-ratio", defaultValue = "0.985", paramLabel = "R", description = "Fraction of the local view's patches masked (default: ${DEFAULT-VALUE}).")
  double maskRatio;

  @Option(names = "--crop-strategy", defaultValue = "global-to-local",
      paramLabel = "global-to-local|local-to-global|random-views|same-views", description = "How the two views are made (default: ${DEFAULT-VALUE}).")
  String cropStrategy;

  @Option(names = "--workers", defaultValue = "8", paramLabel = "N", description = "Data-loading threads (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--max-files", defaultValue = "0", paramLabel = "N", description = "Use at most N images, 0 for all (default: ${DEFAULT-VALUE}).")
  int maxFiles;

  @Option(names = "--cache-images-mb", defaultValue = "0", paramLabel = "MB",
      description = "Keep up to MB MiB of decoded images in memory across epochs (for small collections of large "
          + "images; the views do not change). Default: ${DEFAULT-VALUE}, decode every time.")
  int cacheImagesMb;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Seed of weights, data order, crops, masks and dropout (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu[:N]", description = "Where to train (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--save-every", defaultValue = "25", paramLabel = "N",
      description = "Checkpoint every N epochs; the last epoch always saves (default: ${DEFAULT-VALUE}, the paper's).")
  int saveEvery;

  @Option(names = "--keep-last", defaultValue = "0", paramLabel = "K", description = "Keep only the K newest checkpoints, 0 for all (default: ${DEFAULT-VALUE}).")
  int keepLast;

  @Option(names = "--resume", paramLabel = "C.pth|DIR",
      description = "Continue from a checkpoint (ours or the official trainer's), or the newest checkpoint-N.pth of a folder.")
  Path resume;

  @Option(names = "--log-every", defaultValue = "0", paramLabel = "N",
      description = "Log the mean loss every N iterations, 0 for twice per epoch as the official trainer (default: ${DEFAULT-VALUE}).")
  int logEvery;

  @Option(names = "--recon-every", defaultValue = "10", paramLabel = "N",
      description = "Write a reconstruction PNG every N epochs, 0 never (default: ${DEFAULT-VALUE}).")
  int reconEvery;

  @Option(names = "--no-shuffle", description = "Visit images in folder order every epoch (the official single-GPU run); default shuffles per epoch.")
  boolean noShuffle;

  @Option(names = "--no-export", description = "Do not write encoder.onnx at the end.")
  boolean noExport;

  @Override
  public Integer call() throws Exception {
    CropMaeConfig model = model();
    ViewConfig views = ViewConfig.builder().strategy(strategy(cropStrategy)).inputSize(model.imageSize()).build();
    TrainingConfig config = TrainingConfig.builder(data, out).model(model).views(views).epochs(epochs)
        .batchSize(batchSize).accumIter(accumIter).blr(blr).lr(lr).minLrProp(minLrProp)
        .warmupEpochsProp(warmupEpochsProp).weightDecay(weightDecay).lrTiming(timing(lrTiming)).seed(seed)
        .device(device).workers(workers).maxFiles(maxFiles).decodeCacheMb(cacheImagesMb).shuffle(!noShuffle).saveEvery(saveEvery)
        .keepLast(keepLast).logEvery(logEvery).reconEvery(reconEvery).exportOnnx(!noExport).resume(resume).build();
    TrainingResult r;
    try (ProgressListener progress = new ProgressListener(stderr())) {
      r = new Trainer(config).run(progress);
    }
    stdout().println(String.format(Locale.ROOT, "trained epochs %d-%d in %.1f s: final loss %.4f; checkpoint %s%s%s",
        r.firstEpoch(), r.lastEpoch(), r.seconds(), r.finalLoss(), r.checkpoint(),
        r.onnx() == null ? "" : "; encoder " + r.onnx(), skipped(r.unreadableFiles(), r.skippedReads())));
    return 0;
  }

  /** "; N unreadable images skipped (M reads replaced)", or nothing when every image decoded. */
  static String skipped(int files, long reads) {
    return files == 0 ? "" : String.format(Locale.ROOT, "; %d unreadable image%s skipped (%d read%s replaced by random"
        + " images, see the warnings)", files, files == 1 ? "" : "s", reads, reads == 1 ? "" : "s");
  }

  private CropMaeConfig model() throws java.io.IOException {
    CropMaeConfig base;
    if (arch == null && resume != null) {
      // Resuming: the checkpoint knows its architecture; an explicit --arch is checked against it.
      return Trainer.modelOf(resume);
    }
    try {
      base = CropMaeConfig.named(arch == null ? "vits16" : arch);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--arch: " + e.getMessage(), e);
    }
    try {
      return base.toBuilder().imageSize(inputSize).maskRatio(maskRatio).build();
    } catch (IllegalArgumentException e) {
      throw new UsageException("--input-size/--mask-ratio: " + e.getMessage(), e);
    }
  }

  private static CropStrategy strategy(String s) {
    String name = s.replace('-', '_');
    try {
      return CropStrategy.fromName(name);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--crop-strategy: '" + s
          + "' is not one of global-to-local, local-to-global, random-views, same-views", e);
    }
  }

  private static TrainingConfig.LrTiming timing(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "official" -> TrainingConfig.LrTiming.OFFICIAL;
      case "before-update" -> TrainingConfig.LrTiming.BEFORE_UPDATE;
      default -> throw new UsageException("--lr-timing: expected official or before-update, got '" + s + "'");
    };
  }

  /** Renders the trainer's events: a progress bar (or periodic lines) per epoch, one line per epoch and file. */
  static final class ProgressListener implements TrainingListener, AutoCloseable {
    private final PrintWriter err;
    private Progress bar;

    ProgressListener(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void onStart(Start s) {
      err.println(String.format(Locale.ROOT, "training on %s: %d images, %d iterations per epoch, epochs %d-%d, "
              + "peak lr %.3g, %,d parameters", s.device(), s.images(), s.stepsPerEpoch(), s.startEpoch(),
          s.epochs() - 1, s.peakLr(), s.parameters()));
      err.flush();
    }

    @Override
    public void onEpochStart(int epoch, int steps) {
      close();
      bar = new Progress(err, "epoch " + epoch, steps);
    }

    @Override
    public void onStep(Step s) {
      if (bar == null) {
        bar = new Progress(err, "epoch " + s.epoch(), s.stepsPerEpoch());
      }
      bar.step(String.format(Locale.ROOT, "loss %.4f lr %.3g %.1f img/s", s.loss(), s.lr(), s.imagesPerSecond()));
    }

    @Override
    public void onEpochEnd(Epoch e) {
      close();
      err.println(String.format(Locale.ROOT, "epoch %d/%d: loss %.4f, lr %.3g, %.1f img/s, %.1f s%s", e.epoch() + 1,
          e.epochs(), e.loss(), e.lr(), e.imagesPerSecond(), e.epochSeconds(), skipped(e.unreadableFiles(), e.skippedReads())));
      err.flush();
    }

    @Override
    public void onFile(String kind, Path file) {
      if (!kind.equals("loss-plot")) {
        err.println("wrote " + kind + " " + file);
        err.flush();
      }
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
        bar = null;
      }
    }
  }
}
