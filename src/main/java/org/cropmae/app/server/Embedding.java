package org.cropmae.app.server;

import java.util.List;
import java.util.function.IntConsumer;
import org.cropmae.runtime.budget.BudgetExceededException;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.onnx.EncoderOutput;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.cropmae.runtime.preprocess.ImageNormalization;
import org.cropmae.runtime.preprocess.ImageSize;
import org.cropmae.runtime.preprocess.NormalizedImage;

/**
 * The work of {@code POST /v1/embed}: each image resized to the input size (bilinear, as the
 * propagation protocol does), normalised with the encoder's mean/std and encoded; the tokens of
 * all images stacked as {@code [N, 1 + h*w, D]} float32, the cls token first, then the patch
 * tokens row-major (the reference model's output layout, as {@code cropmae embed} writes it).
 */
final class Embedding {
  private Embedding() {}

  /**
   * What {@link #validate} found out before any pixel was decoded.
   *
   * @param inputSize the size every image is encoded at
   * @param sizes each image's own size, from its header
   * @param tokens {@code 1 + h*w}
   * @param dim {@code D}
   */
  record Plan(ImageSize inputSize, List<ImageSize> sizes, int tokens, int dim) {}

  /**
   * Checks the images' headers against the limits and settles the input size.
   *
   * @param requested the {@code size} field, or {@code null} for each image's own size rounded down to
   *     a multiple of the patch size
   * @throws HttpError 400 when the images would need different input sizes or the size is not a
   *     multiple of the patch size; 413 over a limit (the output array included)
   */
  static Plan validate(List<NamedBytes> images, ImageSize requested, OnnxEncoder encoder, ServerLimits limits) {
    List<ImageSize> sizes = UploadedImages.sizes(images, limits);
    int patch = encoder.info().patchSize();
    ImageSize input = requested;
    for (int i = 0; i < images.size() && requested == null; i++) {
      ImageSize own = sizes.get(i);
      ImageSize rounded = new ImageSize(Math.max(patch, own.height() / patch * patch), Math.max(patch, own.width() / patch * patch));
      if (input != null && !input.equals(rounded)) {
        throw HttpError.badRequest(images.get(i).name() + ": would be encoded at " + rounded + " but "
            + images.get(0).name() + " at " + input + "; send images of one size or give the size field");
      }
      input = rounded;
    }
    if (input.height() % patch != 0 || input.width() % patch != 0) {
      throw HttpError.badRequest("field size: " + input + " is not a multiple of the encoder's patch size " + patch);
    }
    try {
      // Images are encoded one at a time.
      encoder.checkBudget(requested != null ? "field size" : images.get(0).name(), 1, input.height(), input.width());
    } catch (BudgetExceededException e) {
      throw HttpError.tooLarge(e.getMessage());
    }
    int tokens = 1 + (input.height() / patch) * (input.width() / patch);
    int dim = encoder.info().embedDim();
    long bytes = 4L * images.size() * tokens * dim;
    if (bytes > limits.maxResponseBytes()) {
      throw HttpError.tooLarge("the features would take " + bytes + " bytes ([" + images.size() + ", " + tokens + ", " + dim
          + "] float32), over the limit of " + limits.maxResponseBytes() + "; send fewer images or a smaller size");
    }
    return new Plan(input, sizes, tokens, dim);
  }

  /**
   * Encodes the images one at a time (peak memory: one image, not the batch).
   *
   * @param onImage told after each image (its index), for metrics
   * @return float32 {@code [N, 1 + h*w, D]}
   */
  static NpyArray run(OnnxEncoder encoder, List<NamedBytes> images, Plan plan, WorkPool.Deadline deadline,
      IntConsumer onImage) {
    ImageNormalization norm = ImageNormalization.of(encoder.info().mean(), encoder.info().std());
    int n = images.size();
    int stride = plan.tokens() * plan.dim();
    float[] all = new float[Math.multiplyExact(n, stride)];
    for (int i = 0; i < n; i++) {
      deadline.check();
      RgbImage image = UploadedImages.decode(images.get(i), plan.sizes().get(i));
      NormalizedImage x = norm.apply(image, plan.inputSize());
      EncoderOutput out = encoder.encode(x.chw(), 1, x.height(), x.width());
      out.copyTokens(0, all, i * stride);
      onImage.accept(i);
    }
    return NpyArray.ofFloat32(new int[] {n, plan.tokens(), plan.dim()}, all);
  }
}
