package org.cropmae.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import java.util.Map;

/**
 * The official siamese decoder block: a post-norm transformer decoder layer whose sub-layers run in
 * the order cross-attention to the unmasked view's tokens ({@code multihead_attn}, then
 * {@code norm2}), feed-forward with exact GELU ({@code linear1}/{@code linear2}, then {@code norm3}),
 * self-attention ({@code self_attn}, then {@code norm1}). In training, dropout is applied to the
 * attention weights, to each sub-layer's output and to the feed-forward hidden layer, as
 * {@code nn.MultiheadAttention(dropout=p)} and the layer's own dropouts do.
 */
final class DecoderBlock {
  private final NDArray saInW;
  private final NDArray saInB;
  private final NDArray saOutW;
  private final NDArray saOutB;
  private final NDArray caInW;
  private final NDArray caInB;
  private final NDArray caOutW;
  private final NDArray caOutB;
  private final NDArray lin1W;
  private final NDArray lin1B;
  private final NDArray lin2W;
  private final NDArray lin2B;
  private final NDArray norm1W;
  private final NDArray norm1B;
  private final NDArray norm2W;
  private final NDArray norm2B;
  private final NDArray norm3W;
  private final NDArray norm3B;
  private final int heads;
  private final float eps;
  private final float dropout;
  private final long dim;

  /** @param prefix {@code decoder_blocks.<i>.} */
  DecoderBlock(Map<String, NDArray> p, String prefix, int heads, float eps, float dropout) {
    saInW = p.get(prefix + "self_attn.in_proj_weight");
    saInB = p.get(prefix + "self_attn.in_proj_bias");
    saOutW = p.get(prefix + "self_attn.out_proj.weight");
    saOutB = p.get(prefix + "self_attn.out_proj.bias");
    caInW = p.get(prefix + "multihead_attn.in_proj_weight");
    caInB = p.get(prefix + "multihead_attn.in_proj_bias");
    caOutW = p.get(prefix + "multihead_attn.out_proj.weight");
    caOutB = p.get(prefix + "multihead_attn.out_proj.bias");
    lin1W = p.get(prefix + "linear1.weight");
    lin1B = p.get(prefix + "linear1.bias");
    lin2W = p.get(prefix + "linear2.weight");
    lin2B = p.get(prefix + "linear2.bias");
    norm1W = p.get(prefix + "norm1.weight");
    norm1B = p.get(prefix + "norm1.bias");
    norm2W = p.get(prefix + "norm2.weight");
    norm2B = p.get(prefix + "norm2.bias");
    norm3W = p.get(prefix + "norm3.weight");
    norm3B = p.get(prefix + "norm3.bias");
    this.heads = heads;
    this.eps = eps;
    this.dropout = dropout;
    this.dim = norm1W.getShape().get(0);
  }

  /**
   * @param x masked view's tokens {@code [B, 1+L, Dd]}
   * @param memory unmasked view's tokens {@code [B, 1+L, Dd]}
   * @return {@code [B, 1+L, Dd]}
   */
  NDArray forward(NDArray x, NDArray memory, boolean training) {
    x = Layers.layerNorm(x.add(crossAttention(x, memory, training)), norm2W, norm2B, eps);
    x = Layers.layerNorm(x.add(feedForward(x, training)), norm3W, norm3B, eps);
    return Layers.layerNorm(x.add(selfAttention(x, training)), norm1W, norm1B, eps);
  }

  private NDArray crossAttention(NDArray x, NDArray memory, boolean training) {
    // As nn.MultiheadAttention with key is value: the packed projection split into q and (k, v).
    var m = x.getManager();
    NDIndex qRows = new NDIndex("0:{}", dim);
    NDIndex kvRows = new NDIndex("{}:", dim);
    NDArray q = Layers.linear(x, caInW.get(m, qRows), caInB.get(m, qRows));
    NDList kv = Layers.split(Layers.linear(memory, caInW.get(m, kvRows), caInB.get(m, kvRows)), 2);
    NDArray out = Layers.attention(q, kv.get(0), kv.get(1), heads, dropout, training);
    return Layers.dropout(Layers.linear(out, caOutW, caOutB), dropout, training);
  }

  private NDArray feedForward(NDArray x, boolean training) {
    NDArray hidden = Layers.dropout(Layers.gelu(Layers.linear(x, lin1W, lin1B)), dropout, training);
    return Layers.dropout(Layers.linear(hidden, lin2W, lin2B), dropout, training);
  }

  private NDArray selfAttention(NDArray x, boolean training) {
    NDList qkv = Layers.split(Layers.linear(x, saInW, saInB), 3);
    NDArray out = Layers.attention(qkv.get(0), qkv.get(1), qkv.get(2), heads, dropout, training);
    return Layers.dropout(Layers.linear(out, saOutW, saOutB), dropout, training);
  }
}
