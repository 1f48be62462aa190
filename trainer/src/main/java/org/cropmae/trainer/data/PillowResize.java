package org.cropmae.trainer.data;

import java.util.Arrays;
import org.cropmae.runtime.image.RgbImage;

/**
 * Crop-then-resize of 8-bit RGB images, bit-identical to Pillow's {@code Image.crop(box).resize(size,
 * resample)} for the {@link Interpolation} filters: what {@code torchvision}'s
 * {@code F.resized_crop} runs on the reference's PIL images.
 *
 * <p>This is not PyTorch's tensor resize ({@code _upsample_bilinear2d_aa}): the reference never
 * feeds tensors to its crops. Pillow's algorithm, reproduced here in full:
 *
 * <ul>
 *   <li>separable, horizontal pass first, then vertical; a pass is skipped when its size does not
 *       change;
 *   <li>per output pixel {@code o}, the filter is centred at {@code (o + 0.5) * scale} with
 *       {@code scale = in / out}; when downscaling, the support and the argument are both
 *       stretched by {@code scale} (antialiasing); taps are {@code [(int)(c - s + 0.5), (int)(c + s
 *       + 0.5))} clamped to the image, weights normalised to sum 1;
 *   <li>weights become fixed-point integers with 22 fractional bits (rounded half away from
 *       zero); sums start at half an LSB and are clamped to 0..255, so the horizontal pass's
 *       intermediate image is rounded to 8 bits before the vertical pass.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class PillowResize {
  private static final int PRECISION_BITS = 32 - 8 - 2;
  private static final int HALF = 1 << (PRECISION_BITS - 1);

  private PillowResize() {}

  /**
   * Resizes the whole image.
   *
   * @return a new {@code outWidth x outHeight} image
   */
  public static RgbImage resize(RgbImage src, int outWidth, int outHeight, Interpolation filter) {
    return resizedCrop(src, new CropBox(0, 0, src.height(), src.width()), outWidth, outHeight, filter);
  }

  /**
   * Crops {@code box} out of {@code src} and resizes the crop to {@code outWidth x outHeight}.
   *
   * @throws IllegalArgumentException when the box does not fit in the image or a size is not
   *     positive
   */
  public static RgbImage resizedCrop(RgbImage src, CropBox box, int outWidth, int outHeight, Interpolation filter) {
    if (!box.fitsIn(src.width(), src.height())) {
      throw new IllegalArgumentException("box: " + box + " does not fit in a " + src.width() + "x" + src.height() + " image");
    }
    if (outWidth < 1 || outHeight < 1) {
      throw new IllegalArgumentException("output size must be positive, got " + outWidth + "x" + outHeight);
    }
    byte[] in = src.rgb();
    int stride = src.width() * 3;
    int base = box.top() * stride + box.left() * 3;
    byte[] out = new byte[outWidth * outHeight * 3];
    boolean horizontal = outWidth != box.width();
    boolean vertical = outHeight != box.height();
    if (!horizontal && !vertical) {
      // Pillow returns a copy when the size is unchanged.
      for (int y = 0; y < outHeight; y++) {
        System.arraycopy(in, base + y * stride, out, y * outWidth * 3, outWidth * 3);
      }
      return new RgbImage(outWidth, outHeight, out);
    }
    Coefficients vk = vertical ? Coefficients.of(box.height(), outHeight, filter) : null;
    if (horizontal) {
      Coefficients hk = Coefficients.of(box.width(), outWidth, filter);
      // Only the source rows the vertical pass reads are resampled horizontally.
      int first = vertical ? vk.bounds[0] : 0;
      int last = vertical ? vk.bounds[2 * outHeight - 2] + vk.bounds[2 * outHeight - 1] : outHeight;
      byte[] tmp = vertical ? new byte[outWidth * (last - first) * 3] : out;
      horizontalPass(in, base + first * stride, stride, last - first, hk, outWidth, tmp);
      if (vertical) {
        verticalPass(tmp, outWidth * 3, -first, vk, outWidth, outHeight, out);
      }
    } else {
      verticalPass(in, stride, 0, vk, outWidth, outHeight, out, base);
    }
    return new RgbImage(outWidth, outHeight, out);
  }

  private static void horizontalPass(byte[] in, int start, int stride, int rows, Coefficients c, int outWidth, byte[] out) {
    int ksize = c.ksize;
    int[] bounds = c.bounds;
    int[] kk = c.weights;
    int o = 0;
    for (int y = 0; y < rows; y++) {
      int row = start + y * stride;
      for (int xx = 0; xx < outWidth; xx++) {
        int xmin = bounds[2 * xx];
        int n = bounds[2 * xx + 1];
        int k = xx * ksize;
        int p = row + xmin * 3;
        int s0 = HALF, s1 = HALF, s2 = HALF;
        for (int x = 0; x < n; x++, p += 3) {
          int w = kk[k + x];
          s0 += (in[p] & 0xFF) * w;
          s1 += (in[p + 1] & 0xFF) * w;
          s2 += (in[p + 2] & 0xFF) * w;
        }
        out[o++] = clip8(s0);
        out[o++] = clip8(s1);
        out[o++] = clip8(s2);
      }
    }
  }

  private static void verticalPass(byte[] in, int stride, int rowShift, Coefficients c, int outWidth, int outHeight, byte[] out) {
    verticalPass(in, stride, rowShift, c, outWidth, outHeight, out, 0);
  }

  /** Row {@code r} of the source image starts at {@code base + (r + rowShift) * stride}. */
  private static void verticalPass(
      byte[] in, int stride, int rowShift, Coefficients c, int outWidth, int outHeight, byte[] out, int base) {
    int ksize = c.ksize;
    int[] bounds = c.bounds;
    int[] kk = c.weights;
    int rowBytes = outWidth * 3;
    // Whole rows are accumulated tap by tap: sequential reads the JIT can vectorise, the same sums.
    int[] acc = new int[rowBytes];
    for (int yy = 0; yy < outHeight; yy++) {
      int ymin = bounds[2 * yy];
      int n = bounds[2 * yy + 1];
      int k = yy * ksize;
      Arrays.fill(acc, HALF);
      for (int y = 0; y < n; y++) {
        int w = kk[k + y];
        int p = base + (ymin + y + rowShift) * stride;
        for (int i = 0; i < rowBytes; i++) {
          acc[i] += (in[p + i] & 0xFF) * w;
        }
      }
      int o = yy * rowBytes;
      for (int i = 0; i < rowBytes; i++) {
        out[o + i] = clip8(acc[i]);
      }
    }
  }

  /** Pillow's {@code clip8}: the integer part of a fixed-point sum, clamped to 0..255. */
  private static byte clip8(int v) {
    // Equivalent to Pillow's tests (v >= 2^30 -> 255, v <= 0 -> 0, else v >> 22), without branches.
    return (byte) Math.min(255, Math.max(0, v >> PRECISION_BITS));
  }

  /**
   * Per output pixel: the first source tap and the tap count ({@code bounds[2o], bounds[2o+1]}),
   * and {@code ksize} fixed-point weights starting at {@code o * ksize}.
   */
  static final class Coefficients {
    final int ksize;
    final int[] bounds;
    final int[] weights;

    private Coefficients(int ksize, int[] bounds, int[] weights) {
      this.ksize = ksize;
      this.bounds = bounds;
      this.weights = weights;
    }

    static Coefficients of(int inSize, int outSize, Interpolation filter) {
      double scale = (double) inSize / outSize;
      double filterScale = Math.max(scale, 1.0);
      double support = filter.support() * filterScale;
      int ksize = (int) Math.ceil(support) * 2 + 1;
      int[] bounds = new int[2 * outSize];
      int[] weights = new int[outSize * ksize];
      double[] k = new double[ksize];
      double inverse = 1.0 / filterScale;
      for (int xx = 0; xx < outSize; xx++) {
        double center = (xx + 0.5) * scale;
        // Casts truncate toward zero like C's; the "+ 0.5" rounds as Pillow does.
        int xmin = Math.max((int) (center - support + 0.5), 0);
        int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
        double sum = 0.0;
        for (int x = 0; x < xmax; x++) {
          double w = filter.weight((x + xmin - center + 0.5) * inverse);
          k[x] = w;
          sum += w;
        }
        for (int x = 0; x < xmax; x++) {
          double w = sum != 0.0 ? k[x] / sum : k[x];
          weights[xx * ksize + x] = (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS) : 0.5 + w * (1 << PRECISION_BITS));
        }
        bounds[2 * xx] = xmin;
        bounds[2 * xx + 1] = xmax;
      }
      return new Coefficients(ksize, bounds, weights);
    }
  }
}
