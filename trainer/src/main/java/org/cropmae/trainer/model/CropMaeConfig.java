package org.cropmae.trainer.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cropmae.runtime.io.NpyArray;

/**
 * Architecture and loss settings of the CropMAE (siamese MAE) pre-training model.
 *
 * <p>The encoder is a ViT with a strided-conv patch embedding, a cls token, a fixed 2-D sin-cos
 * position embedding and pre-norm (timm) blocks. The decoder embeds the tokens of both views, puts
 * mask tokens at the removed positions of the masked view and runs post-norm blocks that attend
 * to the unmasked view (cross-attention, feed-forward, self-attention), then predicts the pixels of
 * every patch.
 *
 * @param imageSize side of the square input views in pixels (224)
 * @param patchSize side of a patch in pixels (16)
 * @param embedDim encoder token width {@code D}
 * @param depth number of encoder blocks
 * @param numHeads encoder attention heads; {@code embedDim} must be a multiple
 * @param mlpRatio encoder MLP hidden width as a multiple of {@code embedDim} (4), truncated to int
 * @param decoderEmbedDim decoder token width {@code Dd}
 * @param decoderDepth number of decoder blocks
 * @param decoderNumHeads decoder attention heads; {@code decoderEmbedDim} must be a multiple
 * @param decoderFfnDim hidden width of each decoder block's feed-forward network (2048)
 * @param maskRatio fraction of the masked view's patches removed (0.985 keeps 2 of 196)
 * @param normPixLoss whether the pixel targets are normalised per patch (mean 0, unit variance)
 * @param decoderDropout dropout of the decoder blocks (attention weights and the three residual
 *     branches and the feed-forward hidden layer), active only in training mode (0.1)
 * @param layerNormEps epsilon of every LayerNorm, encoder and decoder (1e-6)
 */
