package org.cropmae.trainer.data;

import java.util.Locale;

/**
 * Resampling filters of the random resized crops, with Pillow's definitions (the reference crops
 * PIL images, so {@code torchvision} hands the resize to {@code PIL.Image.resize}). Only the
 * convolution filters whose weights are plain arithmetic are offered, so that results are
 * bit-identical to Pillow; the reference's {@code --interpolation_method} default is
 * {@code bilinear}.
 */
public enum Interpolation {
  /** Triangle filter, support 1 (scaled by the downscale factor: antialiased). */
  BILINEAR(1.0),
  /** Keys cubic with {@code a = -0.5} (Pillow's choice, not OpenCV's -0.75), support 2. */
  BICUBIC(2.0);

  private final double support;

  Interpolation(double support) {
    this.support = support;
  }

  /** Half-width of the filter at scale 1, in source pixels. */
  double support() {
    return support;
  }

  /** Filter weight at distance {@code x} (source pixels at scale 1), unnormalised. */
  double weight(double x) {
    if (x < 0.0) {
      x = -x;
    }
    if (this == BILINEAR) {
      return x < 1.0 ? 1.0 - x : 0.0;
    }
    final double a = -0.5;
    if (x < 1.0) {
      return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * a;
    }
    return 0.0;
  }

  /**
   * The filter for a reference {@code --interpolation_method} value ({@code "bilinear"},
   * {@code "bicubic"}; case-insensitive).
   *
   * @throws IllegalArgumentException for other names (nearest, lanczos, box and hamming are not
   *     implemented)
   */
  public static Interpolation fromReferenceName(String name) {
    if (name != null) {
      switch (name.toLowerCase(Locale.ROOT)) {
        case "bilinear":
          return BILINEAR;
        case "bicubic":
          return BICUBIC;
        default:
          break;
      }
    }
    throw new IllegalArgumentException("interpolation_method: '" + name + "' is not supported (bilinear or bicubic)");
  }
}
