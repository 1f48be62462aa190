package org.cropmae.android.demo.logic;

/**
 * A rectangle of pixels, {@code left <= x < right}, {@code top <= y < bottom}: the part of an image
 * an edit changed, so that only it is redrawn.
 *
 * @param left first column
 * @param top first row
 * @param right one past the last column
 * @param bottom one past the last row
 */
public record PixelRect(int left, int top, int right, int bottom) {

  public PixelRect {
    if (left < 0 || top < 0 || right <= left || bottom <= top) {
      throw new IllegalArgumentException("not a non-empty pixel rectangle: left=" + left + ", top=" + top
          + ", right=" + right + ", bottom=" + bottom);
    }
  }

  /** The whole of a {@code width x height} image. */
  public static PixelRect all(int width, int height) {
    return new PixelRect(0, 0, width, height);
  }

  public int width() {
    return right - left;
  }

  public int height() {
    return bottom - top;
  }

  /** The smallest rectangle holding both; {@code other} may be {@code null} (then this). */
  public PixelRect union(PixelRect other) {
    if (other == null) {
      return this;
    }
    return new PixelRect(Math.min(left, other.left), Math.min(top, other.top), Math.max(right, other.right),
        Math.max(bottom, other.bottom));
  }
}
