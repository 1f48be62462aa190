package org.cropmae.app.cli;

import java.nio.file.Path;
import java.util.Map;
import org.cropmae.runtime.onnx.EncoderContract;
import org.cropmae.trainer.model.CropMaeConfig;
import org.cropmae.trainer.train.Trainer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cropmae export}: the encoder of a training checkpoint as ONNX. */
@Command(name = "export", header = "Writes the encoder of a training checkpoint (or its random initialisation) as ONNX.",
    mixinStandardHelpOptions = true,
    description = {
        "Writes the encoder of a training checkpoint, one of 'cropmae train' or of the official trainer, as an ONNX",
        "model for 'cropmae embed' and 'cropmae propagate' (the paper's evaluation model: any input size, position",
        "embedding resized bicubically). Our checkpoints record their head count; official ones use 64 channels per head."})
public final class ExportCommand extends CliCommand {
  static final class Source {
    @Option(names = "--checkpoint", required = true, paramLabel = "C.pth", description = "Training checkpoint (PyTorch zip format).")
    Path checkpoint;

    @Option(names = "--initial", required = true, paramLabel = "ARCH",
        description = "Instead of a checkpoint: the randomly initialised encoder 'cropmae train --arch ARCH --seed S' starts "
            + "from (a baseline for evaluations).")
    String initial;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Seed for --initial (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "E.onnx", description = "ONNX file to write.")
  Path out;

  @Option(names = "--heads", paramLabel = "N", description = "Encoder attention heads, overriding what the checkpoint implies.")
  Integer heads;

  @Override
  public Integer call() throws Exception {
    Map<String, String> meta;
    String from;
    if (source.initial != null) {
      CropMaeConfig config;
      try {
        config = CropMaeConfig.named(source.initial);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--initial: " + e.getMessage(), e);
      }
      meta = Trainer.exportInitialEncoder(config, seed, out);
      from = "random initialisation, seed " + seed;
    } else {
      meta = Trainer.exportEncoder(source.checkpoint, out, heads);
      from = source.checkpoint.getFileName().toString();
    }
    stdout().println("wrote " + out + " (" + meta.get(EncoderContract.ARCHITECTURE) + ", patch "
        + meta.get(EncoderContract.PATCH_SIZE) + ", " + meta.get(EncoderContract.NUM_HEADS) + " heads, from "
        + from + ")");
    return 0;
  }
}
