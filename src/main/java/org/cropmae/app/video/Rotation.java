package org.cropmae.app.video;

import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.mask.IndexMask;

/** Clockwise rotations by multiples of 90 degrees of frames and masks (exact pixel moves). */
public final class Rotation {
  private Rotation() {}

  /** {@code degrees} normalised to 0, 90, 180 or 270 (the nearest multiple of 90, clockwise). */
  public static int normalize(double degrees) {
    long q = Math.round(degrees / 90.0);
    return (int) (((q % 4) + 4) % 4) * 90;
  }

  /** {@code image} turned clockwise by {@code degrees} (0, 90, 180 or 270); 90 and 270 swap width and height. */
  public static RgbImage rotate(RgbImage image, int degrees) {
    if (degrees == 0) {
      return image;
    }
    int w = image.width();
    int h = image.height();
    byte[] src = image.rgb();
    boolean swap = degrees == 90 || degrees == 270;
    int ow = swap ? h : w;
    int oh = swap ? w : h;
    byte[] dst = new byte[src.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int o = target(x, y, w, h, degrees);
        int s = (y * w + x) * 3;
        int d = o * 3;
        dst[d] = src[s];
        dst[d + 1] = src[s + 1];
        dst[d + 2] = src[s + 2];
      }
    }
    return new RgbImage(ow, oh, dst);
  }

  /** {@code mask} turned clockwise by {@code degrees}, as {@link #rotate(RgbImage, int)}. */
  public static IndexMask rotate(IndexMask mask, int degrees) {
    if (degrees == 0) {
      return mask;
    }
    int w = mask.width();
    int h = mask.height();
    byte[] src = mask.indices();
    byte[] dst = new byte[src.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        dst[target(x, y, w, h, degrees)] = src[y * w + x];
      }
    }
    boolean swap = degrees == 90 || degrees == 270;
    return new IndexMask(swap ? w : h, swap ? h : w, dst, mask.palette());
  }

  /** Row-major index in the rotated image of source pixel (x, y). */
  private static int target(int x, int y, int w, int h, int degrees) {
    return switch (degrees) {
      case 90 -> x * h + (h - 1 - y);            // out (h wide): row x, column h-1-y
      case 180 -> (h - 1 - y) * w + (w - 1 - x);
      case 270 -> (w - 1 - x) * h + y;           // out (h wide): row w-1-x, column y
      default -> throw new IllegalArgumentException("rotation must be 0, 90, 180 or 270 degrees, got " + degrees);
    };
  }
}
