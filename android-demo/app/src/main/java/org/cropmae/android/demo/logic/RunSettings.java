package org.cropmae.android.demo.logic;

import java.util.List;
import org.cropmae.runtime.onnx.EncoderOptions;
import org.cropmae.runtime.preprocess.ProtocolSize;
import org.cropmae.runtime.propagation.PropagationConfig;

/**
 * What the user chose for a propagation run. Immutable.
 *
 * @param provider where the encoder runs: one of {@link #PROVIDERS}
 * @param longerSide frames are resized so that their longer side has this many pixels before
 *     encoding (the shorter side scaled alike, rounded down to a multiple of 64); a multiple of the
 *     encoder's patch size. {@link #FAST} on phones, {@link #DAVIS} for the paper's resolution
 * @param threads threads for the encoder and the propagation, at least 1
 */
public record RunSettings(EncoderOptions.ExecutionProvider provider, int longerSide, int threads) {
  /** The execution providers the app offers, in menu order. */
  public static final List<EncoderOptions.ExecutionProvider> PROVIDERS = List.of(
      EncoderOptions.ExecutionProvider.CPU, EncoderOptions.ExecutionProvider.XNNPACK, EncoderOptions.ExecutionProvider.NNAPI);
  /** Longer side of about half the paper's DAVIS width: about three times fewer patches, for phones. */
  public static final int FAST = 480;
  /** The paper's DAVIS resolution (480 x 880 for a landscape 16:9 video). */
  public static final int DAVIS = 880;

  public RunSettings {
    if (provider == null || !PROVIDERS.contains(provider)) {
      throw new IllegalArgumentException("provider must be one of " + PROVIDERS + ", got " + provider);
    }
    if (longerSide < ProtocolSize.LongerSide.MULTIPLE) {
      throw new IllegalArgumentException("longerSide must be at least " + ProtocolSize.LongerSide.MULTIPLE + ", got " + longerSide);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
  }

  /** CPU, {@link #FAST}, one thread per processor. */
  public static RunSettings defaults() {
    return new RunSettings(EncoderOptions.ExecutionProvider.CPU, FAST, Runtime.getRuntime().availableProcessors());
  }

  /** The encoder session settings. */
  public EncoderOptions encoderOptions() {
    return EncoderOptions.defaults().withExecutionProvider(provider).withThreads(threads, 1);
  }

  /** The DAVIS propagation protocol (20 context frames, top-7, temperature 0.7, radius 20) at {@link #longerSide()}. */
  public PropagationConfig propagationConfig() {
    return PropagationConfig.davis().withInputSize(new ProtocolSize.LongerSide(longerSide));
  }

  public RunSettings withProvider(EncoderOptions.ExecutionProvider value) {
    return new RunSettings(value, longerSide, threads);
  }

  public RunSettings withLongerSide(int value) {
    return new RunSettings(provider, value, threads);
  }

  public RunSettings withThreads(int value) {
    return new RunSettings(provider, longerSide, value);
  }
}
