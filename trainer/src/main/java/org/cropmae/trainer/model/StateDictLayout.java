package org.cropmae.trainer.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The parameters of the official {@code SiameseMAE} module: names, shapes and how the official
 * {@code initialize_weights} fills them, in {@code state_dict()} order.
 */
final class StateDictLayout {
  private StateDictLayout() {}

  /** How a freshly created model fills a parameter (the official initialisation). */
  enum Init {
    /** Biases. */
    ZEROS,
    /** LayerNorm scales. */
    ONES,
    /** {@code normal_(std=0.02)}: cls and mask tokens. */
    NORMAL_002,
    /** {@code xavier_uniform_} over {@code [out, in]}, the conv kernel viewed as {@code [out, c*p*p]}. */
    XAVIER_UNIFORM,
    /** Fixed 2-D sin-cos position embedding, cls position zero. */
    SINCOS
  }

  /**
   * One parameter.
   *
   * @param trainable false for the fixed position embeddings ({@code requires_grad=False})
   */
  record Entry(String name, int[] shape, Init init, boolean trainable) {}

  static List<Entry> of(CropMaeConfig c) {
    int d = c.embedDim();
    int dd = c.decoderEmbedDim();
    int p = c.patchSize();
    int tokens = 1 + c.numPatches();
    List<Entry> out = new ArrayList<>();
    out.add(new Entry("cls_token", new int[] {1, 1, d}, Init.NORMAL_002, true));
    out.add(new Entry("pos_embed", new int[] {1, tokens, d}, Init.SINCOS, false));
    out.add(new Entry("mask_token", new int[] {1, 1, dd}, Init.NORMAL_002, true));
    out.add(new Entry("decoder_pos_embed", new int[] {1, tokens, dd}, Init.SINCOS, false));
    out.add(weight("patch_embed.proj.weight", d, CropMaeConfig.IN_CHANNELS, p, p));
    out.add(bias("patch_embed.proj.bias", d));
    for (int i = 0; i < c.depth(); i++) {
      String b = "blocks." + i + ".";
      norm(out, b + "norm1", d);
      linear(out, b + "attn.qkv", 3 * d, d);
      linear(out, b + "attn.proj", d, d);
      norm(out, b + "norm2", d);
      linear(out, b + "mlp.fc1", c.mlpHiddenDim(), d);
      linear(out, b + "mlp.fc2", d, c.mlpHiddenDim());
    }
    norm(out, "norm", d);
    linear(out, "decoder_embed", dd, d);
    for (int i = 0; i < c.decoderDepth(); i++) {
      String b = "decoder_blocks." + i + ".";
      for (String attn : new String[] {"self_attn", "multihead_attn"}) {
        // nn.MultiheadAttention packs the q, k, v projections; xavier over the packed [3Dd, Dd].
        out.add(weight(b + attn + ".in_proj_weight", 3 * dd, dd));
        out.add(bias(b + attn + ".in_proj_bias", 3 * dd));
        linear(out, b + attn + ".out_proj", dd, dd);
      }
      linear(out, b + "linear1", c.decoderFfnDim(), dd);
      linear(out, b + "linear2", dd, c.decoderFfnDim());
      norm(out, b + "norm1", dd);
      norm(out, b + "norm2", dd);
      norm(out, b + "norm3", dd);
    }
    norm(out, "decoder_norm", dd);
    linear(out, "decoder_pred", c.patchDim(), dd);
    return Collections.unmodifiableList(out);
  }

  private static void linear(List<Entry> out, String prefix, int outDim, int inDim) {
    out.add(weight(prefix + ".weight", outDim, inDim));
    out.add(bias(prefix + ".bias", outDim));
  }

  private static void norm(List<Entry> out, String prefix, int dim) {
    out.add(new Entry(prefix + ".weight", new int[] {dim}, Init.ONES, true));
    out.add(bias(prefix + ".bias", dim));
  }

  private static Entry weight(String name, int... shape) {
    return new Entry(name, shape, Init.XAVIER_UNIFORM, true);
  }

  private static Entry bias(String name, int dim) {
    return new Entry(name, new int[] {dim}, Init.ZEROS, true);
  }
}
