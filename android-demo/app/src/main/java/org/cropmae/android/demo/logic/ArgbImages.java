package org.cropmae.android.demo.logic;

import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.MaskOverlay;
import org.cropmae.runtime.mask.Palette;

/**
 * Conversions between the runtime's images and the packed {@code int} pixels Android's
 * {@code Bitmap.getPixels}/{@code setPixels} use ({@code 0xAARRGGBB}, row-major, non-premultiplied),
 * without touching {@code Bitmap} so that they run and are tested on the JVM.
 */
public final class ArgbImages {
  private ArgbImages() {}

  /**
   * An RGB image from ARGB pixels; alpha is dropped (video frames are opaque).
   *
   * @param argb {@code width * height} pixels, row-major
   * @throws IllegalArgumentException when the array length is not {@code width * height}
   */
  public static RgbImage toRgb(int[] argb, int width, int height) {
    checkLength(argb, width, height, "argb");
    byte[] rgb = new byte[argb.length * 3];
    for (int i = 0, o = 0; i < argb.length; i++, o += 3) {
      int p = argb[i];
      rgb[o] = (byte) (p >>> 16);
      rgb[o + 1] = (byte) (p >>> 8);
      rgb[o + 2] = (byte) p;
    }
    return new RgbImage(width, height, rgb);
  }

  /** Opaque ARGB pixels of an RGB image, {@code width * height} of them, row-major. */
  public static int[] toArgb(RgbImage image) {
    byte[] rgb = image.rgb();
    int[] out = new int[image.width() * image.height()];
    for (int i = 0, o = 0; i < out.length; i++, o += 3) {
      out[i] = 0xFF000000 | (rgb[o] & 0xFF) << 16 | (rgb[o + 1] & 0xFF) << 8 | (rgb[o + 2] & 0xFF);
    }
    return out;
  }

  /**
   * The frame with its mask drawn over it as {@link MaskOverlay#draw} draws it, as opaque ARGB:
   * what the player shows and the GIF holds.
   */
  public static int[] overlay(RgbImage frame, IndexMask mask, float alpha) {
    return toArgb(MaskOverlay.draw(frame, mask, alpha));
  }

  /**
   * A mask as a translucent layer to draw over its frame while the user paints: background (label 0)
   * fully transparent, label {@code k} the palette colour of {@code k} with opacity {@code alpha}.
   *
   * @param alpha opacity of object pixels, 0..255
   */
  public static int[] maskLayer(IndexMask mask, int alpha) {
    int[] out = new int[mask.width() * mask.height()];
    paintLayer(mask.indices(), mask.width(), mask.height(), mask.palette(), alpha, out,
        PixelRect.all(mask.width(), mask.height()));
    return out;
  }

  /**
   * Updates {@code region} of a layer made by {@link #maskLayer} from live labels (such as
   * {@link MaskSketch#labels()}), so that a view redraws only what a stroke touched.
   *
   * @param labels {@code [height, width]} label indices, read unsigned
   * @param palette colours of the labels
   * @param alpha opacity of object pixels, 0..255
   * @param layer {@code width * height} ARGB pixels, written inside {@code region} only
   * @throws IllegalArgumentException when the arrays do not fit the size, the region leaves the
   *     image, {@code alpha} is outside 0..255 or a label is outside the palette
   */
  public static void paintLayer(byte[] labels, int width, int height, Palette palette, int alpha, int[] layer,
      PixelRect region) {
    if (alpha < 0 || alpha > 255) {
      throw new IllegalArgumentException("alpha must be 0..255, got " + alpha);
    }
    if (labels == null || (long) width * height != labels.length) {
      throw new IllegalArgumentException("labels: a " + width + "x" + height + " image needs " + (long) width * height
          + " labels, got " + (labels == null ? "null" : labels.length));
    }
    checkLength(layer, width, height, "layer");
    if (region.right() > width || region.bottom() > height) {
      throw new IllegalArgumentException("region " + region + " leaves the " + width + "x" + height + " image");
    }
    int a = alpha << 24;
    int[] colours = new int[palette.size()];
    for (int k = 1; k < colours.length; k++) {
      colours[k] = a | palette.rgb(k);
    }
    for (int y = region.top(); y < region.bottom(); y++) {
      for (int i = y * width + region.left(), end = y * width + region.right(); i < end; i++) {
        int k = labels[i] & 0xFF;
        if (k >= colours.length) {
          throw new IllegalArgumentException("label " + k + " at (x=" + i % width + ", y=" + y + ") is outside the palette of "
              + colours.length + " entries");
        }
        layer[i] = k == 0 ? 0 : colours[k];
      }
    }
  }

  private static void checkLength(int[] argb, int width, int height, String name) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height + " (width x height)");
    }
    if (argb == null || (long) width * height != argb.length) {
      throw new IllegalArgumentException(name + ": a " + width + "x" + height + " image needs " + (long) width * height
          + " pixels, got " + (argb == null ? "null" : argb.length));
    }
  }
}
