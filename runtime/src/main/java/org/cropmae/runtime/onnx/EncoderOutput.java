package org.cropmae.runtime.onnx;

import java.util.Arrays;
import java.util.List;
import org.cropmae.runtime.tensor.FloatGrid;

/**
 * Encoder features for a batch of {@code N} images.
 *
 * @param patchFeatures one grid {@code [h, w, D]} per image ({@code h = H/patch}, {@code w = W/patch}),
 *     the final-norm patch tokens, not L2-normalised
 * @param clsTokens the cls tokens, {@code [N, D]} row-major
 * @param embedDim {@code D}
 */
public record EncoderOutput(List<FloatGrid> patchFeatures, float[] clsTokens, int embedDim) {

  public EncoderOutput {
    patchFeatures = List.copyOf(patchFeatures);
    if (clsTokens.length != (long) patchFeatures.size() * embedDim) {
      throw new IllegalArgumentException(
          "clsTokens holds " + clsTokens.length + " values, expected " + patchFeatures.size() + " x " + embedDim);
    }
  }

  /** Number of images {@code N}. */
  public int count() {
    return patchFeatures.size();
  }

  /**
   * Writes image {@code i}'s tokens in the reference model's layout, cls token first then the
   * patch tokens row-major, {@code [1 + h*w, D]}, into {@code out} at {@code offset}.
   */
  public void copyTokens(int i, float[] out, int offset) {
    System.arraycopy(clsTokens, i * embedDim, out, offset, embedDim);
    float[] patches = patchFeatures.get(i).values();
    System.arraycopy(patches, 0, out, offset + embedDim, patches.length);
  }

  /** The cls token of image {@code i}, a copy of length {@code D}. */
  public float[] clsToken(int i) {
    return Arrays.copyOfRange(clsTokens, i * embedDim, (i + 1) * embedDim);
  }
}
