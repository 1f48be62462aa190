package org.cropmae.app.cli;

import org.cropmae.runtime.budget.ComputeBudget;
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

  @Option(names = "--max-tokens", defaultValue = "4097", paramLabel = "N",
      description = "Most tokens of one encoded image, 1 + (H/16)*(W/16) at patch 16: attention memory grows with its square (default: ${DEFAULT-VALUE}, 1024x1024 pixels).")
  long maxTokens;

  @Option(names = "--max-attention-mib", defaultValue = "2048", paramLabel = "MIB",
      description = "Most memory of one encoder call's attention map, heads x tokens^2 x 4 bytes (default: ${DEFAULT-VALUE}).")
  long maxAttentionMib;

  @Option(names = "--max-context-mib", defaultValue = "2048", paramLabel = "MIB",
      description = "Most memory of one video's propagation state, (context + 1) x h x w x (D + labels) x 4 bytes (default: ${DEFAULT-VALUE}).")
  long maxContextMib;

  /** The options as given on the command line. */
  public EncoderOptions toOptions() {
    EncoderOptions.ExecutionProvider provider = switch (device) {
      case "auto" -> EncoderOptions.ExecutionProvider.AUTO;
      case "cpu" -> EncoderOptions.ExecutionProvider.CPU;
      case "cuda", "gpu" -> EncoderOptions.ExecutionProvider.CUDA;
      default -> throw new UsageException("--device: expected auto, cpu or cuda, got '" + device + "'");
    };
    EncoderOptions o = EncoderOptions.defaults().withExecutionProvider(provider).withBudget(toBudget());
    return threads > 0 ? o.withThreads(threads, 1) : o;
  }

  /** The compute budget given by --max-tokens, --max-attention-mib and --max-context-mib. */
  public ComputeBudget toBudget() {
    if (maxTokens < 2 || maxAttentionMib < 1 || maxContextMib < 1) {
      throw new UsageException("--max-tokens must be at least 2 and --max-attention-mib, --max-context-mib"
          + " at least 1, got " + maxTokens + ", " + maxAttentionMib + ", " + maxContextMib);
    }
    return new ComputeBudget(maxTokens, mib(maxAttentionMib), mib(maxContextMib));
  }

  private static long mib(long value) {
    return value > Long.MAX_VALUE >> 20 ? Long.MAX_VALUE : value << 20;
  }
}
