package org.cropmae.runtime.image;

import java.util.Arrays;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.io.NpyDType;
import org.cropmae.runtime.tensor.FloatGrid;

/**
 * An 8-bit RGB image, pixels row-major with the three channels interleaved ({@code R, G, B} per
 * pixel, {@code width * height * 3} bytes, each read unsigned). Platform-neutral: desktop code
 * decodes files into it with {@code org.cropmae.runtime.io.desktop.ImageFiles}, Android code
 * fills it from a {@code Bitmap}.
 *
 * <p>The byte array is owned by the image and returned without copying (frames are large and read
 * once); code that hands an image to others must not write to it afterwards.
 *
 * @param width image width in pixels
 * @param height image height in pixels
 * @param rgb interleaved RGB bytes, {@code [height, width, 3]} in C order
 */
public record RgbImage(int width, int height, byte[] rgb) {

  public RgbImage {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height + " (width x height)");
    }
    if (rgb == null || (long) width * height * 3 != rgb.length) {
      throw new IllegalArgumentException("rgb: a " + width + "x" + height + " image needs " + (long) width * height * 3
          + " bytes, got " + (rgb == null ? "null" : rgb.length));
    }
  }

  /** Wraps a uint8 array of shape {@code [H, W, 3]} (the bytes are copied). */
  public static RgbImage fromNpy(NpyArray array) {
    int[] s = array.shape();
    if (array.dtype() != NpyDType.UINT8 || s.length != 3 || s[2] != 3) {
      throw new IllegalArgumentException("expected a uint8 [H, W, 3] array, got " + array);
    }
    return new RgbImage(s[1], s[0], array.toByteArray());
  }

  /** Frame {@code t} of a uint8 array of shape {@code [T, H, W, 3]}, such as a video clip. */
  public static RgbImage frameOf(NpyArray array, int t) {
    int[] s = array.shape();
    if (array.dtype() != NpyDType.UINT8 || s.length != 4 || s[3] != 3) {
      throw new IllegalArgumentException("expected a uint8 [T, H, W, 3] array, got " + array);
    }
    if (t < 0 || t >= s[0]) {
      throw new IndexOutOfBoundsException("frame " + t + " of a clip of " + s[0] + " frames");
    }
    int n = s[1] * s[2] * 3;
    return new RgbImage(s[2], s[1], Arrays.copyOfRange(array.toByteArray(), t * n, (t + 1) * n));
  }

  /**
   * The image as float32 {@code [H, W, 3]} in {@code [0, 1]}: each byte divided by 255 in float32,
   * as {@code img.astype(np.float32) / 255.0} computes it.
   */
  public FloatGrid toFloatGrid() {
    float[] out = new float[rgb.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (rgb[i] & 0xFF) / 255f;
    }
    return new FloatGrid(height, width, 3, out);
  }

  /** Channel {@code c} (0 = R, 1 = G, 2 = B) of pixel ({@code x}, {@code y}), 0..255. */
  public int sample(int x, int y, int c) {
    return rgb[(y * width + x) * 3 + c] & 0xFF;
  }

  /** As a uint8 {@code [H, W, 3]} array. */
  public NpyArray toNpy() {
    return NpyArray.ofUint8(new int[] {height, width, 3}, rgb);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RgbImage i && i.width == width && i.height == height && Arrays.equals(i.rgb, rgb);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(rgb);
  }

  @Override
  public String toString() {
    return "RgbImage[" + width + "x" + height + "]";
  }
}
