package org.cropmae.trainer.data;

import java.util.Arrays;

/**
 * One training batch: {@code B} images, two views each, as 8-bit pixels; the model's input is
 * these bytes normalised by {@link ViewSampler#normalisationTable()} (done on the training device).
 *
 * @param epoch epoch the batch belongs to
 * @param index position of the batch in its epoch, from 0
 * @param pixels unsigned 8-bit values of shape {@link #shape()} = {@code [B, 2, 3, S, S]} in C
 *     order: image, view (0 = unmasked, 1 = masked), channel (R, G, B), row, column, flips
 *     applied; owned by the receiver (not reused by the loader)
 * @param shape {@code [B, 2, 3, S, S]}
 * @param imageIndices dataset index of each image, {@code [B]} (a replacement's index when an
 *     unreadable image was replaced)
 */
public record Batch(int epoch, int index, byte[] pixels, int[] shape, int[] imageIndices) {
  public Batch {
    if (shape.length != 5 || shape[1] != 2 || shape[2] != 3 || imageIndices.length != shape[0]
        || (long) shape[0] * shape[1] * shape[2] * shape[3] * shape[4] != pixels.length) {
      throw new IllegalArgumentException("batch: shape " + Arrays.toString(shape) + " does not fit "
          + pixels.length + " values and " + imageIndices.length + " indices");
    }
  }

  /** Number of images, {@code B}. */
  public int size() {
    return shape[0];
  }
}
