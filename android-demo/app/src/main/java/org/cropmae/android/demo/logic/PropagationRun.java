package org.cropmae.android.demo.logic;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.cropmae.runtime.propagation.ComputePool;
import org.cropmae.runtime.video.MaskPropagator;

/**
 * Propagates the painted first mask through the sampled frames on the calling (background)
 * thread, reporting each mask as it is ready and stopping between frames when cancelled. The
 * activity runs it on an executor and forwards the reports to the UI thread.
 */
public final class PropagationRun {
  private PropagationRun() {}

  /** Told after each frame, on the propagation thread. */
  @FunctionalInterface
  public interface Listener {
    /**
     * @param frame index of the frame whose mask is ready (0 is the painted one)
     * @param total number of frames
     * @param mask the frame's mask
     */
    void onMask(int frame, int total, IndexMask mask);
  }

  /**
   * Runs the propagation.
   *
   * @param encoder the opened encoder (borrowed, not closed)
   * @param settings input size and threads ({@link RunSettings#propagationConfig()})
   * @param frames the sampled frames, at least 1, all the size of the first
   * @param firstMask the painted mask of frame 0, its size, with at least one object
   * @param listener told after each frame; may be {@code null}
   * @param cancelled polled before each frame; {@code true} stops the run
   * @return one mask per frame, the first being {@code firstMask}
   * @throws IllegalArgumentException when the frames are missing, the mask has no object or its
   *     size differs from the frames', or {@code longerSide} is not a multiple of the patch size
   * @throws CancellationException when {@code cancelled} turned true
   */
  public static List<IndexMask> run(OnnxEncoder encoder, RunSettings settings, List<RgbImage> frames, IndexMask firstMask,
      Listener listener, BooleanSupplier cancelled) {
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("frames is empty: decode a video first");
    }
    RgbImage first = frames.get(0);
    if (firstMask.width() != first.width() || firstMask.height() != first.height()) {
      throw new IllegalArgumentException("the mask is " + firstMask.height() + "x" + firstMask.width()
          + " but the frames are " + first.height() + "x" + first.width() + " (height x width)");
    }
    if (firstMask.maxIndex() == 0) {
      throw new IllegalArgumentException("the first mask has no object: paint at least one");
    }
    int patch = encoder.info().patchSize();
    if (settings.longerSide() % patch != 0) {
      throw new IllegalArgumentException("longerSide " + settings.longerSide() + " is not a multiple of the encoder's patch size "
          + patch);
    }
    List<IndexMask> masks = new ArrayList<>(frames.size());
    masks.add(firstMask);
    if (listener != null) {
      listener.onMask(0, frames.size(), firstMask);
    }
    try (ComputePool pool = ComputePool.create(settings.threads());
        MaskPropagator video = MaskPropagator.builder(encoder, settings.propagationConfig()).pool(pool).start(first, firstMask)) {
      for (int t = 1; t < frames.size(); t++) {
        if (cancelled.getAsBoolean()) {
          throw new CancellationException("propagation cancelled at frame " + t + " of " + frames.size());
        }
        IndexMask mask = video.next(frames.get(t));
        masks.add(mask);
        if (listener != null) {
          listener.onMask(t, frames.size(), mask);
        }
      }
    }
    return masks;
  }
}
