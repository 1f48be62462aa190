package org.cropmae.runtime.propagation;

import org.cropmae.runtime.preprocess.ProtocolSize;

import java.util.Objects;

/**
 * Parameters of the label propagation protocol (the videowalk evaluation CropMAE reports).
 *
 * <p>Each target frame attends to the first frame (long-term memory, every position) and to the
 * {@code contextLength} previous frames, where only keys strictly closer than {@code radius} grid
 * cells (Euclidean distance between feature-grid positions) count. Affinities are dot products of
 * L2-normalised features divided by {@code temperature}; the {@code topK} largest per target
 * position are soft-maxed and weight the context frames' soft labels. Before the video starts the
 * first frame fills the whole short-term context.
 *
 * @param contextLength number of previous frames attended to ({@code video_len}), at least 1
 * @param topK number of neighbours kept per target position, at least 1
 * @param temperature softmax temperature, finite and positive
 * @param radius spatial radius in feature-grid cells (exclusive bound), positive; may be infinite
 * @param inputSize how the protocol resizes frames before encoding (not used by the propagation itself)
 */
public record PropagationConfig(int contextLength, int topK, double temperature, double radius, ProtocolSize inputSize) {

  public PropagationConfig {
    if (contextLength < 1) {
      throw new IllegalArgumentException("contextLength must be at least 1, got " + contextLength);
    }
    if (topK < 1) {
      throw new IllegalArgumentException("topK must be at least 1, got " + topK);
    }
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be finite and positive, got " + temperature);
    }
    if (!(radius > 0)) {
      throw new IllegalArgumentException("radius must be positive, got " + radius);
    }
    Objects.requireNonNull(inputSize, "inputSize");
  }

  /** DAVIS-2017: 20 context frames, top-7, temperature 0.7, radius 20, frames resized to 480x880. */
  public static PropagationConfig davis() {
    return new PropagationConfig(20, 7, 0.7, 20, new ProtocolSize.Fixed(480, 880));
  }

  /** JHMDB pose propagation: 20 context frames, top-7, temperature 0.7, radius 20, 320x320 frames. */
  public static PropagationConfig jhmdb() {
    return new PropagationConfig(20, 7, 0.7, 20, new ProtocolSize.Fixed(320, 320));
  }

  /** VIP part propagation: 20 context frames, top-10, temperature 0.7, radius 20, longer side 880. */
  public static PropagationConfig vip() {
    return new PropagationConfig(20, 10, 0.7, 20, new ProtocolSize.LongerSide(880));
  }

  public PropagationConfig withContextLength(int value) {
    return new PropagationConfig(value, topK, temperature, radius, inputSize);
  }

  public PropagationConfig withTopK(int value) {
    return new PropagationConfig(contextLength, value, temperature, radius, inputSize);
  }

  public PropagationConfig withTemperature(double value) {
    return new PropagationConfig(contextLength, topK, value, radius, inputSize);
  }

  public PropagationConfig withRadius(double value) {
    return new PropagationConfig(contextLength, topK, temperature, value, inputSize);
  }

  public PropagationConfig withInputSize(ProtocolSize value) {
    return new PropagationConfig(contextLength, topK, temperature, radius, value);
  }

  /**
   * Number of keys a target frame's top-k chooses from on an {@code h x w} feature grid:
   * {@code (contextLength + 1) * h * w} (the first frame once as long-term memory plus the
   * short-term context, duplicates included).
   */
  public long contextKeys(int gridHeight, int gridWidth) {
    return (long) (contextLength + 1) * gridHeight * gridWidth;
  }
}
