package org.cropmae.runtime.mask;

import java.util.Arrays;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.io.NpyDType;

/**
 * An indexed label image: one palette index (0..255, stored as unsigned bytes) per pixel, row-major,
 * plus the palette that gives each index its colour. This is how DAVIS stores annotations and how
 * the evaluation expects predictions.
 *
 * <p>The index array is owned by the mask and returned without copying; code that hands a mask to
 * others must not write to it afterwards.
 *
 * @param height image height in pixels
 * @param width image width in pixels
 * @param indices {@code [height, width]} palette indices, read unsigned
 * @param palette colours of the indices; every index used must be below {@code palette.size()}
 */
public record IndexMask(int height, int width, byte[] indices, Palette palette) {

  public IndexMask {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("mask size must be positive, got " + height + "x" + width + " (height x width)");
    }
    if (indices == null || (long) height * width != indices.length) {
      throw new IllegalArgumentException("indices: a " + height + "x" + width + " mask needs " + (long) height * width
          + " values, got " + (indices == null ? "null" : indices.length));
    }
    if (palette == null) {
      throw new IllegalArgumentException("palette must not be null");
    }
    if (palette.size() < 256) {
      for (int i = 0; i < indices.length; i++) {
        if ((indices[i] & 0xFF) >= palette.size()) {
          throw new IllegalArgumentException("indices: index " + (indices[i] & 0xFF) + " at (y=" + i / width + ", x="
              + i % width + ") is outside the palette of " + palette.size() + " entries");
        }
      }
    }
  }

  /** The index at row {@code y}, column {@code x}, 0..255. */
  public int index(int y, int x) {
    return indices[y * width + x] & 0xFF;
  }

  /**
   * A mask from an integer array {@code [H, W]} (uint8, int32 or int64, values 0..255).
   *
   * @throws IllegalArgumentException for another shape or dtype, or a value outside 0..255
   */
  public static IndexMask fromNpy(NpyArray array, Palette palette) {
    if (array.rank() != 2) {
      throw new IllegalArgumentException("expected an [H, W] label array, got " + array);
    }
    return new IndexMask(array.dim(0), array.dim(1), toIndexBytes(array, 0, array.size()), palette);
  }

  /** Frame {@code t} of an integer label array {@code [T, H, W]} (values 0..255). */
  public static IndexMask frameOf(NpyArray array, int t, Palette palette) {
    if (array.rank() != 3) {
      throw new IllegalArgumentException("expected a [T, H, W] label array, got " + array);
    }
    if (t < 0 || t >= array.dim(0)) {
      throw new IndexOutOfBoundsException("frame " + t + " of a clip of " + array.dim(0) + " frames");
    }
    int n = array.dim(1) * array.dim(2);
    return new IndexMask(array.dim(1), array.dim(2), toIndexBytes(array, t * n, n), palette);
  }

  private static byte[] toIndexBytes(NpyArray array, int from, int count) {
    if (array.dtype() == NpyDType.UINT8) {
      return Arrays.copyOfRange(array.toByteArray(), from, from + count);
    }
    if (array.dtype() == NpyDType.FLOAT32 || array.dtype() == NpyDType.FLOAT64) {
      throw new IllegalArgumentException("expected an integer label array, got " + array);
    }
    long[] v = array.toLongArray();
    byte[] out = new byte[count];
    for (int i = 0; i < count; i++) {
      long x = v[from + i];
      if (x < 0 || x > 255) {
        throw new IllegalArgumentException("label value " + x + " at flat position " + (from + i) + " is outside 0..255");
      }
      out[i] = (byte) x;
    }
    return out;
  }

  /** The largest index in the mask, 0..255. */
  public int maxIndex() {
    int max = 0;
    for (byte b : indices) {
      max = Math.max(max, b & 0xFF);
    }
    return max;
  }

  /** As a uint8 {@code [H, W]} array. */
  public NpyArray toNpy() {
    return NpyArray.ofUint8(new int[] {height, width}, indices);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IndexMask m && m.height == height && m.width == width && Arrays.equals(m.indices, indices)
        && m.palette.equals(palette);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * height + width) + Arrays.hashCode(indices)) + palette.hashCode();
  }

  @Override
  public String toString() {
    return "IndexMask[" + height + "x" + width + ", " + palette + "]";
  }
}
