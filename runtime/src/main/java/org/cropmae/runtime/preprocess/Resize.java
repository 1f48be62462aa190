package org.cropmae.runtime.preprocess;

import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.tensor.FloatGrid;

/**
 * Image resizing with the exact semantics of OpenCV's {@code cv2.resize} on float32 maps, which is
 * what the official evaluation code uses for frames, one-hot labels and soft predictions.
 *
 * <p>{@link #bilinear} follows {@code INTER_LINEAR}: separable, half-pixel centres
 * ({@code src = (dst + 0.5) * scale - 0.5} with {@code scale = 1 / (out / in)} in double, then
 * rounded to float), no antialiasing when shrinking, weights and sums in float32 without fused
 * multiply-add. Out-of-range coordinates are handled as OpenCV does, which differs per axis: along
 * x the sample index is clamped and the weights become {@code (1, 0)}; along y the two row
 * indices are clamped but the weights {@code (1 - fy, fy)} are kept. When the output is exactly
 * half the input in both directions OpenCV switches to its fast 2x2 area average, and so do we.
 *
 * <p>{@link #nearest} follows {@code INTER_NEAREST}: {@code src = min(floor(dst * scale), size - 1)}.
 *
 * <p>As in {@code cv::resize}, a resize to the same size returns an exact copy.
 */
public final class Resize {
  /** OpenCV's 128-bit SIMD lane count for float32; decides which outputs of the 2x path are vectorised. */
  private static final int SIMD_LANES = 4;

  private Resize() {}

  /** Receives the rows of a streaming resize, top to bottom. */
  @FunctionalInterface
  public interface RowSink {
    /**
     * Row {@code y} of the output, {@code outWidth * channels} values in HWC order. The array is
     * reused for the next row: copy what must outlive the call.
     */
    void row(int y, float[] values);
  }

  /**
   * Bilinear resize ({@code cv2.resize(src, (outWidth, outHeight), interpolation=INTER_LINEAR)}).
   *
   * @param src map {@code [H, W, C]}, any number of channels
   * @return a new map {@code [outHeight, outWidth, C]}
   */
  public static FloatGrid bilinear(FloatGrid src, int outHeight, int outWidth) {
    checkArgs(src, outHeight, outWidth);
    int rowLen = outWidth * src.channels();
    float[] out = new float[Math.multiplyExact(outHeight, rowLen)];
    bilinearRows(src, outHeight, outWidth, (y, row) -> System.arraycopy(row, 0, out, y * rowLen, rowLen));
    return new FloatGrid(outHeight, outWidth, src.channels(), out);
  }

  /**
   * Bilinear resize that hands each output row to {@code sink} instead of storing the whole map,
   * for consumers that reduce rows at once (such as an argmax over channels).
   */
  public static void bilinearRows(FloatGrid src, int outHeight, int outWidth, RowSink sink) {
    checkArgs(src, outHeight, outWidth);
    int sh = src.height(), sw = src.width(), cn = src.channels();
    float[] s = src.values();
    int rowLen = Math.multiplyExact(outWidth, cn);
    float[] out = new float[rowLen];
    if (sh == outHeight && sw == outWidth) {
      for (int y = 0; y < sh; y++) {
        System.arraycopy(s, y * rowLen, out, 0, rowLen);
        sink.row(y, out);
      }
      return;
    }
    double scaleX = 1.0 / ((double) outWidth / sw);
    double scaleY = 1.0 / ((double) outHeight / sh);
    if (isExactly(scaleX, 2) && isExactly(scaleY, 2)) {
      halveByArea(s, sw, cn, outHeight, outWidth, out, sink);
      return;
    }

    // Horizontal taps per output column.
    int[] xofs = new int[outWidth];
    float[] ax0 = new float[outWidth];
    float[] ax1 = new float[outWidth];
    int xmax = outWidth; // columns from xmax on have no right neighbour and copy one sample
    for (int dx = 0; dx < outWidth; dx++) {
      float fx = (float) ((dx + 0.5) * scaleX - 0.5);
      int sx = (int) Math.floor(fx);
      fx -= sx;
      if (sx < 0) {
        fx = 0;
        sx = 0;
      }
      if (sx + 1 >= sw) {
        xmax = Math.min(xmax, dx);
        if (sx >= sw - 1) {
          fx = 0;
          sx = sw - 1;
        }
      }
      xofs[dx] = sx * cn;
      ax0[dx] = 1f - fx;
      ax1[dx] = fx;
    }

    float[] row0 = new float[rowLen];
    float[] row1 = new float[rowLen];
    int have0 = -1, have1 = -1;
    for (int dy = 0; dy < outHeight; dy++) {
      float fy = (float) ((dy + 0.5) * scaleY - 0.5);
      int sy = (int) Math.floor(fy);
      fy -= sy;
      float b0 = 1f - fy, b1 = fy;
      int r0 = clip(sy, sh), r1 = clip(sy + 1, sh);
      // Reuse horizontally resized rows between output rows, as OpenCV does (same values either way).
      if (have0 != r0) {
        if (have1 == r0) {
          float[] t = row0;
          row0 = row1;
          row1 = t;
          have1 = have0;
        } else {
          resizeRow(s, r0 * sw * cn, cn, xofs, ax0, ax1, xmax, row0);
        }
        have0 = r0;
      }
      if (have1 != r1) {
        if (have0 == r1) {
          System.arraycopy(row0, 0, row1, 0, rowLen);
        } else {
          resizeRow(s, r1 * sw * cn, cn, xofs, ax0, ax1, xmax, row1);
        }
        have1 = r1;
      }
      for (int i = 0; i < rowLen; i++) {
        out[i] = row0[i] * b0 + row1[i] * b1;
      }
      sink.row(dy, out);
    }
  }

