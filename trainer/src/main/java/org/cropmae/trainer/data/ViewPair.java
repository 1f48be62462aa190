package org.cropmae.trainer.data;

import java.util.Objects;
import org.cropmae.runtime.image.RgbImage;

/**
 * The two 8-bit views of one image, in model order: {@link #first()} is seen whole,
 * {@link #second()} is masked and reconstructed. For {@link CropStrategy#SAME_VIEWS} both are the
 * same object.
 *
 * @param first view 0
 * @param second view 1
 */
public record ViewPair(View first, View second) {
  public ViewPair {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(second, "second");
  }

  /**
   * One view before normalisation.
   *
   * @param crop the resized crop, {@code inputSize x inputSize}, not flipped
   * @param box where the crop was taken: in the source image for global crops, in the global
   *     view's (unflipped) pixels for local crops
   * @param flipped whether the view is mirrored left-right
   */
  public record View(RgbImage crop, CropBox box, boolean flipped) {
    public View {
      Objects.requireNonNull(crop, "crop");
      Objects.requireNonNull(box, "box");
    }

    /** The view's final pixels: {@link #crop()}, mirrored when {@link #flipped()}. */
    public RgbImage image() {
      if (!flipped) {
        return crop;
      }
      int w = crop.width();
      byte[] in = crop.rgb();
      byte[] out = new byte[in.length];
      for (int y = 0; y < crop.height(); y++) {
        for (int x = 0; x < w; x++) {
          System.arraycopy(in, (y * w + w - 1 - x) * 3, out, (y * w + x) * 3, 3);
        }
      }
      return new RgbImage(w, crop.height(), out);
    }
  }
}
