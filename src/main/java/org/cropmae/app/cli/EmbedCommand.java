package org.cropmae.app.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.cropmae.runtime.data.FrameFolders;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.io.Npy;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.io.desktop.ImageFiles;
import org.cropmae.runtime.onnx.EncoderOutput;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.cropmae.runtime.preprocess.ImageNormalization;
import org.cropmae.runtime.preprocess.ImageSize;
import org.cropmae.runtime.preprocess.NormalizedImage;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cropmae embed}: encoder tokens of images, in the reference model's layout. */
@Command(name = "embed", header = "Writes the encoder tokens of images or of a normalised batch as .npy.",
    mixinStandardHelpOptions = true,
    description = {
        "Runs an ONNX CropMAE encoder and writes its tokens [N,1+h*w,D] (.npy, float32, cls token first, then patches",
        "row-major), as the reference model returns them. Input: a normalised batch [N,3,H,W] (.npy, mean/std applied),",
        "or a folder of image files, each resized (bilinear, OpenCV semantics) and normalised with the model's mean/std."})
public final class EmbedCommand extends CliCommand {
  @Option(names = "--model", required = true, paramLabel = "E.onnx|NAME|C.pth|URL",
      description = "Encoder: an ONNX file ('cropmae import' or 'cropmae export'), a registry name, an https://...#sha256=<hex> "
          + "address, or a PyTorch checkpoint (converted in memory, nothing in it executed).")
  String model;

  static final class Input {
    @Option(names = "--input", paramLabel = "X.npy", description = "Normalised images [N,3,H,W], H and W multiples of the patch size.")
    Path npy;

    @Option(names = "--images", paramLabel = "DIR", description = "Folder of .jpg/.jpeg/.png images, embedded in file-name order.")
    Path images;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  @Option(names = "--size", paramLabel = "HxW",
      description = "With --images: size every image is resized to (multiples of the patch size). Default: the first image's size rounded down to a multiple of the patch size.")
  String size;

  @Option(names = "--out", required = true, paramLabel = "Y.npy", description = "Output tokens [N,1+h*w,D] (float32).")
  Path out;

  @Mixin EncoderOptionsMixin encoderOptions;

  @Override
  public Integer call() throws Exception {
    try (ModelArgument.Opened opened = ModelArgument.open(model, encoderOptions.toOptions())) {
      OnnxEncoder encoder = opened.encoder();
      NpyArray tokens = input.npy != null ? fromNpy(encoder) : fromImages(encoder);
      Npy.write(out, tokens);
      stdout().println("wrote " + out + " " + Arrays.toString(tokens.shape()));
    }
    return 0;
  }

  private NpyArray fromNpy(OnnxEncoder encoder) throws java.io.IOException {
    NpyArray x = Npy.read(input.npy);
    if (x.rank() != 4 || x.dim(1) != 3) {
      throw new IllegalArgumentException(input.npy + ": expected a [N,3,H,W] array, got shape " + Arrays.toString(x.shape()));
    }
    int n = x.dim(0);
    EncoderOutput y;
    try {
      y = encoder.encode(x.toFloatArray(), n, x.dim(2), x.dim(3));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(input.npy + ": " + e.getMessage(), e);
    }
    int stride = (1 + y.patchFeatures().get(0).positions()) * y.embedDim();
    float[] all = new float[Math.multiplyExact(n, stride)];
    for (int i = 0; i < n; i++) {
      y.copyTokens(i, all, i * stride);
    }
    return NpyArray.ofFloat32(new int[] {n, stride / y.embedDim(), y.embedDim()}, all);
  }

  /** Encodes one image at a time, so memory holds one image, not the batch. */
  private NpyArray fromImages(OnnxEncoder encoder) throws java.io.IOException {
    List<Path> files = FrameFolders.listImages(input.images);
    int patch = encoder.info().patchSize();
    ImageSize target = null;
    if (size != null) {
      int[] hw = BenchCommand.parseGrid(size, "--size");
      target = new ImageSize(hw[0], hw[1]);
    }
    ImageNormalization norm = ImageNormalization.of(encoder.info().mean(), encoder.info().std());
    float[] all = null;
    int stride = 0;
    int tokens = 0;
    try (Progress progress = new Progress(stderr(), "embed", files.size())) {
      for (int i = 0; i < files.size(); i++) {
        RgbImage image = ImageFiles.readRgb(files.get(i));
        if (target == null) {
          target = new ImageSize(Math.max(patch, image.height() / patch * patch), Math.max(patch, image.width() / patch * patch));
        }
        NormalizedImage x = norm.apply(image, target);
        EncoderOutput y;
        try {
          y = encoder.encode(x.chw(), 1, x.height(), x.width());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(files.get(i) + ": " + e.getMessage(), e);
        }
        if (all == null) {
          tokens = 1 + y.patchFeatures().get(0).positions();
          stride = tokens * y.embedDim();
          all = new float[Math.multiplyExact(files.size(), stride)];
        }
        y.copyTokens(0, all, i * stride);
        progress.step("");
      }
    }
    return NpyArray.ofFloat32(new int[] {files.size(), tokens, stride / tokens}, all);
  }
}
