package org.cropmae.app.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.io.desktop.ImageFiles;
import org.cropmae.trainer.checkpoint.TorchCheckpoint;
import org.cropmae.trainer.data.Seeds;
import org.cropmae.trainer.data.ViewConfig;
import org.cropmae.trainer.data.ViewSampler;
import org.cropmae.trainer.model.CropMaeConfig;
import org.cropmae.trainer.model.CropMaeModel;
import org.cropmae.trainer.model.ForwardResult;
import org.cropmae.trainer.train.Trainer;
import org.cropmae.trainer.train.TrainingImages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cropmae visualize}: pictures of what a model does. */
@Command(name = "visualize", mixinStandardHelpOptions = true,
    description = "Pictures of what a model does.",
    subcommands = {VisualizeCommand.Reconstruction.class})
public final class VisualizeCommand extends CliCommand {
  @Override
  public Integer call() {
    spec.commandLine().usage(stdout());
    return 0;
  }

  /** {@code cropmae visualize reconstruction}: one Global-to-Local pair through a checkpoint. */
  @Command(name = "reconstruction", mixinStandardHelpOptions = true,
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
      if (decoderHeads != null && decoderHeads < 1) {
        throw new IllegalArgumentException("--decoder-heads: must be positive, got " + decoderHeads);
      }
      if (maskRatio != null && !(maskRatio >= 0 && maskRatio < 1)) {
        throw new IllegalArgumentException("--mask-ratio: must be in [0, 1), got " + maskRatio);
      }
      RgbImage rgb = ImageFiles.readRgb(image);
      TorchCheckpoint ckpt = TorchCheckpoint.read(checkpoint);
      CropMaeConfig config = modelOf(ckpt);
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

    /** The architecture: as training resumes it, with the decoder head count overridden when given. */
    private CropMaeConfig modelOf(TorchCheckpoint ckpt) throws java.io.IOException {
      if (decoderHeads == null) {
        return Trainer.modelOf(ckpt);
      }
      try {
        // Official checkpoints without args: only the head count is missing from the state dict.
        return ckpt.hasEntry("cropmae") ? Trainer.modelOf(ckpt).toBuilder().decoderNumHeads(decoderHeads).build()
            : CropMaeConfig.fromCheckpoint(ckpt, decoderHeads);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(checkpoint + ": " + e.getMessage(), e);
      }
    }
  }
}
