package org.cropmae.runtime.video;

import java.util.Objects;
import org.cropmae.runtime.EngineException;
import org.cropmae.runtime.budget.BudgetExceededException;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.LabelSet;
import org.cropmae.runtime.onnx.OnnxAffinityBackend;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.cropmae.runtime.preprocess.ImageNormalization;
import org.cropmae.runtime.preprocess.ImageSize;
import org.cropmae.runtime.preprocess.NormalizedImage;
import org.cropmae.runtime.preprocess.Resize;
import org.cropmae.runtime.propagation.AffinityBackend;
import org.cropmae.runtime.propagation.ComputePool;
import org.cropmae.runtime.propagation.LabelPropagator;
import org.cropmae.runtime.propagation.PropagationConfig;
import org.cropmae.runtime.tensor.FloatGrid;

/**
 * Propagates the object masks of a video's first frame to each later frame, streaming: memory does
 * not grow with the video.
 *
 * <p>Per frame, as the official evaluation (vos.py, test.py, convert_davis.py): the frame is
 * resized to the protocol size ({@link PropagationConfig#inputSize()}, e.g. 480x880 for DAVIS),
 * normalised with the encoder's mean/std and encoded to patch features {@code [H/p, W/p, D]}. The
 * first mask is resized to the protocol size with nearest neighbour, one-hot encoded over its
 * labels and resized bilinearly to the feature grid. Each later frame's soft labels are upsampled
 * bilinearly to the protocol size, arg-maxed into palette indices and resized back to the frame's
 * own size with nearest neighbour.
 *
 * <p>The propagation's affinity runs on ONNX Runtime ({@link OnnxAffinityBackend}, already present
 * for the encoder) unless another {@link AffinityBackend} is given.
 *
 * <p>Not thread-safe. The encoder and a given backend or pool are borrowed (not closed); what this
 * object creates (threads, ONNX Runtime affinity backend) is closed with it.
 */
public final class MaskPropagator implements AutoCloseable {
  private final FrameFeatures encoder;
  private final ImageNormalization normalization;
  private final PropagationConfig config;
  private final LabelSet labelSet;
  private final ImageSize frameSize;
  private final ImageSize inputSize;
  private final LabelPropagator propagator;
  private final FloatGrid firstLabels;
  /** The backend this object created and closes, or null when borrowed. */
  private final OnnxAffinityBackend ownedBackend;

  private MaskPropagator(FrameFeatures encoder, PropagationConfig config, RgbImage firstFrame, IndexMask firstMask,
      ComputePool pool, AffinityBackend backend, OnnxAffinityBackend ownedBackend) {
    this.ownedBackend = ownedBackend;
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    this.config = Objects.requireNonNull(config, "config");
    if (firstMask.height() != firstFrame.height() || firstMask.width() != firstFrame.width()) {
      throw new IllegalArgumentException("first mask is " + firstMask.height() + "x" + firstMask.width()
          + " but the first frame is " + firstFrame.height() + "x" + firstFrame.width() + " (height x width)");
    }
    this.normalization = encoder.normalization();
    this.frameSize = new ImageSize(firstFrame.height(), firstFrame.width());
    this.inputSize = config.inputSize().inputSize(frameSize.height(), frameSize.width());
    this.labelSet = LabelSet.of(firstMask);
    if (labelSet.channels() < 2) {
      // One label everywhere propagates to that label everywhere: a forgotten or wrong mask, not a video.
      throw new IllegalArgumentException("the first mask is " + (labelSet.label(0) == 0 ? "all background (index 0)"
          : "index " + labelSet.label(0) + " everywhere") + ": nothing to propagate; draw at least one object"
          + " on a background of index 0");
    }
    ImageSize grid = inputSize.featureGrid(encoder.patchSize());
    // Both checks from sizes alone, before the first frame is resized or encoded.
    encoder.checkFrame("frame 0 at input size " + inputSize, inputSize.height(), inputSize.width());
    encoder.budget().checkPropagation("video", config.contextLength(), grid.height(), grid.width(), encoder.featureDim(),
        labelSet.channels());
    IndexMask atInput = Resize.nearest(firstMask, inputSize.height(), inputSize.width());
    this.firstLabels = LabelSet.toFeatureGrid(labelSet.oneHot(atInput), grid.height(), grid.width());
    FloatGrid features = encode(firstFrame, 0);
    LabelPropagator.Builder builder = LabelPropagator.builder(config).backend(backend).budget(encoder.budget());
    if (pool != null) {
      builder.pool(pool);
    }
    this.propagator = builder.start(features, firstLabels);
  }

  /**
   * A builder for videos encoded by {@code encoder}.
   *
   * @param encoder the feature extractor (borrowed, not closed by the propagator)
   * @param config propagation parameters and protocol input size
   */
  public static Builder builder(OnnxEncoder encoder, PropagationConfig config) {
    return new Builder(FrameFeatures.of(Objects.requireNonNull(encoder, "encoder")), config);
  }

