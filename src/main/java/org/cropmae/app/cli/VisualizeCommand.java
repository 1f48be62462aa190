package org.cropmae.app.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.io.desktop.ImageFiles;
import org.cropmae.runtime.onnx.AttentionMaps;
import org.cropmae.runtime.onnx.EncoderInfo;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.cropmae.runtime.preprocess.ImageNormalization;
import org.cropmae.runtime.preprocess.ImageSize;
import org.cropmae.runtime.preprocess.NormalizedImage;
import org.cropmae.trainer.checkpoint.TorchCheckpoint;
import org.cropmae.trainer.data.Seeds;
import org.cropmae.trainer.data.ViewConfig;
import org.cropmae.trainer.data.ViewSampler;
import org.cropmae.trainer.model.CropMaeConfig;
import org.cropmae.trainer.model.CropMaeModel;
import org.cropmae.trainer.model.ForwardResult;
import org.cropmae.trainer.train.Trainer;
import org.cropmae.trainer.train.TrainingImages;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cropmae visualize}: pictures of what a model does. */
@Command(name = "visualize", mixinStandardHelpOptions = true,
    description = "Pictures of what a model does.",
    subcommands = {VisualizeCommand.Reconstruction.class, VisualizeCommand.Attention.class})
public final class VisualizeCommand extends CliCommand {
  @Override
  public Integer call() {
    spec.commandLine().usage(stdout());
    return 0;
  }

  /** {@code cropmae visualize reconstruction}: one Global-to-Local pair through a checkpoint. */
  @Command(name = "reconstruction", header = "Draws what a checkpoint reconstructs from a Global-to-Local view pair.",
    mixinStandardHelpOptions = true,
      description = {
          "Draws a Global-to-Local view pair of an image (the paper's ImageNet crops, seeded) and the model's",
          "reconstruction of the masked local view, in evaluation mode (no dropout), as the PNG training writes to",
          "reconstructions/: global view | masked local view (removed patches grey) | reconstruction | local view.",
          "With norm_pix_loss the prediction is mapped back with each target patch's mean and standard deviation.",
          "Prints the loss of that pass."})
  static final class Reconstruction extends CliCommand {
    /** Stream purposes of the command's random draws (see {@link Seeds}). */
    private static final long VIEWS = 0x7669657773L;
    private static final long MASK_NOISE = 0x6e6f697365L;

    @Option(names = "--checkpoint", required = true, paramLabel = "C.pth",
        description = "Training checkpoint, of 'cropmae train' or of the official trainer.")
    Path checkpoint;

    @Option(names = "--image", required = true, paramLabel = "I.jpg", description = "Image to crop the views from.")
    Path image;

    @Option(names = "--out", required = true, paramLabel = "R.png", description = "PNG to write.")
    Path out;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
        description = "Seed of the crops, flips and masking (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--mask-ratio", paramLabel = "R",
        description = "Fraction of local-view patches removed, in [0, 1); default: the checkpoint's.")
    Double maskRatio;

    @Option(names = "--decoder-heads", paramLabel = "N",
        description = "Decoder heads, when the checkpoint's args do not record them.")
    Integer decoderHeads;

