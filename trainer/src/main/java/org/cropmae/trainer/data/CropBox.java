package org.cropmae.trainer.data;

/**
 * A crop rectangle in pixels, in the order of {@code torchvision}'s {@code (i, j, h, w)}: the
 * crop covers rows {@code top .. top + height - 1} and columns {@code left .. left + width - 1}.
 *
 * @param top first row (i)
 * @param left first column (j)
 * @param height rows (h), at least 1
 * @param width columns (w), at least 1
 */
public record CropBox(int top, int left, int height, int width) {
  public CropBox {
    if (top < 0 || left < 0 || height < 1 || width < 1) {
      throw new IllegalArgumentException("crop box: top/left must be >= 0 and height/width >= 1, got top=" + top
          + " left=" + left + " height=" + height + " width=" + width);
    }
  }

  /** Whether the box lies inside a {@code width x height} image. */
  public boolean fitsIn(int imageWidth, int imageHeight) {
    return (long) left + width <= imageWidth && (long) top + height <= imageHeight;
  }
}
