package org.cropmae.runtime.budget;

/**
 * The most one encode or one propagated video may ask, checked from sizes alone before any buffer
 * is allocated.
 *
 * <p>A ViT's attention holds {@code heads x T x T} floats per image and block, {@code T} being the
 * token count, so memory grows with the square of the pixel count: a 2048x2048 image at patch 16 is
 * 16,385 tokens and about 6 GiB of attention for 6 heads, where a DAVIS frame (480x880) is 1,651
 * tokens and 65 MB. The propagation keeps the first frame and {@code contextLength} previous frames'
 * features and soft labels, {@code (contextLength + 1) x h x w x (D + C)} floats.
 *
 * @param maxTokens most tokens of one image, the cls token included ({@code 1 + (H/p) * (W/p)})
 * @param maxAttentionBytes most bytes of one attention map of one encoder call,
 *     {@code N x heads x T x T x 4} for a batch of {@code N} images
 * @param maxContextBytes most bytes of one video's propagation state,
 *     {@code (contextLength + 1) x h x w x (D + C) x 4} on an {@code h x w} feature grid with
 *     {@code D} feature channels and {@code C} labels
 */
public record ComputeBudget(long maxTokens, long maxAttentionBytes, long maxContextBytes) {

  /** Bytes per float32 value. */
  private static final long FLOAT_BYTES = 4;

  public ComputeBudget {
    if (maxTokens < 2) {
      throw new IllegalArgumentException("maxTokens must be at least 2 (the cls token and one patch), got " + maxTokens);
    }
    if (maxAttentionBytes < 1) {
      throw new IllegalArgumentException("maxAttentionBytes must be positive, got " + maxAttentionBytes);
    }
    if (maxContextBytes < 1) {
      throw new IllegalArgumentException("maxContextBytes must be positive, got " + maxContextBytes);
    }
  }

  /**
   * 4,097 tokens (1024x1024 pixels at patch 16; a DAVIS frame is 1,651), 2 GiB of attention per
   * encoder call (a ViT-B with 12 heads at 4,097 tokens needs 806 MB per image) and 2 GiB of
   * propagation state (the DAVIS protocol with a ViT-B needs about 110 MB).
   */
  public static ComputeBudget defaults() {
    return new ComputeBudget(4097, 2L << 30, 2L << 30);
  }

  /** No limit: for trusted callers that size their inputs themselves. */
  public static ComputeBudget unlimited() {
    return new ComputeBudget(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);
  }

  public ComputeBudget withMaxTokens(long value) {
    return new ComputeBudget(value, maxAttentionBytes, maxContextBytes);
  }

  public ComputeBudget withMaxAttentionBytes(long value) {
    return new ComputeBudget(maxTokens, value, maxContextBytes);
  }

  public ComputeBudget withMaxContextBytes(long value) {
    return new ComputeBudget(maxTokens, maxAttentionBytes, value);
  }

  /**
   * Tokens of one {@code height x width} image: {@code 1 + (height / patch) * (width / patch)}.
   * Saturates at {@link Long#MAX_VALUE} instead of overflowing.
   */
  public static long tokens(long height, long width, int patch) {
    return saturatingAdd(1, saturatingMultiply(height / patch, width / patch));
  }

  /** Bytes of one attention map of a batch: {@code n x heads x tokens x tokens x 4}, saturating. */
  public static long attentionBytes(long n, int heads, long tokens) {
    return saturatingMultiply(saturatingMultiply(n, heads), saturatingMultiply(saturatingMultiply(tokens, tokens), FLOAT_BYTES));
  }

  /**
   * Bytes of a video's propagation state: {@code (contextLength + 1) x gridHeight x gridWidth x
   * (dim + classes) x 4}, saturating.
   */
  public static long contextBytes(int contextLength, long gridHeight, long gridWidth, long dim, long classes) {
    long perFrame = saturatingMultiply(saturatingMultiply(gridHeight, gridWidth), saturatingMultiply(dim + classes, FLOAT_BYTES));
    return saturatingMultiply((long) contextLength + 1, perFrame);
  }

  /**
   * Checks one encoder call.
   *
   * @param what the input, as the message should name it (e.g. "frame 3" or "field size")
   * @param n images in the batch
   * @param height image height in pixels
   * @param width image width in pixels
   * @param patch the encoder's patch size in pixels
   * @param heads the encoder's attention heads
   * @throws BudgetExceededException naming {@code what}, the amount and the limit
   */
  public void checkEncode(String what, long n, long height, long width, int patch, int heads) {
    long tokens = tokens(height, width, patch);
    if (tokens > maxTokens) {
      throw new BudgetExceededException(what + ": a " + height + "x" + width + " input is " + tokens
          + " tokens at patch size " + patch + ", more than the limit of " + maxTokens
          + "; use a smaller input size (attention memory grows with the square of the token count)");
    }
    long bytes = attentionBytes(n, heads, tokens);
    if (bytes > maxAttentionBytes) {
      throw new BudgetExceededException(what + ": " + n + " image(s) of " + height + "x" + width + " need "
          + mib(bytes) + " of attention (" + heads + " heads x " + tokens + "^2 tokens), more than the limit of "
          + mib(maxAttentionBytes) + "; send fewer or smaller images");
    }
  }

  /**
   * Checks one video's propagation state.
   *
   * @param what the input, as the message should name it
   * @param contextLength previous frames attended to (the propagation's {@code contextLength})
   * @param gridHeight feature grid rows
   * @param gridWidth feature grid columns
   * @param dim feature channels
   * @param classes labels propagated
   * @throws BudgetExceededException naming {@code what}, the amount and the limit
   */
  public void checkPropagation(String what, int contextLength, long gridHeight, long gridWidth, long dim,
      long classes) {
    long bytes = contextBytes(contextLength, gridHeight, gridWidth, dim, classes);
    if (bytes > maxContextBytes) {
      throw new BudgetExceededException(what + ": context " + contextLength + " on a " + gridHeight + "x"
          + gridWidth + " feature grid with " + dim + " channels and " + classes + " labels needs " + mib(bytes)
          + " of propagation state, more than the limit of " + mib(maxContextBytes)
          + "; use a shorter context or a smaller input size");
    }
  }

  private static String mib(long bytes) {
    if (bytes == Long.MAX_VALUE) {
      return "more than 8 EiB";
    }
    return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  /** {@code a * b} for non-negative values, {@link Long#MAX_VALUE} where it would overflow. */
  private static long saturatingMultiply(long a, long b) {
    if (a == 0 || b == 0) {
      return 0;
    }
    return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
  }

  /** {@code a + b} for non-negative values, {@link Long#MAX_VALUE} where it would overflow. */
  private static long saturatingAdd(long a, long b) {
    return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
  }
}
