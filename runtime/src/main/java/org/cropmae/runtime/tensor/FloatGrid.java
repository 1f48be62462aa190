package org.cropmae.runtime.tensor;

import java.util.Arrays;
import org.cropmae.runtime.io.NpyArray;

/**
 * A dense float32 map of shape {@code [height, width, channels]} in row-major (HWC) order: an
 * image, a feature map {@code [h, w, D]} or a soft label map {@code [h, w, C]}.
 *
 * <p>The value array is owned by the grid. {@link #values()} exposes it without copying because
 * the hot paths (resizing, propagation) read it in place; code that hands a grid to others must
 * not write to it afterwards.
 */
public record FloatGrid(int height, int width, int channels, float[] values) {

  public FloatGrid {
    if (height < 0 || width < 0 || channels < 0) {
      throw new IllegalArgumentException("negative grid size " + height + "x" + width + "x" + channels);
    }
    if ((long) height * width * channels != values.length) {
      throw new IllegalArgumentException(
          "grid " + height + "x" + width + "x" + channels + " needs " + (long) height * width * channels
              + " values, got " + values.length);
    }
  }

  /** A zero-filled grid. */
  public static FloatGrid zeros(int height, int width, int channels) {
    return new FloatGrid(height, width, channels, new float[Math.multiplyExact(Math.multiplyExact(height, width), channels)]);
  }

  /** Wraps a rank-3 array {@code [H, W, C]} (any dtype, converted to float32). */
  public static FloatGrid fromNpy(NpyArray array) {
    if (array.rank() != 3) {
      throw new IllegalArgumentException("expected a [H, W, C] array, got shape " + Arrays.toString(array.shape()));
    }
    return new FloatGrid(array.dim(0), array.dim(1), array.dim(2), array.toFloatArray());
  }

  /** Slice {@code t} of a rank-4 array {@code [T, H, W, C]} as a grid. */
  public static FloatGrid sliceOf(NpyArray array, int t) {
    if (array.rank() != 4) {
      throw new IllegalArgumentException("expected a [T, H, W, C] array, got shape " + Arrays.toString(array.shape()));
    }
    int h = array.dim(1), w = array.dim(2), c = array.dim(3);
    float[] all = array.toFloatArray();
    return new FloatGrid(h, w, c, Arrays.copyOfRange(all, t * h * w * c, (t + 1) * h * w * c));
  }

  /** Value at row {@code y}, column {@code x}, channel {@code c}. */
  public float get(int y, int x, int c) {
    return values[(y * width + x) * channels + c];
  }

  /** Number of spatial positions, {@code height * width}. */
  public int positions() {
    return height * width;
  }

  /** As a float32 {@code [H, W, C]} array. */
  public NpyArray toNpy() {
    return NpyArray.ofFloat32(new int[] {height, width, channels}, values);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatGrid g && g.height == height && g.width == width && g.channels == channels
        && Arrays.equals(g.values, values);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * height + width) + channels) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "FloatGrid[" + height + "x" + width + "x" + channels + "]";
  }
}