public record CropMaeConfig(
    int imageSize,
    int patchSize,
    int embedDim,
    int depth,
    int numHeads,
    double mlpRatio,
    int decoderEmbedDim,
    int decoderDepth,
    int decoderNumHeads,
    int decoderFfnDim,
    double maskRatio,
    boolean normPixLoss,
    double decoderDropout,
    double layerNormEps) {

  /** Input channels (RGB); the official model is built with the default {@code in_chans=3}. */
  public static final int IN_CHANNELS = 3;
  /** Channels per encoder head in the official ViT-S/B/L. */
  public static final int OFFICIAL_HEAD_DIM = 64;

  public CropMaeConfig {
    requirePositive("imageSize", imageSize);
    requirePositive("patchSize", patchSize);
    requirePositive("embedDim", embedDim);
    requirePositive("depth", depth);
    requirePositive("numHeads", numHeads);
    requirePositive("decoderEmbedDim", decoderEmbedDim);
    requirePositive("decoderDepth", decoderDepth);
    requirePositive("decoderNumHeads", decoderNumHeads);
    requirePositive("decoderFfnDim", decoderFfnDim);
    if (imageSize % patchSize != 0) {
      throw new IllegalArgumentException(
          "imageSize " + imageSize + " is not a multiple of patchSize " + patchSize);
    }
    if (embedDim % numHeads != 0) {
      throw new IllegalArgumentException(
          "embedDim " + embedDim + " is not divisible by numHeads " + numHeads);
    }
    if (decoderEmbedDim % decoderNumHeads != 0) {
      throw new IllegalArgumentException(
          "decoderEmbedDim " + decoderEmbedDim + " is not divisible by decoderNumHeads " + decoderNumHeads);
    }
    // The 2-D sin-cos embedding gives half the channels to each axis, each half split into sin and cos.
    if (embedDim % 4 != 0 || decoderEmbedDim % 4 != 0) {
      throw new IllegalArgumentException("embedDim " + embedDim + " and decoderEmbedDim " + decoderEmbedDim
          + " must be multiples of 4 (2-D sin-cos position embedding)");
    }
    if (!(mlpRatio > 0) || (int) (embedDim * mlpRatio) <= 0) {
      throw new IllegalArgumentException("mlpRatio must give a positive hidden width, got " + mlpRatio);
    }
    if (!(maskRatio >= 0 && maskRatio < 1)) {
      throw new IllegalArgumentException("maskRatio must be in [0, 1), got " + maskRatio);
    }
    if (!(decoderDropout >= 0 && decoderDropout < 1)) {
      throw new IllegalArgumentException("decoderDropout must be in [0, 1), got " + decoderDropout);
    }
    if (!(layerNormEps > 0)) {
      throw new IllegalArgumentException("layerNormEps must be > 0, got " + layerNormEps);
    }
  }

  /** Side of the patch grid, {@code imageSize / patchSize} (14 for 224 / 16). */
  public int gridSize() {
    return imageSize / patchSize;
  }

  /** Number of patches {@code L = gridSize²} (196). */
  public int numPatches() {
    return gridSize() * gridSize();
  }

  /** Hidden width of the encoder MLP, {@code int(embedDim * mlpRatio)} as timm computes it. */
  public int mlpHiddenDim() {
    return (int) (embedDim * mlpRatio);
  }

  /** Values predicted per patch, {@code patchSize² * 3}, in (row, column, channel) order. */
  public int patchDim() {
    return patchSize * patchSize * IN_CHANNELS;
  }

  /**
   * Patches of the masked view the encoder sees, {@code int(L * (1 - maskRatio))} evaluated in
   * double precision as Python does (2 for 196 patches at 0.985).
   */
  public int numVisiblePatches() {
    return (int) (numPatches() * (1 - maskRatio));
  }

  /**
   * The official state-dict keys with their tensor shapes, in the order PyTorch's
   * {@code state_dict()} lists them.
   */
  public Map<String, int[]> stateDictShapes() {
    Map<String, int[]> out = new LinkedHashMap<>();
    for (StateDictLayout.Entry e : StateDictLayout.of(this)) {
      out.put(e.name(), e.shape());
    }
    return Collections.unmodifiableMap(out);
  }

  /** A builder starting from these values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * A builder starting from {@link #vits16()}.
   */
  public static Builder builder() {
    return new Builder(vits16());
  }

  /**
   * A named configuration: {@code vitt16}, {@code vits16}, {@code vitb16}, {@code vitl16} (also
   * without the {@code 16}) or {@code tiny}, any case.
   *
   * @throws IllegalArgumentException naming the known names otherwise
   */
  public static CropMaeConfig named(String name) {
    return switch (name == null ? "" : name.toLowerCase(java.util.Locale.ROOT)) {
      case "vitt16", "vitt" -> vitt16();
      case "vits16", "vits" -> vits16();
      case "vitb16", "vitb" -> vitb16();
      case "vitl16", "vitl" -> vitl16();
      case "tiny" -> tiny();
      default -> throw new IllegalArgumentException("architecture '" + name
          + "' is not one of vitt16, vits16, vitb16, vitl16, tiny");
    };
  }

  /**
   * ViT-Ti/16 (embed 192, depth 12, 3 heads; DeiT-Tiny's encoder) with the official decoder (embed
   * 256, depth 4, 8 heads): the project's bundled default model, small enough for phones.
   */
  public static CropMaeConfig vitt16() {
    return official(192, 12);
  }

  /**
   * ViT-S/16 (embed 384, depth 12, 6 heads) with the decoder the official ImageNet recipe trains
   * (embed 256, depth 4, 8 heads): the paper's main model.
   */
  public static CropMaeConfig vits16() {
    return official(384, 12);
  }

  /**
   * ViT-B/16 (embed 768, depth 12, 12 heads) with the official trainer's default decoder (embed 256,
   * depth 4, 8 heads; the trainer always passes its decoder arguments, so the model factory's own
   * larger decoder defaults are never used).
   */
  public static CropMaeConfig vitb16() {
    return official(768, 12);
  }

  /** ViT-L/16 (embed 1024, depth 24, 16 heads) with the official trainer's default decoder. */
  public static CropMaeConfig vitl16() {
    return official(1024, 24);
  }

  /**
   * The small model of the reference fixtures: encoder embed 128, depth 3, 2 heads; decoder embed
   * 64, depth 2, 4 heads; otherwise as the official models.
   */
  public static CropMaeConfig tiny() {
    return builder()
        .embedDim(128).depth(3).numHeads(2)
        .decoderEmbedDim(64).decoderDepth(2).decoderNumHeads(4)
        .build();
  }

  /**
   * The configuration of a checkpoint written by the official trainer (or ours): sizes from the
   * state dict, decoder heads, mask ratio and loss from its {@code args} (namespace or dict) when present.
   *
   * @param decoderNumHeads overrides {@code args.decoder_num_heads}; required when the checkpoint
   *     has no {@code args}
   * @throws IllegalArgumentException when the decoder head count is neither given nor stored
   */
  public static CropMaeConfig fromCheckpoint(org.cropmae.trainer.checkpoint.TorchCheckpoint checkpoint,
      Integer decoderNumHeads) {
    // The official trainer stores an argparse.Namespace; this project's trainer a plain dict.
    Map<?, ?> args = Map.of();
    if (checkpoint.hasEntry("args")) {
      Object a = checkpoint.entry("args");
      if (a instanceof org.cropmae.trainer.checkpoint.PickleObject p) {
        args = p.fields();
      } else if (a instanceof Map<?, ?> m) {
        args = m;
      }
    }
    Map<String, NpyArray> stateDict = checkpoint.stateDictFloat32();
    if (!stateDict.containsKey("decoder_embed.weight")) {
      // An encoder-only file (an export, a timm ViT) or not a CropMAE model at all.
      throw new IllegalArgumentException(checkpoint.file() + ": not a CropMAE training checkpoint (its "
          + stateDict.size() + " tensors have no 'decoder_embed.weight'); this needs the encoder and the decoder, as the"
          + " official trainer and cropmae train save them");
    }
    Integer heads = decoderNumHeads;
    if (heads == null && args.get("decoder_num_heads") instanceof Number n) {
      heads = n.intValue();
    }
    if (heads == null) {
      throw new IllegalArgumentException(checkpoint.file() + ": the checkpoint does not store decoder_num_heads; give it explicitly");
    }
    Builder b = inferFromStateDict(stateDict, heads);
    if (args.get("masking_ratio") instanceof Number r) {
      b.maskRatio(r.doubleValue());
    }
    if (args.get("norm_pix_loss") instanceof Boolean norm) {
      b.normPixLoss(norm);
    }
    return b.build();
  }

  /**
   * The sizes a state dict implies: patch size, image size (from the position-embedding length),
   * encoder and decoder widths, depths, MLP ratio and feed-forward width. Head counts are not stored
   * in a checkpoint: the encoder gets the official {@code embedDim / 64}, the decoder the given
   * count (the checkpoint's {@code args.decoder_num_heads}). Mask ratio, loss and dropout keep the
   * official defaults; override them on the returned builder.
   *
   * @throws IllegalArgumentException naming the tensor that is missing or has an unexpected rank
   */
  public static Builder inferFromStateDict(Map<String, NpyArray> stateDict, int decoderNumHeads) {
    NpyArray patch = tensor(stateDict, "patch_embed.proj.weight", 4);
    NpyArray pos = tensor(stateDict, "pos_embed", 3);
    NpyArray decoderEmbed = tensor(stateDict, "decoder_embed.weight", 2);
    int embed = patch.dim(0);
    int patchSize = patch.dim(2);
    int grid = (int) Math.round(Math.sqrt(pos.dim(1) - 1));
    if (grid * grid != pos.dim(1) - 1) {
      throw new IllegalArgumentException("state dict: pos_embed has " + pos.dim(1)
          + " positions, not 1 + a square number of patches");
    }
    Builder b = builder()
        .patchSize(patchSize)
        .imageSize(grid * patchSize)
        .embedDim(embed)
        .numHeads(Math.max(1, embed / OFFICIAL_HEAD_DIM))
        .depth(count(stateDict, "blocks.", ".norm1.weight"))
        .mlpRatio(tensor(stateDict, "blocks.0.mlp.fc1.weight", 2).dim(0) / (double) embed)
        .decoderEmbedDim(decoderEmbed.dim(0))
        .decoderDepth(count(stateDict, "decoder_blocks.", ".norm1.weight"))
        .decoderNumHeads(decoderNumHeads);
    return b.decoderFfnDim(tensor(stateDict, "decoder_blocks.0.linear1.weight", 2).dim(0));
  }

  private static NpyArray tensor(Map<String, NpyArray> sd, String key, int rank) {
    NpyArray a = sd.get(key);
    if (a == null) {
      throw new IllegalArgumentException("state dict: missing key '" + key + "'");
    }
    if (a.rank() != rank) {
      throw new IllegalArgumentException("state dict: '" + key + "' has rank " + a.rank() + ", expected " + rank);
    }
    return a;
  }

  /** Number of consecutive blocks {@code prefix<i>suffix} present from 0. */
  private static int count(Map<String, NpyArray> sd, String prefix, String suffix) {
    int n = 0;
    while (sd.containsKey(prefix + n + suffix)) {
      n++;
    }
    return n;
  }

  private static CropMaeConfig official(int embed, int depth) {
    return new CropMaeConfig(224, 16, embed, depth, embed / OFFICIAL_HEAD_DIM, 4.0,
        256, 4, 8, 2048, 0.985, true, 0.1, 1e-6);
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  /** Mutable builder of {@link CropMaeConfig}; {@link #build()} validates. */
  public static final class Builder {
    private int imageSize;
    private int patchSize;
    private int embedDim;
    private int depth;
    private int numHeads;
    private double mlpRatio;
    private int decoderEmbedDim;
    private int decoderDepth;
    private int decoderNumHeads;
    private int decoderFfnDim;
    private double maskRatio;
    private boolean normPixLoss;
    private double decoderDropout;
    private double layerNormEps;

    private Builder(CropMaeConfig c) {
      imageSize = c.imageSize;
      patchSize = c.patchSize;
      embedDim = c.embedDim;
      depth = c.depth;
      numHeads = c.numHeads;
      mlpRatio = c.mlpRatio;
      decoderEmbedDim = c.decoderEmbedDim;
      decoderDepth = c.decoderDepth;
      decoderNumHeads = c.decoderNumHeads;
      decoderFfnDim = c.decoderFfnDim;
      maskRatio = c.maskRatio;
      normPixLoss = c.normPixLoss;
      decoderDropout = c.decoderDropout;
      layerNormEps = c.layerNormEps;
    }

    public Builder imageSize(int v) {
      imageSize = v;
      return this;
    }

    public Builder patchSize(int v) {
      patchSize = v;
      return this;
    }

    public Builder embedDim(int v) {
      embedDim = v;
      return this;
    }

    public Builder depth(int v) {
      depth = v;
      return this;
    }

    public Builder numHeads(int v) {
      numHeads = v;
      return this;
    }

    public Builder mlpRatio(double v) {
      mlpRatio = v;
      return this;
    }

    public Builder decoderEmbedDim(int v) {
      decoderEmbedDim = v;
      return this;
    }

    public Builder decoderDepth(int v) {
      decoderDepth = v;
      return this;
    }

    public Builder decoderNumHeads(int v) {
      decoderNumHeads = v;
      return this;
    }

    public Builder decoderFfnDim(int v) {
      decoderFfnDim = v;
      return this;
    }

    public Builder maskRatio(double v) {
      maskRatio = v;
      return this;
    }

    public Builder normPixLoss(boolean v) {
      normPixLoss = v;
      return this;
    }

    public Builder decoderDropout(double v) {
      decoderDropout = v;
      return this;
    }

    public Builder layerNormEps(double v) {
      layerNormEps = v;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public CropMaeConfig build() {
      return new CropMaeConfig(imageSize, patchSize, embedDim, depth, numHeads, mlpRatio, decoderEmbedDim,
          decoderDepth, decoderNumHeads, decoderFfnDim, maskRatio, normPixLoss, decoderDropout, layerNormEps);
    }
  }
}
