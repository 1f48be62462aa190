package org.cropmae.runtime.video;

import org.cropmae.runtime.preprocess.ImageNormalization;
import org.cropmae.runtime.preprocess.NormalizedImage;
import org.cropmae.runtime.tensor.FloatGrid;

/**
 * The pixels themselves as features: each {@code p x p} patch of the ImageNet-normalised frame,
 * flattened in {@code (row, column, channel)} order (the order of CropMAE's pixel targets) to a
 * vector of {@code p*p*3} values. The "no learning at all" baseline a trained encoder must beat.
 */
public final class RawPatchFeatures implements FrameFeatures {
  private final int patchSize;

  /** @param patchSize pixels per patch side, e.g. 16 to match the grid of an encoder with 16-pixel patches */
  public RawPatchFeatures(int patchSize) {
    if (patchSize < 1) {
      throw new IllegalArgumentException("patchSize must be >= 1, got " + patchSize);
    }
    this.patchSize = patchSize;
  }

  @Override
  public int patchSize() {
    return patchSize;
  }

  /** {@code 3 * patch * patch}: the patch's pixels, RGB interleaved. */
  @Override
  public int featureDim() {
    return 3 * patchSize * patchSize;
  }

  @Override
  public ImageNormalization normalization() {
    return ImageNormalization.IMAGENET;
  }

  @Override
  public FloatGrid features(NormalizedImage image) {
    int p = patchSize;
    if (image.height() % p != 0 || image.width() % p != 0) {
      throw new IllegalArgumentException("image " + image.height() + "x" + image.width()
          + " is not a whole number of " + p + "x" + p + " patches");
    }
    int h = image.height() / p;
    int w = image.width() / p;
    int d = featureDim();
    float[] out = new float[h * w * d];
    float[] chw = image.chw();
    int plane = image.height() * image.width();
    for (int gy = 0; gy < h; gy++) {
      for (int gx = 0; gx < w; gx++) {
        int o = (gy * w + gx) * d;
        for (int y = 0; y < p; y++) {
          int row = (gy * p + y) * image.width() + gx * p;
          for (int x = 0; x < p; x++) {
            for (int c = 0; c < 3; c++) {
              out[o++] = chw[c * plane + row + x];
            }
          }
        }
      }
    }
    return new FloatGrid(h, w, d, out);
  }
}
