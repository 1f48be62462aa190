package org.cropmae.runtime.mask;

import org.cropmae.runtime.image.RgbImage;

/**
 * Draws a mask over its frame for people to look at: each object (index other than 0) is tinted
 * with its palette colour and outlined in that colour; the background is dimmed to
 * {@value #BACKGROUND_BRIGHTNESS} of its brightness so that the objects stand out on busy frames.
 * AWT-free, so Android uses the same code.
 */
public final class MaskOverlay {
  /** Factor applied to background (index 0) pixels. */
  public static final float BACKGROUND_BRIGHTNESS = 0.6f;

  private MaskOverlay() {}

  /**
   * The frame with the mask drawn over it.
   *
   * @param frame the image, {@code width x height}
   * @param mask the objects, the frame's size
   * @param alpha opacity of the tint inside objects, 0 (invisible) to 1 (solid)
   * @return a new image; the inputs are not modified
   * @throws IllegalArgumentException when sizes differ or {@code alpha} is outside [0, 1]
   */
  public static RgbImage draw(RgbImage frame, IndexMask mask, float alpha) {
    if (frame.width() != mask.width() || frame.height() != mask.height()) {
      throw new IllegalArgumentException("mask is " + mask.height() + "x" + mask.width() + " but the frame is "
          + frame.height() + "x" + frame.width() + " (height x width)");
    }
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
    }
    int w = frame.width(), h = frame.height();
    byte[] in = frame.rgb();
    byte[] out = in.clone();
    byte[] idx = mask.indices();
    Palette palette = mask.palette();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        int label = idx[i] & 0xFF;
        if (label == 0) {
          int o = i * 3;
          for (int c = 0; c < 3; c++) {
            out[o + c] = (byte) Math.round((in[o + c] & 0xFF) * BACKGROUND_BRIGHTNESS);
          }
          continue;
        }
        boolean edge = (x > 0 && idx[i - 1] != idx[i]) || (x < w - 1 && idx[i + 1] != idx[i])
            || (y > 0 && idx[i - w] != idx[i]) || (y < h - 1 && idx[i + w] != idx[i]);
        float a = edge ? 1f : alpha;
        int o = i * 3;
        out[o] = blend(in[o], palette.red(label), a);
        out[o + 1] = blend(in[o + 1], palette.green(label), a);
        out[o + 2] = blend(in[o + 2], palette.blue(label), a);
      }
    }
    return new RgbImage(w, h, out);
  }

  private static byte blend(byte base, int colour, float a) {
    return (byte) Math.round((base & 0xFF) * (1 - a) + colour * a);
  }
}