    @Override
    public Integer call() throws Exception {
      if (maskRatio != null && !(maskRatio >= 0 && maskRatio < 1)) {
        throw new UsageException("--mask-ratio: must be in [0, 1), got " + maskRatio);
      }
      RgbImage rgb = ImageFiles.readRgb(image);
      TorchCheckpoint ckpt = TorchCheckpoint.read(checkpoint);
      CropMaeConfig config = modelOf(ckpt, checkpoint, decoderHeads);
      if (maskRatio != null) {
        config = config.toBuilder().maskRatio(maskRatio).build();
      }
      ViewSampler sampler = new ViewSampler(ViewConfig.paperImageNet().toBuilder().inputSize(config.imageSize()).build());
      float[] views = sampler.sample(rgb, Seeds.stream(seed, VIEWS, 0, 0));
      int patches = config.numPatches();
      float[] noise = new float[patches];
      SplittableRandom rng = Seeds.stream(seed, MASK_NOISE, 0, 0);
      for (int i = 0; i < patches; i++) {
        noise[i] = (float) rng.nextDouble();
      }
      int s = config.imageSize();
      double loss;
      float[] pred;
      float[] mask;
      try (CropMaeModel model = CropMaeModel.fromStateDict(config, ckpt.stateDictFloat32(), Device.cpu());
          NDManager m = NDManager.newBaseManager(Device.cpu(), CropMaeModel.ENGINE)) {
        NDArray v = m.create(views, new Shape(1, 2, 3, s, s));
        NDArray n = m.create(noise, new Shape(1, patches));
        ForwardResult r = model.forward(v, n, false);
        loss = r.lossValue();
        pred = r.pred().get(0).toFloatArray();
        mask = r.mask().get(0).toFloatArray();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(checkpoint + ": " + e.getMessage(), e);
      }
      TrainingImages.reconstruction(out, config, views, pred, mask);
      stdout().printf("wrote %s (mask ratio %s, %d of %d patches removed, loss %.6g, seed %d)%n", out,
          config.maskRatio(), patches - config.numVisiblePatches(), patches, loss, seed);
      return 0;
    }
  }

  /**
   * The architecture as training resumes it ({@link Trainer#modelOf(TorchCheckpoint)}), with the
   * decoder head count overridden when given.
   */
  static CropMaeConfig modelOf(TorchCheckpoint ckpt, Path checkpoint, Integer decoderHeads) throws IOException {
    if (decoderHeads == null) {
      return Trainer.modelOf(ckpt);
    }
    if (decoderHeads < 1) {
      throw new UsageException("--decoder-heads: must be positive, got " + decoderHeads);
    }
    try {
      // Official checkpoints without args: only the head count is missing from the state dict.
      return ckpt.hasEntry("cropmae") ? Trainer.modelOf(ckpt).toBuilder().decoderNumHeads(decoderHeads).build()
          : CropMaeConfig.fromCheckpoint(ckpt, decoderHeads);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(checkpoint + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code cropmae visualize attention}: where the cls token looks in the last encoder block. The
   * weights come from an exported ONNX encoder's {@code last_attention} output
   * ({@link OnnxEncoder#lastAttention}) or from a checkpoint through the DJL model
   * ({@link CropMaeModel#lastBlockAttention}); both are drawn by the same code.
   */
  @Command(name = "attention", header = "Draws the cls token's last-block attention over an image, one panel per head.",
    mixinStandardHelpOptions = true,
      description = {
          "Draws the cls token's attention in the last encoder block, one panel per head, over the image as the",
          "evaluation encoder sees it (resized bilinearly, position embedding resized): input | head 0 | head 1 ...",
          "Each head's weights over the patches are scaled to [0, 1] (min to max) and blended in red over the grey image.",
          "Reads an ONNX encoder of 'cropmae export' or 'cropmae import' (--model; models exported before the",
          "attention output existed must be re-exported) or a training checkpoint, ours or official (--checkpoint)."})
  static final class Attention extends CliCommand {
    /** Strongest blend of the heat colour over the image. */
    private static final float ALPHA = 0.75f;
    private static final int PAD = 2;

    /** Where the weights come from: exactly one of the two. */
    static final class Source {
      @Option(names = "--model", required = true, paramLabel = "E.onnx",
          description = "ONNX encoder with the last_attention output ('cropmae export' or 'cropmae import').")
      Path model;

      @Option(names = "--checkpoint", required = true, paramLabel = "C.pth",
          description = "Training checkpoint, of 'cropmae train' or of the official trainer (run on the CPU with DJL).")
      Path checkpoint;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--image", required = true, paramLabel = "I.jpg", description = "Image to look at.")
    Path image;

    @Option(names = "--out", required = true, paramLabel = "A.png", description = "PNG to write.")
    Path out;

    @Option(names = "--size", paramLabel = "HxW",
        description = "Encoder input size (multiples of the patch size). Default: the image's size rounded down to a multiple of the patch size.")
    String size;

    @Option(names = "--decoder-heads", paramLabel = "N",
        description = "With --checkpoint: decoder heads, when the checkpoint's args do not record them (the decoder is not run).")
    Integer decoderHeads;

    /** ONNX Runtime options; used with --model. */
    @Mixin EncoderOptionsMixin encoderOptions;

    /** The cls token's last-block attention over the patches, {@code [heads, h*w]}, and how it was computed. */
    private record ClsAttention(NormalizedImage input, ImageNormalization norm, float[] weights, int heads, int patch,
        int depth) {}

    @Override
    public Integer call() throws Exception {
      int[] hw = size == null ? null : BenchCommand.parseGrid(size, "--size");
      if (source.model != null && decoderHeads != null) {
        throw new UsageException("--decoder-heads: only with --checkpoint (an ONNX encoder has no decoder)");
      }
      RgbImage rgb = ImageFiles.readRgb(image);
      ClsAttention a = source.model != null ? fromModel(source.model, rgb, hw) : fromCheckpoint(source.checkpoint, rgb, hw);
      int h = a.input().height() / a.patch();
      int w = a.input().width() / a.patch();
      ImageFiles.writePng(out, panels(a.norm(), a.input(), a.weights(), a.heads(), h, w, a.patch()));
      stdout().printf("wrote %s (%d heads, %dx%d patches of %d pixels, last of %d blocks)%n", out, a.heads(), h, w,
          a.patch(), a.depth());
      return 0;
    }

    /** The encoder input size: {@code --size}, else the image's size rounded down to the patch size. */
    private static ImageSize target(RgbImage rgb, int[] hw, int p) {
      ImageSize target = hw != null ? new ImageSize(hw[0], hw[1])
          : new ImageSize(Math.max(p, rgb.height() / p * p), Math.max(p, rgb.width() / p * p));
      if (target.height() % p != 0 || target.width() % p != 0) {
        throw new UsageException("--size: " + target + " is not a multiple of the patch size " + p);
      }
      return target;
    }

    private ClsAttention fromModel(Path model, RgbImage rgb, int[] hw) throws IOException {
      try (OnnxEncoder encoder = OnnxEncoder.open(model, encoderOptions.toOptions())) {
        EncoderInfo info = encoder.info();
        int p = info.patchSize();
        ImageSize target = target(rgb, hw, p);
        ImageNormalization norm = ImageNormalization.of(info.mean(), info.std());
        NormalizedImage input = norm.apply(rgb, target);
        AttentionMaps maps = encoder.lastAttention(input.chw(), 1, target.height(), target.width());
        int cells = maps.gridHeight() * maps.gridWidth();
        float[] weights = new float[maps.heads() * cells];
        for (int head = 0; head < maps.heads(); head++) {
          System.arraycopy(maps.clsToPatches(0, head), 0, weights, head * cells, cells);
        }
        return new ClsAttention(input, norm, weights, maps.heads(), p, info.depth());
      }
    }

    private ClsAttention fromCheckpoint(Path checkpoint, RgbImage rgb, int[] hw) throws IOException {
      TorchCheckpoint ckpt = TorchCheckpoint.read(checkpoint);
      CropMaeConfig config = modelOf(ckpt, checkpoint, decoderHeads);
      int p = config.patchSize();
      ImageSize target = target(rgb, hw, p);
      NormalizedImage input = ImageNormalization.IMAGENET.apply(rgb, target);
      float[] weights;
      try (CropMaeModel model = CropMaeModel.fromStateDict(config, ckpt.stateDictFloat32(), Device.cpu());
          NDManager m = NDManager.newBaseManager(Device.cpu(), CropMaeModel.ENGINE)) {
        NDArray x = m.create(input.chw(), new Shape(1, 3, target.height(), target.width()));
        // Row 0 of each head: the cls token's weights over [cls, patches].
        weights = model.lastBlockAttention(x).get("0, :, 0, 1:").toFloatArray();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(checkpoint + ": " + e.getMessage(), e);
      }
      return new ClsAttention(input, ImageNormalization.IMAGENET, weights, config.numHeads(), p, config.depth());
    }

    /** The input and one heat-map panel per head side by side, on white. */
    private static RgbImage panels(ImageNormalization norm, NormalizedImage input, float[] attention, int heads,
        int h, int w, int p) {
      int ph = input.height();
      int pw = input.width();
      int width = (heads + 1) * pw + (heads + 2) * PAD;
      int height = ph + 2 * PAD;
      byte[] px = new byte[width * height * 3];
      java.util.Arrays.fill(px, (byte) 0xff);
      float[] mean = norm.mean();
      float[] std = norm.std();
      for (int panel = 0; panel <= heads; panel++) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        int base = (panel - 1) * h * w;
        if (panel > 0) {
          for (int i = 0; i < h * w; i++) {
            lo = Math.min(lo, attention[base + i]);
            hi = Math.max(hi, attention[base + i]);
          }
        }
        int x0 = PAD + panel * (pw + PAD);
        for (int y = 0; y < ph; y++) {
          for (int x = 0; x < pw; x++) {
            float a = panel == 0 ? 0f
                : ALPHA * (hi > lo ? (attention[base + (y / p) * w + x / p] - lo) / (hi - lo) : 0f);
            int at = ((PAD + y) * width + x0 + x) * 3;
            float[] v = new float[3];
            for (int c = 0; c < 3; c++) {
              v[c] = Math.max(0f, Math.min(255f, (input.get(c, y, x) * std[c] + mean[c]) * 255f));
            }
            // Heads are drawn over the grey image: red heat is unreadable over a colourful one.
            float grey = panel == 0 ? 0f : 0.299f * v[0] + 0.587f * v[1] + 0.114f * v[2];
            for (int c = 0; c < 3; c++) {
              float under = panel == 0 ? v[c] : grey;
              float heat = c == 0 ? 255f : 0f;
              px[at + c] = (byte) Math.round((1 - a) * under + a * heat);
            }
          }
        }
      }
      return new RgbImage(width, height, px);
    }
  }
}
