package org.cropmae.runtime.eval;

import java.util.Objects;

/**
 * A single-channel 8-bit label image: palette indices of an indexed PNG, or grey levels of a
 * greyscale PNG, which is what {@code np.array(PIL.Image.open(path))} gives the reference scripts.
 *
 * @param height rows
 * @param width columns
 * @param indices {@code [height * width]} row-major, each byte read unsigned (0..255); not copied
 */
public record IndexMask(int height, int width, byte[] indices) {
  public IndexMask {
    Objects.requireNonNull(indices, "indices");
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "mask size must be positive, got " + height + "x" + width + " (height x width)");
    }
    if ((long) height * width != indices.length) {
      throw new IllegalArgumentException(
          "indices holds " + indices.length + " values, expected " + height + "x" + width);
    }
  }

  /** The label at row {@code y}, column {@code x}, 0..255. */
  public int at(int y, int x) {
    return indices[y * width + x] & 0xFF;
  }

  /** The largest label in the mask, 0..255. */
  public int max() {
    int max = 0;
    for (byte b : indices) {
      max = Math.max(max, b & 0xFF);
    }
    return max;
  }
}
