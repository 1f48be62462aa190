package org.cropmae.trainer.data;

import java.util.random.RandomGenerator;

/**
 * The crop sampling of {@code torchvision.transforms.v2.RandomResizedCrop}, which is what the
 * reference's {@code RRC} runs: its {@code get_params} override (the BYOL-style single draw) is
 * never called by the v2 transform, whose {@code forward} samples with {@code _get_params}.
 *
 * <p>Up to 10 tries: target area {@code area * U(scaleMin, scaleMax)}, aspect ratio
 * {@code exp(U(log ratioMin, log ratioMax))}, {@code w = round(sqrt(area' * ratio))}, {@code h =
 * round(sqrt(area' / ratio))} (Python's {@code round}: half to even). The first try with {@code 0
 * < w <= width} and {@code 0 < h <= height} wins and its position is drawn uniformly:
 * {@code top ~ U{0..height-h}}, then {@code left ~ U{0..width-w}}. When all 10 tries fail, the
 * central crop of the largest size whose aspect ratio is clamped to {@code [ratioMin, ratioMax]}
 * is taken.
 *
 * <p>Randomness comes from the caller's generator, one {@code nextDouble()} per uniform and one
 * {@code nextInt(n)} per position, in the order above, so results are reproducible for a seeded
 * generator. The values differ from a PyTorch run with the same seed (different generator).
 *
 * @param scaleMin smallest crop area as a fraction of the image area
 * @param scaleMax largest crop area as a fraction of the image area
 * @param ratioMin smallest aspect ratio, width / height
 * @param ratioMax largest aspect ratio, width / height
 */
public record RandomResizedCrop(double scaleMin, double scaleMax, double ratioMin, double ratioMax) {
  /** Tries before the central-crop fallback, as in torchvision. */
  public static final int TRIES = 10;

  public RandomResizedCrop {
    if (!(scaleMin > 0) || !(scaleMin <= scaleMax) || !Double.isFinite(scaleMax)) {
      throw new IllegalArgumentException("scale: need 0 < min <= max, finite, got (" + scaleMin + ", " + scaleMax + ")");
    }
    if (!(ratioMin > 0) || !(ratioMin <= ratioMax) || !Double.isFinite(ratioMax)) {
      throw new IllegalArgumentException("ratio: need 0 < min <= max, finite, got (" + ratioMin + ", " + ratioMax + ")");
    }
  }

  /**
   * Draws a crop of a {@code width x height} image.
   *
   * @return a box inside the image
   */
  public CropBox sample(int width, int height, RandomGenerator rng) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
    }
    double area = (double) height * width;
    double logMin = Math.log(ratioMin);
    double logMax = Math.log(ratioMax);
    for (int t = 0; t < TRIES; t++) {
      double targetArea = area * uniform(rng, scaleMin, scaleMax);
      double aspect = Math.exp(uniform(rng, logMin, logMax));
      // Python's round() rounds half to even, as Math.rint does.
      double w = Math.rint(Math.sqrt(targetArea * aspect));
      double h = Math.rint(Math.sqrt(targetArea / aspect));
      if (0 < w && w <= width && 0 < h && h <= height) {
        int top = rng.nextInt(height - (int) h + 1);
        int left = rng.nextInt(width - (int) w + 1);
        return new CropBox(top, left, (int) h, (int) w);
      }
    }
    return fallback(width, height);
  }

  /** The central crop used when no try fits. */
  CropBox fallback(int width, int height) {
    double inRatio = (double) width / height;
    int w = width;
    int h = height;
    if (inRatio < ratioMin) {
      h = (int) Math.rint(w / ratioMin);
    } else if (inRatio > ratioMax) {
      w = (int) Math.rint(h * ratioMax);
    }
    // Only a ratio range far from 1 on a tiny image could round a side to 0; keep at least 1 pixel.
    w = Math.max(1, Math.min(w, width));
    h = Math.max(1, Math.min(h, height));
    return new CropBox((height - h) / 2, (width - w) / 2, h, w);
  }

  private static double uniform(RandomGenerator rng, double lo, double hi) {
    return lo + rng.nextDouble() * (hi - lo);
  }
}
