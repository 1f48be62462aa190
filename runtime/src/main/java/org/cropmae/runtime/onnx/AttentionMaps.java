package org.cropmae.runtime.onnx;

import java.util.Arrays;

/**
 * Attention probabilities of an encoder's last transformer block for a batch of {@code N} images
 * ({@link OnnxEncoder#lastAttention}).
 *
 * <p>{@link #values()} is float32 {@code [N, heads, T, T]} row-major with {@code T = 1 + gridHeight *
 * gridWidth} tokens: the cls token first, then the patches in row-major grid order, as in
 * {@link EncoderContract#OUTPUT}. Element {@code [i, head, q, k]} is how much query token {@code q}
 * attends to key token {@code k}; each row {@code [i, head, q, :]} is a softmax and sums to 1.
 *
 * @param count number of images {@code N}
 * @param heads attention heads
 * @param gridHeight patch rows {@code h = H / patch}
 * @param gridWidth patch columns {@code w = W / patch}
 * @param values the probabilities, {@code N * heads * T * T} values (not copied; do not modify)
 */
public record AttentionMaps(int count, int heads, int gridHeight, int gridWidth, float[] values) {

  public AttentionMaps {
    long t = 1L + (long) gridHeight * gridWidth;
    if (count < 1 || heads < 1 || gridHeight < 1 || gridWidth < 1 || values.length != (long) count * heads * t * t) {
      throw new IllegalArgumentException("attention maps: " + values.length + " values for " + count + " images, "
          + heads + " heads and " + gridHeight + "x" + gridWidth + " patches (" + t + " tokens)");
    }
  }

  /** Tokens per image {@code T = 1 + gridHeight * gridWidth}. */
  public int tokens() {
    return 1 + gridHeight * gridWidth;
  }

  /** The probability that query token {@code query} of image {@code i}, head {@code head}, gives key token {@code key}. */
  public float get(int i, int head, int query, int key) {
    int t = tokens();
    check("i", i, count);
    check("head", head, heads);
    check("query", query, t);
    check("key", key, t);
    return values[((i * heads + head) * t + query) * t + key];
  }

  /**
   * How the cls token of image {@code i} attends to the patches in head {@code head}: a copy of row
   * 0 without its first (cls to cls) entry, {@code [gridHeight, gridWidth]} row-major. Sums to 1 minus
   * the cls token's weight on itself.
   */
  public float[] clsToPatches(int i, int head) {
    int t = tokens();
    check("i", i, count);
    check("head", head, heads);
    int row = ((i * heads + head) * t) * t;
    return Arrays.copyOfRange(values, row + 1, row + t);
  }

  // Not Objects.checkIndex: Android API 24 lacks it.
  private static void check(String name, int index, int size) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(name + " " + index + " is outside [0, " + size + ")");
    }
  }
}
