package org.cropmae.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cropmae.runtime.io.Npy;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.trainer.checkpoint.TorchCheckpoint;
import org.cropmae.trainer.model.CropMaeConfig;
import org.cropmae.trainer.model.CropMaeModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cropmae debug}: checks for comparing against the official code. */
@Command(name = "debug", mixinStandardHelpOptions = true,
    description = "Checks for comparing this implementation with the official code.",
    subcommands = {DebugCommand.Loss.class})
public final class DebugCommand {

  @Command(name = "loss", header = "Prints the CropMAE loss of a checkpoint on given views, as JSON.",
    mixinStandardHelpOptions = true,
      description = {"Prints, as JSON, the CropMAE loss of a checkpoint on given views in evaluation mode (no dropout),",
          "with the given masking noise: the training-parity check from the command line."})
  static final class Loss extends CliCommand {
    @Option(names = "--checkpoint", required = true, paramLabel = "C.pth", description = "Training checkpoint (official or ours).")
    Path checkpoint;

    @Option(names = "--views", required = true, paramLabel = "V.npy",
        description = "[B,2,3,S,S] ImageNet-normalised views: 0 is the unmasked (global) view, 1 the masked one.")
    Path views;

    @Option(names = "--noise", paramLabel = "N.npy", description = "[B,L] uniform noise the masking argsorts (lowest kept); random when absent.")
    Path noise;

    @Option(names = "--decoder-heads", paramLabel = "N", description = "Decoder heads, when the checkpoint's args do not record them.")
    Integer decoderHeads;

    @Override
    public Integer call() throws Exception {
      TorchCheckpoint ckpt = TorchCheckpoint.read(checkpoint);
      CropMaeConfig config = CropMaeConfig.fromCheckpoint(ckpt, decoderHeads);
      NpyArray v = Npy.read(views);
      NpyArray n = noise == null ? null : Npy.read(noise);
      double loss = CropMaeModel.evalLoss(config, ckpt.stateDictFloat32(), v, n);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("loss", loss);
      json.put("mask_ratio", config.maskRatio());
      json.put("norm_pix_loss", config.normPixLoss());
      json.put("checkpoint", checkpoint.toString());
      stdout().println(new ObjectMapper().writeValueAsString(json));
      return 0;
    }
  }
}
