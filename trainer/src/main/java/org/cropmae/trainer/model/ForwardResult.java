package org.cropmae.trainer.model;

import ai.djl.ndarray.NDArray;

/**
 * Outputs of one {@link CropMaeModel#forward} pass, attached to the manager of the input views.
 *
 * @param loss scalar float32: mean over removed patches of the per-patch pixel MSE
 * @param pred {@code [B, L, p*p*3]} float32: predicted pixels of every patch of the masked view, in
 *     (row, column, channel) order within a patch and row-major patch order
 * @param mask {@code [B, L]} float32: 1 where the patch was removed from the masked view, 0 where the
 *     encoder saw it
 */
public record ForwardResult(NDArray loss, NDArray pred, NDArray mask) implements AutoCloseable {

  /** The loss copied to the host (synchronises with the device). */
  public double lossValue() {
    return loss.getFloat();
  }

  /** Releases the three arrays (not the intermediate activations, which stay with their manager). */
  @Override
  public void close() {
    loss.close();
    pred.close();
    mask.close();
  }
}
