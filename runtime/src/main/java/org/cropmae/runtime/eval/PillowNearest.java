package org.cropmae.runtime.eval;

/**
 * {@code PIL.Image.resize(size, Image.NEAREST)} of an 8-bit image: Pillow's affine scale path,
 * whose source coordinate is accumulated in double precision ({@code xo = scale / 2},
 * {@code xo += scale} per pixel) and truncated, pixels mapped outside the source set to 0.
 */
final class PillowNearest {
  private PillowNearest() {}

  static byte[] resize(byte[] src, int height, int width, int outHeight, int outWidth) {
    if (height == outHeight && width == outWidth) {
      return src.clone();
    }
    double sx = (double) width / outWidth;
    double sy = (double) height / outHeight;
    int[] xs = table(sx, outWidth, width);
    int[] ys = table(sy, outHeight, height);
    byte[] out = new byte[outHeight * outWidth];
    for (int y = 0; y < outHeight; y++) {
      if (ys[y] < 0) {
        continue;
      }
      int row = ys[y] * width;
      for (int x = 0; x < outWidth; x++) {
        if (xs[x] >= 0) {
          out[y * outWidth + x] = src[row + xs[x]];
        }
      }
    }
    return out;
  }

  /** Source index per output index, -1 where Pillow leaves the output pixel at 0. */
  private static int[] table(double scale, int outSize, int inSize) {
    int[] t = new int[outSize];
    double o = scale * 0.5;
    for (int i = 0; i < outSize; i++) {
      int in = o < 0.0 ? -1 : (int) o;
      t[i] = in < inSize ? in : -1;
      o += scale;
    }
    return t;
  }
}
