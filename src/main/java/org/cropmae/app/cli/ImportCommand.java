package org.cropmae.app.cli;

import java.nio.file.Path;
import java.util.Map;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.io.Sha256;
import org.cropmae.runtime.onnx.EncoderContract;
import org.cropmae.trainer.checkpoint.TorchCheckpoint;
import org.cropmae.trainer.export.EncoderArchitecture;
import org.cropmae.trainer.export.OnnxEncoderExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cropmae import}: a PyTorch CropMAE checkpoint to an ONNX encoder. */
@Command(name = "import", header = "Converts a PyTorch CropMAE checkpoint into an ONNX encoder, executing nothing in it.",
    mixinStandardHelpOptions = true,
    description = {
        "Converts a PyTorch checkpoint of the official CropMAE trainer (or any state dict with the same encoder keys)",
        "into an ONNX encoder for 'cropmae embed' and 'cropmae propagate'. The checkpoint is parsed with an allowlist:",
        "nothing in it is executed. The decoder is dropped; the encoder is the paper's evaluation model (any input size,",
        "position embedding resized bicubically as the reference does)."})
public final class ImportCommand extends CliCommand {
  @Option(names = "--checkpoint", required = true, paramLabel = "C.pth", description = "PyTorch checkpoint (zip format, PyTorch >= 1.6).")
  Path checkpoint;

  @Option(names = "--out", required = true, paramLabel = "E.onnx", description = "ONNX file to write.")
  Path out;

  @Option(names = "--arch", defaultValue = "auto", paramLabel = "auto|vits16|vits8|vitb16|vitl16",
      description = "Encoder size; auto reads it from the tensor shapes with 64 channels per head as the official models (default: ${DEFAULT-VALUE}).")
  String arch;

  @Option(names = "--heads", paramLabel = "N", description = "Attention heads, when a custom model does not use 64 channels per head.")
  Integer heads;

  @Override
  public Integer call() throws Exception {
    TorchCheckpoint ckpt = TorchCheckpoint.read(checkpoint);
    Map<String, NpyArray> stateDict = ckpt.stateDictFloat32();
    Map<String, String> meta;
    try {
      EncoderArchitecture a = arch.equals("auto") ? EncoderArchitecture.infer(stateDict) : EncoderArchitecture.named(arch);
      if (heads != null) {
        a = a.withNumHeads(heads);
      }
      meta = OnnxEncoderExporter.export(stateDict, a, out,
          Map.of(EncoderContract.SOURCE_SHA256, Sha256.of(checkpoint)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(checkpoint + ": " + e.getMessage(), e);
    }
    stdout().println("wrote " + out + " (" + meta.get(EncoderContract.ARCHITECTURE) + ", patch "
        + meta.get(EncoderContract.PATCH_SIZE) + ", from " + checkpoint.getFileName() + ")");
    return 0;
  }
}
