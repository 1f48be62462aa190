package org.cropmae.app.cli;

import org.cropmae.runtime.onnx.OnnxAffinityBackend;
import org.cropmae.runtime.preprocess.ProtocolSize;
import org.cropmae.runtime.propagation.AffinityBackend;
import org.cropmae.runtime.propagation.JavaAffinityBackend;
import org.cropmae.runtime.propagation.PropagationConfig;
import picocli.CommandLine.Option;

/** Label propagation parameters shared by the commands that propagate; defaults are the paper's per preset. */
public final class PropagationOptions {
  @Option(names = "--preset", defaultValue = "davis", paramLabel = "davis|jhmdb|vip",
      description = "Parameter set of the paper's evaluation: davis 20/7/0.7/20 at 480x880, jhmdb 20/7/0.7/20 at 320x320, "
          + "vip 20/10/0.7/20 with the longer side 880 (context/top-k/temperature/radius) (default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(names = "--context", paramLabel = "N", description = "Previous frames attended to (the paper's video_len).")
  Integer context;

  @Option(names = "--topk", paramLabel = "K", description = "Neighbours each position takes its label from.")
  Integer topK;

  @Option(names = "--temperature", paramLabel = "T", description = "Softmax temperature of the affinities.")
  Double temperature;

  @Option(names = "--radius", paramLabel = "R", description = "Spatial radius in feature-grid cells for the previous frames (strict: distance < R).")
  Double radius;

  @Option(names = "--input-size", paramLabel = "HxW|S",
      description = "Size frames are resized to before encoding: HxW, or S for 'longer side S, other side rounded down to a multiple of 64'. Default: the preset's.")
  String inputSize;

  @Option(names = "--propagation-threads", paramLabel = "N", description = "Threads for the affinity computation (default: all processors).")
  Integer threads;

  @Option(names = "--affinity", defaultValue = "onnx", paramLabel = "onnx|java",
      description = "Matrix-product backend of the affinities: onnx (ONNX Runtime's MLAS, about 4x faster) or java (portable) "
          + "(default: ${DEFAULT-VALUE}). Both give the same results up to float rounding.")
  String affinity;

  /**
   * The affinity backend the options ask for; the caller closes it (closing the Java backend does
   * nothing).
   */
  public AffinityBackend openAffinityBackend() {
    return switch (affinity) {
      case "onnx" -> OnnxAffinityBackend.create();
      case "java" -> JavaAffinityBackend.INSTANCE;
      default -> throw new UsageException("--affinity: expected onnx or java, got '" + affinity + "'");
    };
  }

  /** Closes a backend from {@link #openAffinityBackend()}. */
  public static void close(AffinityBackend backend) {
    if (backend instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing the affinity backend: " + e.getMessage(), e);
      }
    }
  }

  /**
   * The configuration the options describe.
   *
   * @throws UsageException naming the option when a value is out of range
   */
  public PropagationConfig toConfig() {
    ProtocolSize size = null;
    if (inputSize != null) {
      try {
        size = parseSize(inputSize, "--input-size");
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    try {
      return toConfig(preset, context, topK, temperature, radius, size, "--");
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /**
   * A preset with some of its parameters replaced; {@code null} keeps the preset's value. Shared
   * with the server, which takes the same parameters as form fields.
   *
   * @param preset davis, jhmdb or vip
   * @param prefix how messages name a parameter before its name: {@code "--"} for options,
   *     {@code "field "} for form fields
   * @throws IllegalArgumentException naming the parameter when a value is out of range
   */
  public static PropagationConfig toConfig(String preset, Integer context, Integer topK, Double temperature, Double radius,
      ProtocolSize inputSize, String prefix) {
    PropagationConfig c = switch (preset) {
      case "davis" -> PropagationConfig.davis();
      case "jhmdb" -> PropagationConfig.jhmdb();
      case "vip" -> PropagationConfig.vip();
      default -> throw new IllegalArgumentException(prefix + "preset: expected davis, jhmdb or vip, got '" + preset + "'");
    };
    c = with(c, context, PropagationConfig::withContextLength, prefix + "context");
    c = with(c, topK, PropagationConfig::withTopK, prefix + "topk");
    c = with(c, temperature, PropagationConfig::withTemperature, prefix + "temperature");
    c = with(c, radius, PropagationConfig::withRadius, prefix + "radius");
    if (inputSize != null) {
      c = c.withInputSize(inputSize);
    }
    return c;
  }

  /** {@code c} with {@code value} set by {@code setter} (unchanged for null); a refusal is prefixed with {@code name}. */
  private static <T> PropagationConfig with(PropagationConfig c, T value,
      java.util.function.BiFunction<PropagationConfig, T, PropagationConfig> setter, String name) {
    if (value == null) {
      return c;
    }
    try {
      return setter.apply(c, value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage());
    }
  }

  /** Threads for propagation, or the number of processors. */
  public int threads() {
    int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (n < 1) {
      throw new UsageException("--propagation-threads: must be at least 1, got " + n);
    }
    return n;
  }

  /**
   * Parses {@code HxW} (a fixed size) or {@code S} (the longer side).
   *
   * @param option how an error message names the value, e.g. {@code --input-size}
   */
  public static ProtocolSize parseSize(String s, String option) {
    try {
      int x = s.indexOf('x');
      if (x < 0) {
        return new ProtocolSize.LongerSide(Integer.parseInt(s.strip()));
      }
      return new ProtocolSize.Fixed(Integer.parseInt(s.substring(0, x).strip()), Integer.parseInt(s.substring(x + 1).strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": expected HxW (e.g. 480x880) or a longer side (e.g. 880), got '" + s + "'");
    }
  }
}
