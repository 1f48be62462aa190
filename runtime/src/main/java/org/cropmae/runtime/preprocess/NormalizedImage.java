package org.cropmae.runtime.preprocess;

import java.util.Arrays;
import org.cropmae.runtime.io.NpyArray;

/**
 * An encoder input: a normalised RGB image in planar (CHW) float32 layout, {@code [3, H, W]}, the
 * layout of one sample of the encoder's {@code [N, 3, H, W]} input.
 *
 * <p>The array is owned by the image and returned without copying.
 *
 * @param height rows
 * @param width columns
 * @param chw {@code 3 * height * width} values: the R plane, then G, then B
 */
public record NormalizedImage(int height, int width, float[] chw) {

  public NormalizedImage {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("size must be positive, got " + height + "x" + width);
    }
    if (chw == null || 3L * height * width != chw.length) {
      throw new IllegalArgumentException("chw: a 3x" + height + "x" + width + " image needs " + 3L * height * width
          + " values, got " + (chw == null ? "null" : chw.length));
    }
  }

  /** Value of channel {@code c} at row {@code y}, column {@code x}. */
  public float get(int c, int y, int x) {
    return chw[(c * height + y) * width + x];
  }

  /** As a float32 {@code [3, H, W]} array. */
  public NpyArray toNpy() {
    return NpyArray.ofFloat32(new int[] {3, height, width}, chw);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NormalizedImage n && n.height == height && n.width == width && Arrays.equals(n.chw, chw);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * height + width) + Arrays.hashCode(chw);
  }

  @Override
  public String toString() {
    return "NormalizedImage[3x" + height + "x" + width + "]";
  }
}
