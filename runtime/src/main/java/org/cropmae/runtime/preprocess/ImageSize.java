package org.cropmae.runtime.preprocess;

/**
 * A size in pixels, height first like the arrays ({@code [H, W]}).
 *
 * @param height rows, positive
 * @param width columns, positive
 */
public record ImageSize(int height, int width) {

  public ImageSize {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("size must be positive, got " + height + "x" + width + " (height x width)");
    }
  }

  /**
   * The feature/label grid for an encoder of patch (stride) {@code stride}: {@code ceil(H / stride)
   * x ceil(W / stride)}, as {@code vos.py} sizes the resized labels ({@code math.ceil(H / 16)}).
   */
  public ImageSize featureGrid(int stride) {
    if (stride <= 0) {
      throw new IllegalArgumentException("stride must be positive, got " + stride);
    }
    return new ImageSize((height + stride - 1) / stride, (width + stride - 1) / stride);
  }

  @Override
  public String toString() {
    return height + "x" + width;
  }
}
