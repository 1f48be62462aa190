package org.cropmae.android.demo.logic;

import java.util.Arrays;

/**
 * Which frames of a video to decode: at most {@code maxFps} frames per second, at most
 * {@code maxFrames} frames, from the start of the video.
 *
 * <p>A long video is cut, not thinned: propagation follows objects from frame to frame, so the
 * spacing between frames must stay what the user chose; only the first {@code maxFrames} samples
 * are kept. Immutable.
 *
 * @param maxFps sampling rate cap in frames per second, finite and positive
 * @param maxFrames the most frames kept, at least 2 (a first frame and one to propagate to)
 */
public record FrameSampling(double maxFps, int maxFrames) {

  public FrameSampling {
    if (!(maxFps > 0) || Double.isInfinite(maxFps)) {
      throw new IllegalArgumentException("maxFps must be finite and positive, got " + maxFps);
    }
    if (maxFrames < 2) {
      throw new IllegalArgumentException("maxFrames must be at least 2, got " + maxFrames);
    }
  }

  /**
   * Presentation times to extract with {@code MediaMetadataRetriever.getFrameAtTime}: {@code k / maxFps}
   * seconds (rounded to the microsecond) for {@code k = 0, 1, ...} while before the end of the video.
   *
   * @param durationUs the video's duration in microseconds, positive
   * @return ascending times in microseconds, the first 0, at most {@link #maxFrames()} of them
   * @throws IllegalArgumentException when {@code durationUs} is not positive
   */
  public long[] timesUs(long durationUs) {
    if (durationUs <= 0) {
      throw new IllegalArgumentException("durationUs must be positive, got " + durationUs);
    }
    // k / fps < duration  <=>  k < duration * fps; computed per k to avoid accumulating rounding.
    long[] out = new long[maxFrames];
    int n = 0;
    while (n < maxFrames) {
      long t = Math.round(n * 1_000_000.0 / maxFps);
      if (t >= durationUs) {
        break;
      }
      out[n++] = t;
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * Frame indices to extract with {@code MediaMetadataRetriever.getFrameAtIndex} (API 28+), for a
   * video of {@code frameCount} frames lasting {@code durationUs}: the frame shown at each of
   * {@link #timesUs(long)}, assuming a constant frame rate of {@code frameCount / duration}. When the
   * video has fewer frames per second than {@code maxFps}, every frame is taken once.
   *
   * @param frameCount number of frames in the video, positive
   * @param durationUs the video's duration in microseconds, positive
   * @return strictly ascending indices below {@code frameCount}, the first 0, at most {@link #maxFrames()}
   * @throws IllegalArgumentException when {@code frameCount} or {@code durationUs} is not positive
   */
  public int[] frameIndices(int frameCount, long durationUs) {
    if (frameCount <= 0) {
      throw new IllegalArgumentException("frameCount must be positive, got " + frameCount);
    }
    long[] times = timesUs(durationUs);
    int[] out = new int[times.length];
    int n = 0;
    for (long t : times) {
      // Frame i is shown during [i, i + 1) * duration / frameCount; the tiny epsilon keeps a time
      // that lands exactly on a frame boundary from falling into the previous frame by rounding.
      int i = (int) Math.min(frameCount - 1L, (long) Math.floor((double) t * frameCount / durationUs + 1e-9));
      if (n == 0 || i > out[n - 1]) {
        out[n++] = i;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * Frame indices as presentation times, for playing sampled frames back at their pace: index
   * {@code i} of a {@code frameCount}-frame video lasting {@code durationUs} starts at
   * {@code i * durationUs / frameCount} microseconds.
   */
  public static long[] indexTimesUs(int[] indices, int frameCount, long durationUs) {
    if (frameCount <= 0) {
      throw new IllegalArgumentException("frameCount must be positive, got " + frameCount);
    }
    if (durationUs <= 0) {
      throw new IllegalArgumentException("durationUs must be positive, got " + durationUs);
    }
    long[] out = new long[indices.length];
    for (int k = 0; k < indices.length; k++) {
      if (indices[k] < 0 || indices[k] >= frameCount) {
        throw new IllegalArgumentException("indices[" + k + "] = " + indices[k] + " is outside 0.." + (frameCount - 1));
      }
      out[k] = Math.round((double) indices[k] * durationUs / frameCount);
    }
    return out;
  }

  /**
   * How long each frame stays on screen when sampled frames are played back, in milliseconds: the
   * mean spacing of {@code timesUs}, at least 1 ms; {@code fallbackMs} for fewer than two frames.
   */
  public static long playbackIntervalMs(long[] timesUs, long fallbackMs) {
    if (timesUs.length < 2) {
      return fallbackMs;
    }
    long span = timesUs[timesUs.length - 1] - timesUs[0];
    return Math.max(1, Math.round(span / 1000.0 / (timesUs.length - 1)));
  }
}
