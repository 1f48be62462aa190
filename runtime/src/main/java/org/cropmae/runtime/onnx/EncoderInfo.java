package org.cropmae.runtime.onnx;

import java.nio.file.Path;
import java.util.Map;

/**
 * What an opened encoder model declares about itself (from its metadata) and where it runs.
 *
 * @param source the model file
 * @param architecture architecture label, e.g. {@code vits16}
 * @param patchSize patch side in pixels; input height and width must be multiples of it
 * @param embedDim token width {@code D}
 * @param depth number of transformer blocks
 * @param numHeads attention heads per block
 * @param mean per-channel RGB mean (3 values, [0, 1] pixel units) the input must be normalised with
 * @param std per-channel RGB standard deviation (3 values)
 * @param metadata all {@code metadata_props} of the model
 * @param executionProvider the execution provider the session uses ({@code CPU}, {@code CUDA}, {@code NNAPI} or {@code XNNPACK})
 * @param hasLastAttention whether the model has the optional {@link EncoderContract#ATTENTION_OUTPUT}
 *     output, i.e. whether {@link OnnxEncoder#lastAttention} works
 */
public record EncoderInfo(
    Path source,
    String architecture,
    int patchSize,
    int embedDim,
    int depth,
    int numHeads,
    float[] mean,
    float[] std,
    Map<String, String> metadata,
    String executionProvider,
    boolean hasLastAttention) {

  public EncoderInfo {
    mean = mean.clone();
    std = std.clone();
    metadata = Map.copyOf(metadata);
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }
}
