package org.cropmae.app.cli;

import java.nio.file.Path;
import java.util.Map;
import org.cropmae.runtime.onnx.EncoderContract;
import org.cropmae.trainer.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cropmae export}: the encoder of a training checkpoint as ONNX. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {
        "Writes the encoder of a training checkpoint, one of 'cropmae train' or of the official trainer, as an ONNX",
        "model for 'cropmae embed' and 'cropmae propagate' (the paper's evaluation model: any input size, position",
        "embedding resized bicubically). Our checkpoints record their head count; official ones use 64 channels per head."})
public final class ExportCommand extends CliCommand {
  @Option(names = "--checkpoint", required = true, paramLabel = "C.pth", description = "Training checkpoint (PyTorch zip format).")
  Path checkpoint;

  @Option(names = "--out", required = true, paramLabel = "E.onnx", description = "ONNX file to write.")
  Path out;

  @Option(names = "--heads", paramLabel = "N", description = "Encoder attention heads, overriding what the checkpoint implies.")
  Integer heads;

  @Override
  public Integer call() throws Exception {
    Map<String, String> meta = Trainer.exportEncoder(checkpoint, out, heads);
    stdout().println("wrote " + out + " (" + meta.get(EncoderContract.ARCHITECTURE) + ", patch "
        + meta.get(EncoderContract.PATCH_SIZE) + ", " + meta.get(EncoderContract.NUM_HEADS) + " heads, from "
        + checkpoint.getFileName() + ")");
    return 0;
  }
}
