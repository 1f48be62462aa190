package org.cropmae.runtime.video;

import java.io.IOException;
import org.cropmae.runtime.image.RgbImage;

/**
 * The frames of a video, decoded one at a time (streaming: a source holds one decoded frame, not
 * the video). Frames are presented upright: a rotation recorded in the container (phones store
 * portrait video as landscape with a display rotation) is already applied, so {@link #width()} and
 * {@link #height()} are the displayed size and every frame has it.
 *
 * <p>Platform-neutral: desktop and server code decode with FFmpeg ({@code org.cropmae.app.video}
 * in the application), Android with its own decoder. Not thread-safe.
 */
public interface FrameSource extends AutoCloseable {

  /**
   * The next frame, upright, {@link #width()} x {@link #height()} pixels, or {@code null} after the
   * last one.
   *
   * @throws IOException when the stream is corrupt or truncated, naming the source
   */
  RgbImage next() throws IOException;

  /**
   * Presentation time of the frame the last {@link #next()} returned, in seconds from the first
   * frame of the stream (0 for it); {@code NaN} before the first call.
   */
  double time();

  /** Frames per second the container declares (e.g. 25.0 or 29.97); {@code 0} when unknown. */
  double frameRate();

  /** Number of frames the container declares, or {@code -1} when it does not say. */
  int frameCount();

  /** Duration the container declares, in seconds, or {@code NaN} when it does not say. */
  double durationSeconds();

  /** Clockwise rotation in degrees (0, 90, 180 or 270) applied to the stored frames to present them upright. */
  int rotation();

  /** Displayed (upright) width in pixels. */
  int width();

  /** Displayed (upright) height in pixels. */
  int height();

  /** How messages name this source, e.g. the file name. */
  String name();

  @Override
  void close() throws IOException;
}
