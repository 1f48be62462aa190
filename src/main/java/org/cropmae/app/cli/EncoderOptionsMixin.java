package org.cropmae.app.cli;

import org.cropmae.runtime.onnx.EncoderOptions;
import picocli.CommandLine.Option;

/** The ONNX Runtime options every command that runs an encoder accepts. */
public final class EncoderOptionsMixin {
  @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda",
      description = "Where the encoder runs: auto uses CUDA when onnxruntime_gpu and a GPU are present, else the CPU (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
      description = "Intra-op threads for ONNX Runtime; 0 lets ONNX Runtime choose (default: ${DEFAULT-VALUE}).")
  int threads;

  /** The options as given on the command line. */
  public EncoderOptions toOptions() {
    EncoderOptions.ExecutionProvider provider = switch (device) {
      case "auto" -> EncoderOptions.ExecutionProvider.AUTO;
      case "cpu" -> EncoderOptions.ExecutionProvider.CPU;
      case "cuda", "gpu" -> EncoderOptions.ExecutionProvider.CUDA;
      default -> throw new IllegalArgumentException("--device: expected auto, cpu or cuda, got '" + device + "'");
    };
    EncoderOptions o = EncoderOptions.defaults().withExecutionProvider(provider);
    return threads > 0 ? o.withThreads(threads, 1) : o;
  }
}
