package org.cropmae.runtime.propagation;

/**
 * How the evaluation protocol resizes video frames before the encoder sees them: either a fixed
 * {@code height x width} in pixels, or a target for the longer side with the shorter side scaled
 * proportionally and rounded down to a multiple of 64 pixels (the official VOS/VIP loader's rule).
 *
 * <p>Exactly one form is set: {@code height > 0 && width > 0 && longerSide == 0} for a fixed size,
 * {@code longerSide > 0 && height == 0 && width == 0} otherwise.
 *
 * @param height fixed frame height in pixels, or 0
 * @param width fixed frame width in pixels, or 0
 * @param longerSide target length of the longer side in pixels, or 0
 */
public record InputSize(int height, int width, int longerSide) {

  /** The resolved frame size in pixels. */
  public record Dimensions(int height, int width) {}

  public InputSize {
    boolean fixed = height > 0 && width > 0 && longerSide == 0;
    boolean scaled = longerSide > 0 && height == 0 && width == 0;
    if (!fixed && !scaled) {
      throw new IllegalArgumentException("input size must be a fixed height x width or a longer side, got height="
          + height + ", width=" + width + ", longerSide=" + longerSide);
    }
  }

  /** A fixed size of {@code height x width} pixels. */
  public static InputSize fixed(int height, int width) {
    return new InputSize(height, width, 0);
  }

  /** Longer side scaled to {@code pixels}, shorter side proportional and floored to a multiple of 64. */
  public static InputSize longerSide(int pixels) {
    return new InputSize(0, 0, pixels);
  }

  /** Whether this is a fixed size (rather than a longer-side target). */
  public boolean isFixed() {
    return longerSide == 0;
  }

  /**
   * The size a frame of {@code originalHeight x originalWidth} pixels is resized to. For a
   * longer-side target the rule matches the official loader: when the width is strictly larger the
   * width becomes {@code longerSide} and the height {@code floor(floor(h * longerSide / w) / 64) * 64};
   * otherwise the roles swap (so a square frame keeps its height at {@code longerSide}).
   */
  public Dimensions resolve(int originalHeight, int originalWidth) {
    if (originalHeight <= 0 || originalWidth <= 0) {
      throw new IllegalArgumentException(
          "original frame size must be positive, got " + originalHeight + "x" + originalWidth);
    }
    if (isFixed()) {
      return new Dimensions(height, width);
    }
    if (originalWidth > originalHeight) {
      int h = (int) ((double) originalHeight * longerSide / originalWidth);
      return new Dimensions(h / 64 * 64, longerSide);
    }
    int w = (int) ((double) originalWidth * longerSide / originalHeight);
    return new Dimensions(longerSide, w / 64 * 64);
  }
}
