package org.cropmae.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Map;

/**
 * A timm ViT block as the official encoder builds it: pre-norm multi-head self-attention with a
 * packed qkv projection, then a pre-norm MLP with exact GELU, each added to the residual stream. No
 * dropout, drop-path or layer scale (all disabled in the official model).
 */
final class EncoderBlock {
  private final NDArray norm1W;
  private final NDArray norm1B;
  private final NDArray qkvW;
  private final NDArray qkvB;
  private final NDArray projW;
  private final NDArray projB;
  private final NDArray norm2W;
  private final NDArray norm2B;
  private final NDArray fc1W;
  private final NDArray fc1B;
  private final NDArray fc2W;
  private final NDArray fc2B;
  private final int heads;
  private final float eps;

  /** @param prefix {@code blocks.<i>.} */
  EncoderBlock(Map<String, NDArray> p, String prefix, int heads, float eps) {
    norm1W = p.get(prefix + "norm1.weight");
    norm1B = p.get(prefix + "norm1.bias");
    qkvW = p.get(prefix + "attn.qkv.weight");
    qkvB = p.get(prefix + "attn.qkv.bias");
    projW = p.get(prefix + "attn.proj.weight");
    projB = p.get(prefix + "attn.proj.bias");
    norm2W = p.get(prefix + "norm2.weight");
    norm2B = p.get(prefix + "norm2.bias");
    fc1W = p.get(prefix + "mlp.fc1.weight");
    fc1B = p.get(prefix + "mlp.fc1.bias");
    fc2W = p.get(prefix + "mlp.fc2.weight");
    fc2B = p.get(prefix + "mlp.fc2.bias");
    this.heads = heads;
    this.eps = eps;
  }

  /** @param x {@code [B, N, D]} @return the self-attention weights {@code [B, H, N, N]} */
  NDArray attentionWeights(NDArray x) {
    NDList qkv = Layers.split(Layers.linear(Layers.layerNorm(x, norm1W, norm1B, eps), qkvW, qkvB), 3);
    return Layers.attentionWeights(qkv.get(0), qkv.get(1), heads);
  }

  /** @param x {@code [B, N, D]} @return {@code [B, N, D]} */
  NDArray forward(NDArray x) {
    NDList qkv = Layers.split(Layers.linear(Layers.layerNorm(x, norm1W, norm1B, eps), qkvW, qkvB), 3);
    NDArray attn = Layers.attention(qkv.get(0), qkv.get(1), qkv.get(2), heads, 0f, false);
    x = x.add(Layers.linear(attn, projW, projB));
    NDArray hidden = Layers.gelu(Layers.linear(Layers.layerNorm(x, norm2W, norm2B, eps), fc1W, fc1B));
    return x.add(Layers.linear(hidden, fc2W, fc2B));
  }
}