  private static void resizeRow(float[] s, int base, int cn, int[] xofs, float[] a0, float[] a1, int xmax, float[] dst) {
    int outWidth = xofs.length;
    int d = 0;
    for (int dx = 0; dx < xmax; dx++) {
      int p = base + xofs[dx];
      float w0 = a0[dx], w1 = a1[dx];
      for (int k = 0; k < cn; k++, d++) {
        dst[d] = s[p + k] * w0 + s[p + cn + k] * w1;
      }
    }
    for (int dx = xmax; dx < outWidth; dx++) {
      int p = base + xofs[dx];
      for (int k = 0; k < cn; k++, d++) {
        dst[d] = s[p + k];
      }
    }
  }

  /**
   * OpenCV's {@code resizeAreaFast} for an exact 2x reduction: the mean of each 2x2 block. Its
   * SIMD kernel (1 or 4 channels) sums {@code (a + b) + (c + d)}, the scalar code
   * {@code ((a + b) + c) + d}; we follow both so the float rounding matches a 128-bit SIMD build.
   */
  private static void halveByArea(float[] s, int sw, int cn, int outHeight, int outWidth, float[] out, RowSink sink) {
    int srcRow = sw * cn;
    int width = outWidth * cn;
    int simdEnd = (cn == 1 || cn == 4) ? width - width % SIMD_LANES : 0;
    for (int dy = 0; dy < outHeight; dy++) {
      int top = 2 * dy * srcRow;
      for (int i = 0; i < width; i++) {
        int p = top + 2 * (i - i % cn) + i % cn;
        float a = s[p], b = s[p + cn], c = s[p + srcRow], d = s[p + srcRow + cn];
        float sum = i < simdEnd ? (a + b) + (c + d) : 0f + (a + b + c + d);
        out[i] = sum * 0.25f;
      }
      sink.row(dy, out);
    }
  }

  /**
   * Nearest-neighbour resize ({@code cv2.resize(..., interpolation=INTER_NEAREST)}).
   *
   * @param src map {@code [H, W, C]}
   * @return a new map {@code [outHeight, outWidth, C]}
   */
  public static FloatGrid nearest(FloatGrid src, int outHeight, int outWidth) {
    checkArgs(src, outHeight, outWidth);
    int cn = src.channels();
    int[] ys = nearestIndices(src.height(), outHeight);
    int[] xs = nearestIndices(src.width(), outWidth);
    float[] s = src.values();
    float[] out = new float[Math.multiplyExact(Math.multiplyExact(outHeight, outWidth), cn)];
    int d = 0;
    for (int y = 0; y < outHeight; y++) {
      int row = ys[y] * src.width();
      for (int x = 0; x < outWidth; x++, d += cn) {
        System.arraycopy(s, (row + xs[x]) * cn, out, d, cn);
      }
    }
    return new FloatGrid(outHeight, outWidth, cn, out);
  }

  /**
   * Nearest-neighbour resize of a label image ({@code INTER_NEAREST}, as the reference resizes
   * annotations); indices and palette are kept.
   */
  public static IndexMask nearest(IndexMask src, int outHeight, int outWidth) {
    checkSize(outHeight, outWidth);
    int[] ys = nearestIndices(src.height(), outHeight);
    int[] xs = nearestIndices(src.width(), outWidth);
    byte[] s = src.indices();
    byte[] out = new byte[Math.multiplyExact(outHeight, outWidth)];
    int d = 0;
    for (int y = 0; y < outHeight; y++) {
      int row = ys[y] * src.width();
      for (int x = 0; x < outWidth; x++) {
        out[d++] = s[row + xs[x]];
      }
    }
    return new IndexMask(outHeight, outWidth, out, src.palette());
  }

  /** Source index per output index along one axis, as OpenCV's {@code resizeNN} computes it. */
  private static int[] nearestIndices(int in, int out) {
    double scale = 1.0 / ((double) out / in);
    int[] idx = new int[out];
    for (int i = 0; i < out; i++) {
      idx[i] = Math.min((int) Math.floor(i * scale), in - 1);
    }
    return idx;
  }

  /** OpenCV's {@code clip(x, 0, size)}: clamps a row index into {@code [0, size - 1]}. */
  private static int clip(int x, int size) {
    return x >= 0 ? (x < size ? x : size - 1) : 0;
  }

  /** OpenCV's {@code is_area_fast} test for one axis: the scale is within DBL_EPSILON of {@code n}. */
  private static boolean isExactly(double scale, int n) {
    return Math.rint(scale) == n && Math.abs(scale - n) < Math.ulp(1.0);
  }

  private static void checkArgs(FloatGrid src, int outHeight, int outWidth) {
    if (src.height() == 0 || src.width() == 0 || src.channels() == 0) {
      throw new IllegalArgumentException("src: cannot resize an empty grid (" + src.height() + "x" + src.width() + "x"
          + src.channels() + ")");
    }
    checkSize(outHeight, outWidth);
  }

  private static void checkSize(int outHeight, int outWidth) {
    if (outHeight <= 0 || outWidth <= 0) {
      throw new IllegalArgumentException(
          "output size must be positive, got " + outHeight + "x" + outWidth + " (outHeight x outWidth)");
    }
  }
}
