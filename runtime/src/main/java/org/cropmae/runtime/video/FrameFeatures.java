package org.cropmae.runtime.video;

import java.util.Objects;
import org.cropmae.runtime.budget.BudgetExceededException;
import org.cropmae.runtime.budget.ComputeBudget;
import org.cropmae.runtime.onnx.EncoderOutput;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.cropmae.runtime.preprocess.ImageNormalization;
import org.cropmae.runtime.preprocess.NormalizedImage;
import org.cropmae.runtime.tensor.FloatGrid;

/**
 * What {@link MaskPropagator} needs from a feature extractor: a stride, the normalisation its input
 * expects, and one feature vector per {@code stride x stride} patch of a frame. The ONNX encoder is
 * the real one ({@link #of(OnnxEncoder)}); {@link RawPatchFeatures} is a baseline without a model.
 */
public interface FrameFeatures {
  /** Side of the square patch one feature vector describes, pixels (the encoder's patch size). */
  int patchSize();

  /** Channels {@code D} of each feature vector {@link #features} returns. */
  int featureDim();

  /** The normalisation applied to frames before {@link #features}. */
  ImageNormalization normalization();

  /**
   * Features of one normalised frame.
   *
   * @param image {@code [3, H, W]} with H and W multiples of {@link #patchSize()}
   * @return {@code [H/p, W/p, D]}, patches row-major
   * @throws IllegalArgumentException when the extractor rejects the input
   */
  FloatGrid features(NormalizedImage image);

  /**
   * The budget a video on these features must keep: {@link MaskPropagator} checks its propagation
   * state against it before the first frame is encoded.
   */
  default ComputeBudget budget() {
    return ComputeBudget.defaults();
  }

  /**
   * Checks, from the size alone, that a frame of {@code height x width} pixels (already at the
   * protocol size) may be encoded; called before the frame is resized.
   *
   * @throws BudgetExceededException naming {@code what} when it may not
   */
  default void checkFrame(String what, int height, int width) {
  }

  /** The patch tokens of an ONNX encoder (cls token dropped), with the model's own normalisation. */
  static FrameFeatures of(OnnxEncoder encoder) {
    Objects.requireNonNull(encoder, "encoder");
    ImageNormalization normalization = ImageNormalization.of(encoder.info().mean(), encoder.info().std());
    return new FrameFeatures() {
      @Override
      public int patchSize() {
        return encoder.info().patchSize();
      }

      @Override
      public ImageNormalization normalization() {
        return normalization;
      }

      @Override
      public int featureDim() {
        return encoder.info().embedDim();
      }

      @Override
      public ComputeBudget budget() {
        return encoder.budget();
      }

      @Override
      public void checkFrame(String what, int height, int width) {
        encoder.checkBudget(what, 1, height, width);
      }

      @Override
      public FloatGrid features(NormalizedImage image) {
        EncoderOutput out = encoder.encode(image.chw(), 1, image.height(), image.width());
        return out.patchFeatures().get(0);
      }
    };
  }
}