  /**
   * A builder for videos described by any feature extractor, for example {@link RawPatchFeatures}
   * as a baseline without a model.
   */
  public static Builder builder(FrameFeatures features, PropagationConfig config) {
    return new Builder(Objects.requireNonNull(features, "features"), config);
  }

  /**
   * Configures how a video is propagated: threads and affinity backend, both optional and borrowed
   * when given. Reusable: each {@link #start} begins a new video.
   */
  public static final class Builder {
    private final FrameFeatures features;
    private final PropagationConfig config;
    private ComputePool pool;
    private AffinityBackend backend;

    private Builder(FrameFeatures features, PropagationConfig config) {
      this.features = features;
      this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Runs the propagation on {@code pool} (borrowed; for example one pool shared by the videos of a
     * server). Default: a pool of all processors, created and closed by the propagator.
     */
    public Builder pool(ComputePool pool) {
      this.pool = Objects.requireNonNull(pool, "pool");
      return this;
    }

    /**
     * Computes the affinities on {@code backend} (borrowed: for example one {@link OnnxAffinityBackend}
     * shared by several videos, or {@link org.cropmae.runtime.propagation.JavaAffinityBackend#INSTANCE}).
     * Default: an {@link OnnxAffinityBackend} created and closed by the propagator.
     */
    public Builder backend(AffinityBackend backend) {
      this.backend = Objects.requireNonNull(backend, "backend");
      return this;
    }

    /**
     * Starts a video: checks the budget, encodes frame 0 and takes its mask's labels.
     *
     * @param firstFrame frame 0
     * @param firstMask the objects in frame 0, same size as the frame; its distinct indices are the
     *     labels propagated (0 is usually background)
     * @throws IllegalArgumentException when the mask and frame sizes differ, the mask has a single
     *     label, or the encoder rejects the frame
     * @throws org.cropmae.runtime.budget.BudgetExceededException when the video exceeds the
     *     encoder's compute budget (checked before anything is encoded)
     */
    public MaskPropagator start(RgbImage firstFrame, IndexMask firstMask) {
      if (backend != null) {
        return new MaskPropagator(features, config, firstFrame, firstMask, pool, backend, null);
      }
      OnnxAffinityBackend owned = OnnxAffinityBackend.create();
      try {
        return new MaskPropagator(features, config, firstFrame, firstMask, pool, owned, owned);
      } catch (RuntimeException e) {
        owned.close();
        throw e;
      }
    }
  }

  /** The labels being propagated (distinct indices of the first mask, ascending) and their palette. */
  public LabelSet labels() {
    return labelSet;
  }

  /** The size frames are resized to before encoding. */
  public ImageSize inputSize() {
    return inputSize;
  }

  /** The first frame's labels on the feature grid, {@code [h, w, C]}. */
  public FloatGrid firstLabels() {
    return firstLabels;
  }

  /** Index of the frame the next call to {@link #next} expects (frame 0 was given to {@link #start}). */
  public int nextFrameIndex() {
    return propagator.nextFrameIndex();
  }

  /**
   * The mask of the next frame.
   *
   * @param frame the next frame, the same size as the first
   * @return its mask, at the frame's size, with the first mask's palette
   */
  public IndexMask next(RgbImage frame) {
    return toMask(nextSoft(frame));
  }

  /**
   * The soft labels {@code [h, w, C]} of the next frame on the feature grid (channel {@code c} is
   * label {@code labels().label(c)}), for callers that want heat maps as well as masks.
   */
  public FloatGrid nextSoft(RgbImage frame) {
    int t = propagator.nextFrameIndex();
    if (frame.height() != frameSize.height() || frame.width() != frameSize.width()) {
      throw new IllegalArgumentException("frame " + t + " is " + frame.height() + "x" + frame.width()
          + " but the first frame is " + frameSize + " (height x width)");
    }
    return propagator.next(encode(frame, t));
  }

  /** Turns soft labels from {@link #nextSoft} into the frame-sized mask {@link #next} returns. */
  public IndexMask toMask(FloatGrid soft) {
    IndexMask atInput = labelSet.upsampleArgmax(soft, inputSize.height(), inputSize.width());
    return Resize.nearest(atInput, frameSize.height(), frameSize.width());
  }

  private FloatGrid encode(RgbImage frame, int t) {
    NormalizedImage x = normalization.apply(frame, inputSize);
    try {
      return encoder.features(x);
    } catch (BudgetExceededException e) {
      throw e;
    } catch (EngineException e) {
      // The engine's failure, not the frame's: it keeps its type (exit 3, HTTP 500).
      throw new EngineException("frame " + t + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("frame " + t + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      propagator.close();
    } finally {
      if (ownedBackend != null) {
        ownedBackend.close();
      }
    }
  }
}
