package org.cropmae.android.demo.logic;

/**
 * Where an image appears in a view that shows it whole and centred, scaled by the same factor on
 * both axes ({@code ImageView.ScaleType.FIT_CENTER}), and the mapping between touch (view) and
 * image pixel coordinates. The drawing view draws through {@link #scale()}, {@link #offsetX()} and
 * {@link #offsetY()} and maps touches back with {@link #toImageX}/{@link #toImageY}, so that a
 * stroke lands under the finger.
 *
 * @param imageWidth image width in pixels, positive
 * @param imageHeight image height in pixels, positive
 * @param viewWidth view width in pixels, positive
 * @param viewHeight view height in pixels, positive
 */
public record FitCenter(int imageWidth, int imageHeight, int viewWidth, int viewHeight) {

  public FitCenter {
    if (imageWidth <= 0 || imageHeight <= 0) {
      throw new IllegalArgumentException("image size must be positive, got " + imageWidth + "x" + imageHeight);
    }
    if (viewWidth <= 0 || viewHeight <= 0) {
      throw new IllegalArgumentException("view size must be positive, got " + viewWidth + "x" + viewHeight);
    }
  }

  /** View pixels per image pixel. */
  public float scale() {
    return Math.min((float) viewWidth / imageWidth, (float) viewHeight / imageHeight);
  }

  /** Left edge of the image in the view, in view pixels. */
  public float offsetX() {
    return (viewWidth - imageWidth * scale()) / 2f;
  }

  /** Top edge of the image in the view, in view pixels. */
  public float offsetY() {
    return (viewHeight - imageHeight * scale()) / 2f;
  }

  /** Image x (pixels, may be outside {@code [0, imageWidth)}) under view x {@code vx}. */
  public float toImageX(float vx) {
    return (vx - offsetX()) / scale();
  }

  /** Image y (pixels, may be outside {@code [0, imageHeight)}) under view y {@code vy}. */
  public float toImageY(float vy) {
    return (vy - offsetY()) / scale();
  }

  /** View x of image x {@code ix}. */
  public float toViewX(float ix) {
    return offsetX() + ix * scale();
  }

  /** View y of image y {@code iy}. */
  public float toViewY(float iy) {
    return offsetY() + iy * scale();
  }

  /** A length of {@code viewPixels} on screen in image pixels (brush sizes are chosen on screen). */
  public float toImageLength(float viewPixels) {
    return viewPixels / scale();
  }

  /**
   * The size {@code width x height} scaled down, aspect kept, so that its longer side is at most
   * {@code maxSide} (sides rounded to the nearest pixel, at least 1); unchanged when already small enough.
   *
   * @return {@code {width, height}}
   * @throws IllegalArgumentException when a size is not positive
   */
  public static int[] shrinkToFit(int width, int height, int maxSide) {
    if (width <= 0 || height <= 0 || maxSide <= 0) {
      throw new IllegalArgumentException("sizes must be positive, got " + width + "x" + height + " and maxSide " + maxSide);
    }
    int longer = Math.max(width, height);
    if (longer <= maxSide) {
      return new int[] {width, height};
    }
    double s = (double) maxSide / longer;
    return new int[] {Math.max(1, (int) Math.round(width * s)), Math.max(1, (int) Math.round(height * s))};
  }
}
