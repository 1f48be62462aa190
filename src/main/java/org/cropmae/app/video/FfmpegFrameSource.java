package org.cropmae.app.video;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.video.FrameSource;

/**
 * A {@link FrameSource} over FFmpeg (JavaCV's {@link FFmpegFrameGrabber}): any container and codec
 * the bundled FFmpeg decodes (MP4/H.264, WebM/VP8/VP9, AV1, MPEG-4, GIF, ...), from a file or from
 * bytes in memory. Frames are converted to RGB24 by FFmpeg and turned upright with the container's
 * display rotation.
 *
 * <p>{@link #open} reads the container header and opens the decoder (FFmpeg's stream probe may
 * decode the first frames to learn the stream's parameters); no frame is returned before
 * {@link #next()}, so callers check {@link #width()}, {@link #height()}, {@link #frameCount()} and
 * {@link #durationSeconds()} against their limits first.
 */
public final class FfmpegFrameSource implements FrameSource {
  static {
    FfmpegLog.quiet();
  }

  private final FFmpegFrameGrabber grabber;
  private final String name;
  private final int rotation;
  private final int width;
  private final int height;
  private long firstTimestamp = Long.MIN_VALUE;
  private double time = Double.NaN;

  private FfmpegFrameSource(FFmpegFrameGrabber grabber, String name) throws IOException {
    this.grabber = grabber;
    this.name = name;
    grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
    try {
      grabber.start();
    } catch (FrameGrabber.Exception | RuntimeException e) {
      closeQuietly(grabber);
      String why = oneLine(e);
      if (why.contains("Did not find a video or audio stream")) {
        throw new IOException(name + ": not a readable video (no video stream FFmpeg can decode: an unsupported codec, or audio only);"
            + " expected e.g. MP4 (H.264), WebM (VP8/VP9) or GIF");
      }
      throw new IOException(name + ": not a readable video (" + why + "); expected e.g. MP4 (H.264), WebM (VP8/VP9) or GIF");
    }
    if (!grabber.hasVideo() || grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
      closeQuietly(grabber);
      throw new IOException(name + ": has no video stream (audio only?); give a video file");
    }
    this.rotation = Rotation.normalize(-grabber.getDisplayRotation());
    boolean swap = rotation == 90 || rotation == 270;
    this.width = swap ? grabber.getImageHeight() : grabber.getImageWidth();
    this.height = swap ? grabber.getImageWidth() : grabber.getImageHeight();
  }

  /**
   * Opens a video file.
   *
   * @throws IOException when the file is missing or not a readable video, in one line naming it
   */
  public static FfmpegFrameSource open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such video file");
    }
    return new FfmpegFrameSource(new FFmpegFrameGrabber(file.toFile()), file.toString());
  }

  /**
   * Opens a video held in memory (nothing is written to disk).
   *
   * @param name how messages name it, e.g. {@code video/clip.mp4}
   * @throws IOException when the bytes are not a readable video, in one line naming it
   */
  public static FfmpegFrameSource open(byte[] bytes, String name) throws IOException {
    // ByteArrayInputStream supports mark/reset over everything, so FFmpeg can seek (MP4 keeps its index at the end).
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(new ByteArrayInputStream(bytes), bytes.length + 1);
    return new FfmpegFrameSource(g, name);
  }

  @Override
  public RgbImage next() throws IOException {
    Frame f;
    try {
      do {
        f = grabber.grabImage();
      } while (f != null && (f.image == null || f.image[0] == null));
    } catch (FrameGrabber.Exception | RuntimeException e) {
      throw new IOException(name + ": cannot decode the video (" + oneLine(e) + "); the file may be corrupt or truncated");
    }
    if (f == null) {
      return null;
    }
    if (firstTimestamp == Long.MIN_VALUE) {
      firstTimestamp = f.timestamp;
    }
    time = (f.timestamp - firstTimestamp) / 1e6;
    int w = f.imageWidth;
    int h = f.imageHeight;
    int stride = f.imageStride;
    ByteBuffer buf = (ByteBuffer) f.image[0];
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      buf.get(y * stride, rgb, y * w * 3, w * 3);
    }
    return Rotation.rotate(new RgbImage(w, h, rgb), rotation);
  }

  @Override
  public double time() {
    return time;
  }

  @Override
  public double frameRate() {
    double r = grabber.getVideoFrameRate();
    return Double.isFinite(r) && r > 0 ? r : 0;
  }

  @Override
  public int frameCount() {
    int n = grabber.getLengthInVideoFrames();
    return n > 0 ? n : -1;
  }

  @Override
  public double durationSeconds() {
    long us = grabber.getLengthInTime();
    return us > 0 ? us / 1e6 : Double.NaN;
  }

  @Override
  public int rotation() {
    return rotation;
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public int height() {
    return height;
  }

  /** Width of the frames as stored, before the rotation. */
  public int storedWidth() {
    return grabber.getImageWidth();
  }

  /** Height of the frames as stored, before the rotation. */
  public int storedHeight() {
    return grabber.getImageHeight();
  }

  /** FFmpeg's name of the video codec, e.g. {@code h264}. */
  public String codecName() {
    String c = grabber.getVideoCodecName();
    return c == null ? "unknown" : c;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void close() throws IOException {
    try {
      grabber.close();
    } catch (FrameGrabber.Exception e) {
      throw new IOException(name + ": closing the decoder failed (" + oneLine(e) + ")", e);
    }
  }

  private static void closeQuietly(FFmpegFrameGrabber g) {
    try {
      g.close();
    } catch (Exception e) {
      // already failing with a better message
    }
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    // JavaCV's hint about its log callback means nothing to a user (FFmpeg's log is off on purpose).
    m = m.replaceAll("\\s*\\(For more details, make sure FFmpegLogCallback\\.set\\(\\) has been called\\.\\)", "");
    return m.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
