package org.cropmae.runtime.preprocess;

import java.util.Arrays;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.tensor.FloatGrid;

/**
 * Turns frames into encoder inputs exactly as the official {@code vos.py} does, in its order:
 * bytes divided by 255 in float32, bilinear resize of that float image (OpenCV
 * {@code INTER_LINEAR}, skipped when the size already matches), then per channel
 * {@code (x - mean) / std} in float32 (subtraction, then true division, like {@code t.sub_(m);
 * t.div_(s)}), laid out as CHW. Immutable.
 */
public final class ImageNormalization {
  /** ImageNet statistics, mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225), RGB order. */
  public static final ImageNormalization IMAGENET =
      new ImageNormalization(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

  private final float[] mean;
  private final float[] std;

  private ImageNormalization(float[] mean, float[] std) {
    this.mean = mean;
    this.std = std;
  }

  /**
   * Normalisation with the given per-channel statistics (R, G, B; values on the {@code [0, 1]}
   * scale).
   *
   * @throws IllegalArgumentException unless both have 3 finite values and every std is positive
   */
  public static ImageNormalization of(float[] mean, float[] std) {
    if (mean == null || std == null || mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException("mean and std need 3 values each (R, G, B), got " + Arrays.toString(mean) + " and "
          + Arrays.toString(std));
    }
    for (int c = 0; c < 3; c++) {
      if (!Float.isFinite(mean[c]) || !(std[c] > 0) || !Float.isFinite(std[c])) {
        throw new IllegalArgumentException("mean must be finite and std finite and positive, got mean " + Arrays.toString(mean)
            + ", std " + Arrays.toString(std));
      }
    }
    return new ImageNormalization(mean.clone(), std.clone());
  }

  /** The per-channel means (a copy). */
  public float[] mean() {
    return mean.clone();
  }

  /** The per-channel standard deviations (a copy). */
  public float[] std() {
    return std.clone();
  }

  /** {@link #apply(RgbImage, ImageSize)} at the size {@code protocol} gives this frame. */
  public NormalizedImage apply(RgbImage image, ProtocolSize protocol) {
    return apply(image, protocol.inputSize(image.height(), image.width()));
  }

  /**
   * Divides by 255, resizes to {@code size} (bilinear, only when the size differs) and normalises.
   *
   * @return {@code [3, size.height, size.width]}
   */
  public NormalizedImage apply(RgbImage image, ImageSize size) {
    FloatGrid unit = image.toFloatGrid();
    if (size.height() != image.height() || size.width() != image.width()) {
      unit = Resize.bilinear(unit, size.height(), size.width());
    }
    return normalize(unit);
  }

  /**
   * Normalises an RGB image already on the {@code [0, 1]} scale and at its final size.
   *
   * @param rgb {@code [H, W, 3]}
   * @return {@code [3, H, W]}
   */
  public NormalizedImage normalize(FloatGrid rgb) {
    if (rgb.channels() != 3) {
      throw new IllegalArgumentException("rgb: expected 3 channels (R, G, B), got " + rgb.channels());
    }
    int n = rgb.positions();
    float[] in = rgb.values();
    float[] out = new float[3 * n];
    for (int c = 0; c < 3; c++) {
      float m = mean[c], s = std[c];
      int plane = c * n;
      for (int i = 0; i < n; i++) {
        out[plane + i] = (in[3 * i + c] - m) / s;
      }
    }
    return new NormalizedImage(rgb.height(), rgb.width(), out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageNormalization n && Arrays.equals(n.mean, mean) && Arrays.equals(n.std, std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "ImageNormalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
  }
}
