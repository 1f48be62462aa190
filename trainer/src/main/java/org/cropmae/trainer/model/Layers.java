package org.cropmae.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;

/**
 * The PyTorch functional operations the model is written with. Every result is attached to the
 * manager of the first (activation) argument, never to the parameters' manager, so that a forward
 * pass leaves nothing behind in the model.
 */
final class Layers {
  private Layers() {}

  /** {@code x W^T + b}: x {@code [..., in]}, W {@code [out, in]}, b {@code [out]}. */
  static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
    return Linear.linear(x, weight, bias).singletonOrThrow();
  }

  /** LayerNorm over the last axis (biased variance, as {@code nn.LayerNorm}). */
  static NDArray layerNorm(NDArray x, NDArray weight, NDArray bias, float eps) {
    return LayerNorm.layerNorm(x, new Shape(weight.getShape().get(0)), weight, bias, eps).singletonOrThrow();
  }

  /** Exact GELU, {@code x * Phi(x)} with the erf form ({@code nn.GELU()} default). */
  static NDArray gelu(NDArray x) {
    return Activation.gelu(x);
  }

  /** Inverted dropout when training, identity otherwise. */
  static NDArray dropout(NDArray x, float rate, boolean training) {
    return training && rate > 0 ? Dropout.dropout(x, rate, true).singletonOrThrow() : x;
  }

  /**
   * Multi-head scaled dot-product attention with the projections already applied.
   *
   * @param q {@code [B, Nq, E]}; head {@code h} is channels {@code [h*E/H, (h+1)*E/H)}
   * @param k {@code [B, Nk, E]}
   * @param v {@code [B, Nk, E]}
   * @param heads {@code H}
   * @param dropout dropout on the attention weights (training only)
   * @return {@code [B, Nq, E]}, the heads concatenated back in channel order
   */
  static NDArray attention(NDArray q, NDArray k, NDArray v, int heads, float dropout, boolean training) {
    long b = q.getShape().get(0);
    long nq = q.getShape().get(1);
    long e = q.getShape().get(2);
    long nk = k.getShape().get(1);
    long hd = e / heads;
    NDArray vh = v.reshape(b, nk, heads, hd).transpose(0, 2, 1, 3);
    NDArray weights = dropout(attentionWeights(q, k, heads), dropout, training);
    return weights.matMul(vh).transpose(0, 2, 1, 3).reshape(b, nq, e);
  }

  /**
   * The softmax attention weights of {@link #attention}, before dropout.
   *
   * @return {@code [B, H, Nq, Nk]}, each row summing to 1
   */
  static NDArray attentionWeights(NDArray q, NDArray k, int heads) {
    long b = q.getShape().get(0);
    long nq = q.getShape().get(1);
    long e = q.getShape().get(2);
    long nk = k.getShape().get(1);
    long hd = e / heads;
    NDArray qh = q.reshape(b, nq, heads, hd).transpose(0, 2, 1, 3);
    NDArray kt = k.reshape(b, nk, heads, hd).transpose(0, 2, 3, 1);
    // The scale is an array owned by the activations' manager, not a Java number: DJL turns a number
    // into a temporary tensor over a Java buffer that it frees right after the op, while autograd
    // keeps that tensor for the backward pass (a use-after-free that yields NaN gradients when the
    // garbage collector runs in between).
    NDArray scale = q.getManager().create((float) (1.0 / Math.sqrt(hd)));
    return qh.mul(scale).matMul(kt).softmax(-1);
  }

  /** Splits the last axis into {@code n} equal parts. */
  static NDList split(NDArray x, int n) {
    return x.split(n, x.getShape().dimension() - 1);
  }
}
