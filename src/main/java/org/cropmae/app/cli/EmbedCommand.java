package org.cropmae.app.cli;

import java.nio.file.Path;
import java.util.Arrays;
import org.cropmae.runtime.io.Npy;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.onnx.EncoderOutput;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.cropmae.runtime.tensor.FloatGrid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cropmae embed}: encoder features of normalised images, in the reference model's layout. */
@Command(name = "embed", mixinStandardHelpOptions = true,
    description = {
        "Runs an ONNX CropMAE encoder on a normalised batch [N,3,H,W] (.npy, float32, ImageNet mean/std applied)",
        "and writes its tokens [N,1+h*w,D] (.npy, cls token first, then patches row-major), as the reference model returns them."})
public final class EmbedCommand extends CliCommand {
  @Option(names = "--model", required = true, paramLabel = "E.onnx", description = "Encoder exported by 'cropmae import' or 'cropmae export'.")
  Path model;

  @Option(names = "--input", required = true, paramLabel = "X.npy", description = "Normalised images [N,3,H,W], H and W multiples of the patch size.")
  Path input;

  @Option(names = "--out", required = true, paramLabel = "Y.npy", description = "Output tokens [N,1+h*w,D] (float32).")
  Path out;

  @Mixin EncoderOptionsMixin encoderOptions;

  @Override
  public Integer call() throws Exception {
    NpyArray x = Npy.read(input);
    if (x.rank() != 4 || x.dim(1) != 3) {
      throw new IllegalArgumentException(input + ": expected a [N,3,H,W] array, got shape " + Arrays.toString(x.shape()));
    }
    int n = x.dim(0), h = x.dim(2), w = x.dim(3);
    try (OnnxEncoder encoder = OnnxEncoder.open(model, encoderOptions.toOptions())) {
      EncoderOutput y = encoder.encode(x.toFloatArray(), n, h, w);
      int d = y.embedDim();
      FloatGrid first = y.patchFeatures().get(0);
      int tokens = 1 + first.positions();
      float[] all = new float[n * tokens * d];
      for (int i = 0; i < n; i++) {
        int base = i * tokens * d;
        System.arraycopy(y.clsTokens(), i * d, all, base, d);
        System.arraycopy(y.patchFeatures().get(i).values(), 0, all, base + d, (tokens - 1) * d);
      }
      Npy.write(out, NpyArray.ofFloat32(new int[] {n, tokens, d}, all));
      stdout().printf("wrote %s [%d, %d, %d] (grid %dx%d)%n", out, n, tokens, d, first.height(), first.width());
    }
    return 0;
  }
}
