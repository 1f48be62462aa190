package org.cropmae.trainer.export;

import java.util.Arrays;
import java.util.Map;
import org.cropmae.runtime.io.NpyArray;

/**
 * Shape of a CropMAE ViT encoder (the official evaluation model: patch embedding, cls token, fixed
 * square position embedding, pre-norm blocks, final LayerNorm).
 *
 * @param name label written to the model metadata, e.g. {@code vits16}
 * @param patchSize patch side in pixels
 * @param embedDim token width {@code D}
 * @param depth number of transformer blocks
 * @param numHeads attention heads; {@code embedDim} must be a multiple
 * @param mlpHiddenDim hidden width of each block's MLP (4 D in the official models)
 * @param posGridSize side of the square position-embedding grid (224 / patch = 14 for patch 16)
 * @param layerNormEps epsilon of every LayerNorm (1e-6 in the official models)
 */
public record EncoderArchitecture(
    String name,
    int patchSize,
    int embedDim,
    int depth,
    int numHeads,
    int mlpHiddenDim,
    int posGridSize,
    double layerNormEps) {

  /** Channels per head in every official CropMAE/MAE ViT; checkpoints do not store the head count. */
  public static final int OFFICIAL_HEAD_DIM = 64;
  /** LayerNorm epsilon of the official encoders. */
  public static final double OFFICIAL_LAYER_NORM_EPS = 1e-6;

  public EncoderArchitecture {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("architecture name must not be blank");
    }
    if (patchSize <= 0 || embedDim <= 0 || depth <= 0 || numHeads <= 0 || mlpHiddenDim <= 0 || posGridSize <= 0) {
      throw new IllegalArgumentException("architecture " + name + ": sizes must be positive (patch " + patchSize
          + ", embed " + embedDim + ", depth " + depth + ", heads " + numHeads + ", mlp " + mlpHiddenDim
          + ", grid " + posGridSize + ")");
    }
    if (embedDim % numHeads != 0) {
      throw new IllegalArgumentException(
          "architecture " + name + ": embed dim " + embedDim + " is not divisible by " + numHeads + " heads");
    }
    if (!(layerNormEps > 0)) {
      throw new IllegalArgumentException("architecture " + name + ": layerNormEps must be > 0, got " + layerNormEps);
    }
  }

  /** ViT-Ti/16 (embed 192, depth 12, heads 3), the bundled default encoder's size. */
  public static EncoderArchitecture vitt16() {
    return official(16, 192, 12, 14);
  }

  /** ViT-S/16 (embed 384, depth 12, heads 6), the paper's main encoder. */
  public static EncoderArchitecture vits16() {
    return official(16, 384, 12, 14);
  }

  /** ViT-S/8 (embed 384, depth 12, heads 6, 28x28 position grid). */
  public static EncoderArchitecture vits8() {
    return official(8, 384, 12, 28);
  }

  /** ViT-B/16 (embed 768, depth 12, heads 12). */
  public static EncoderArchitecture vitb16() {
    return official(16, 768, 12, 14);
  }

  /** ViT-L/16 (embed 1024, depth 24, heads 16). */
  public static EncoderArchitecture vitl16() {
    return official(16, 1024, 24, 14);
  }

  /**
   * One of the official sizes by name: {@code vits16}, {@code vits8}, {@code vitb16}, {@code vitl16}.
   *
   * @throws IllegalArgumentException naming the known sizes otherwise
   */
  public static EncoderArchitecture named(String name) {
    return switch (name) {
      case "vitt16" -> vitt16();
      case "vits16" -> vits16();
      case "vits8" -> vits8();
      case "vitb16" -> vitb16();
      case "vitl16" -> vitl16();
      default -> throw new IllegalArgumentException("unknown architecture '" + name + "' (known: vitt16, vits16, vits8, vitb16, vitl16)");
    };
  }

  private static EncoderArchitecture official(int patch, int embed, int depth, int grid) {
    return new EncoderArchitecture(labelOf(patch, embed, depth, embed / OFFICIAL_HEAD_DIM), patch, embed, depth,
        embed / OFFICIAL_HEAD_DIM, 4 * embed, grid, OFFICIAL_LAYER_NORM_EPS);
  }

  /** The same architecture with another head count (and the label that goes with it). */
  public EncoderArchitecture withNumHeads(int heads) {
    return new EncoderArchitecture(labelOf(patchSize, embedDim, depth, heads), patchSize, embedDim, depth, heads,
        mlpHiddenDim, posGridSize, layerNormEps);
  }

  /** {@code vits16}-style names for the official models, otherwise {@code vit-p16-embed128-depth3-heads2}. */
  static String labelOf(int patch, int embed, int depth, int heads) {
    String size = embed == 192 && depth == 12 && heads == 3 ? "t"
        : embed == 384 && depth == 12 && heads == 6 ? "s"
        : embed == 768 && depth == 12 && heads == 12 ? "b"
        : embed == 1024 && depth == 24 && heads == 16 ? "l" : null;
    return size != null ? "vit" + size + patch : "vit-p" + patch + "-embed" + embed + "-depth" + depth + "-heads" + heads;
  }

  /**
   * Reads the architecture off a state dict's tensor shapes: {@code D} from {@code cls_token}, the
   * patch from {@code patch_embed.proj.weight}, depth from the {@code blocks.<i>} count, the MLP width
   * from {@code blocks.0.mlp.fc1.weight}, the grid from {@code pos_embed}; heads are {@code D / 64}
   * as in the official models (use {@link #withNumHeads} otherwise).
   *
   * @throws IllegalArgumentException naming the tensor that is missing or has an unexpected shape
   */
  public static EncoderArchitecture infer(Map<String, NpyArray> stateDict) {
    return infer(stateDict, null);
  }

  /**
   * {@link #infer(Map)} with a known head count (a checkpoint that records it, or a custom model
   * whose width is not a multiple of 64).
   *
   * @param numHeads encoder attention heads, or null for the official {@code D / 64}
   */
  public static EncoderArchitecture infer(Map<String, NpyArray> stateDict, Integer numHeads) {
    int[] cls = shape(stateDict, "cls_token", 3);
    int d = cls[2];
    if (cls[0] != 1 || cls[1] != 1) {
      throw bad("cls_token", cls, "[1, 1, D]");
    }
    int[] proj = shape(stateDict, "patch_embed.proj.weight", 4);
    if (proj[0] != d || proj[1] != 3 || proj[2] != proj[3]) {
      throw bad("patch_embed.proj.weight", proj, "[" + d + ", 3, p, p]");
    }
    int depth = 0;
    while (stateDict.containsKey("blocks." + depth + ".norm1.weight")) {
      depth++;
    }
    if (depth == 0) {
      throw new IllegalArgumentException("state dict: no 'blocks.0.norm1.weight', not a ViT encoder state dict");
    }
    int[] fc1 = shape(stateDict, "blocks.0.mlp.fc1.weight", 2);
    int[] pos = shape(stateDict, "pos_embed", 3);
    int grid = (int) Math.round(Math.sqrt(pos[1] - 1));
    if (pos[0] != 1 || pos[2] != d || grid * grid != pos[1] - 1) {
      throw bad("pos_embed", pos, "[1, 1 + g*g, " + d + "]");
    }
    if (numHeads == null && d % OFFICIAL_HEAD_DIM != 0) {
      throw new IllegalArgumentException("state dict: embed dim " + d + " is not a multiple of "
          + OFFICIAL_HEAD_DIM + ", so the head count cannot be inferred; give the architecture explicitly");
    }
    int heads = numHeads != null ? numHeads : d / OFFICIAL_HEAD_DIM;
    return new EncoderArchitecture(labelOf(proj[2], d, depth, heads), proj[2], d, depth, heads, fc1[0], grid,
        OFFICIAL_LAYER_NORM_EPS);
  }

  private static int[] shape(Map<String, NpyArray> sd, String key, int rank) {
    NpyArray a = sd.get(key);
    if (a == null) {
      throw new IllegalArgumentException("state dict: missing '" + key + "'");
    }
    if (a.rank() != rank) {
      throw new IllegalArgumentException(
          "state dict: '" + key + "' has shape " + Arrays.toString(a.shape()) + ", expected rank " + rank);
    }
    return a.shape();
  }

  private static IllegalArgumentException bad(String key, int[] shape, String expected) {
    return new IllegalArgumentException(
        "state dict: '" + key + "' has shape " + Arrays.toString(shape) + ", expected " + expected);
  }
}
