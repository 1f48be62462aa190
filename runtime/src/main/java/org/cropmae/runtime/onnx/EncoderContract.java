package org.cropmae.runtime.onnx;

import java.util.List;

/**
 * The interface between an exported CropMAE encoder ONNX model and {@link OnnxEncoder}: tensor names
 * and the {@code metadata_props} keys the exporter writes and the runtime checks.
 *
 * <p>Tensors:
 *
 * <ul>
 *   <li>{@value #INPUT}: float32 {@code [N, 3, H, W]}, an image normalised with {@value #MEAN}/{@value
 *       #STD}; {@code H} and {@code W} dynamic multiples of the patch size.
 *   <li>{@value #OUTPUT}: float32 {@code [N, 1 + h*w, D]} with {@code h = H/patch}, {@code w = W/patch}:
 *       the cls token first, then the patch tokens in row-major grid order, after the final LayerNorm.
 *   <li>{@value #PATCH_OUTPUT} (optional): float32 {@code [N, h, w, D]}, the patch tokens as a grid.
 *   <li>{@value #ATTENTION_OUTPUT} (optional): float32 {@code [N, heads, 1 + h*w, 1 + h*w]}, the
 *       softmax attention probabilities of the last transformer block, query token by key token, in
 *       the token order of {@value #OUTPUT} (row {@code 0} is the cls token's attention). Every row sums
 *       to 1. Models exported before this output existed lack it; {@link OnnxEncoder} accepts them and
 *       fails only when {@link OnnxEncoder#lastAttention} is called.
 * </ul>
 */
public final class EncoderContract {
  private EncoderContract() {}

  /** Input image batch, float32 {@code [N, 3, H, W]}. */
  public static final String INPUT = "pixel_values";
  /** All tokens after the final norm, float32 {@code [N, 1 + h*w, D]}, cls first. */
  public static final String OUTPUT = "last_hidden_state";
  /** Patch tokens as a grid, float32 {@code [N, h, w, D]} (optional in a model). */
  public static final String PATCH_OUTPUT = "patch_features";
  /**
   * Last block's attention probabilities, float32 {@code [N, heads, 1 + h*w, 1 + h*w]} (optional in a
   * model). The exporter names the last block's Softmax itself as this output, so the graph does no
   * extra work for it; {@link OnnxEncoder#encode} never fetches it, only {@link OnnxEncoder#lastAttention} does.
   */
  public static final String ATTENTION_OUTPUT = "last_attention";

  /** Architecture label, e.g. {@code vits16} or {@code vit-p16-embed128-depth3-heads2}. */
  public static final String ARCHITECTURE = "cropmae.architecture";
  /** Patch side in pixels (decimal integer). */
  public static final String PATCH_SIZE = "cropmae.patch_size";
  /** Token width {@code D} (decimal integer). */
  public static final String EMBED_DIM = "cropmae.embed_dim";
  /** Number of transformer blocks (decimal integer). */
  public static final String DEPTH = "cropmae.depth";
  /** Attention heads per block (decimal integer). */
  public static final String NUM_HEADS = "cropmae.num_heads";
  /** Per-channel RGB mean the input was normalised with, comma separated, in [0, 1] pixel units. */
  public static final String MEAN = "cropmae.mean";
  /** Per-channel RGB standard deviation, comma separated, in [0, 1] pixel units. */
  public static final String STD = "cropmae.std";
  /** Side of the square position-embedding grid the weights were trained with (e.g. 14). */
  public static final String POS_GRID = "cropmae.pos_embed_grid";
  /** Lower-case hex SHA-256 of the checkpoint the weights came from (absent when unknown). */
  public static final String SOURCE_SHA256 = "cropmae.source_sha256";
  /** ONNX opset of the default domain the graph uses. */
  public static final String OPSET = "cropmae.opset";
  /** Tool and version that wrote the model. */
  public static final String PRODUCER = "cropmae.producer";

  /** Keys every encoder model carries; {@link OnnxEncoder} refuses a model without them. */
  public static final List<String> REQUIRED_METADATA =
      List.of(ARCHITECTURE, PATCH_SIZE, EMBED_DIM, DEPTH, NUM_HEADS, MEAN, STD);
}
