package org.cropmae.app.video;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;
import org.cropmae.runtime.image.RgbImage;

/**
 * Encodes RGB frames into a video with FFmpeg (JavaCV's {@link FFmpegFrameRecorder}), streaming: one
 * frame is held at a time. Formats: MP4 (H.264, OpenH264 encoder, yuv420p: plays in browsers),
 * WebM (VP8) and GIF (3-3-2 RGB colours). MP4 and WebM need even sizes: an odd last row or column
 * is repeated once (the video is then one pixel larger than the frames).
 *
 * <p>Files are written atomically: frames go to a temporary sibling, {@link #finish()} renames it to
 * the target; {@link #close()} without {@code finish()} deletes it, so a failure leaves nothing
 * half-written. In-memory videos ({@link #inMemory}) are fragmented MP4 (no seeking needed).
 */
public final class VideoWriter implements AutoCloseable {
  static {
    FfmpegLog.quiet();
  }

  /** A container and codec this writer produces. */
  public enum Format {
    MP4("mp4", "video/mp4"), WEBM("webm", "video/webm"), GIF("gif", "image/gif");

    private final String extension;
    private final String mediaType;

    Format(String extension, String mediaType) {
      this.extension = extension;
      this.mediaType = mediaType;
    }

    /** File extension without the dot, e.g. {@code mp4}. */
    public String extension() {
      return extension;
    }

    /** Media type, e.g. {@code video/mp4}. */
    public String mediaType() {
      return mediaType;
    }

    /**
     * The format of a file name or a format name ({@code mp4}, {@code webm}, {@code gif}).
     *
     * @throws IllegalArgumentException for anything else, naming it
     */
    public static Format of(String nameOrExtension) {
      String s = nameOrExtension.toLowerCase(Locale.ROOT);
      int dot = s.lastIndexOf('.');
      String ext = dot >= 0 ? s.substring(dot + 1) : s;
      for (Format f : values()) {
        if (f.extension.equals(ext)) {
          return f;
        }
      }
      throw new IllegalArgumentException(nameOrExtension + ": unsupported video format; use .mp4, .webm or .gif");
    }
  }

  private final FFmpegFrameRecorder recorder;
  private final Format format;
  private final int width;
  private final int height;
  private final int videoWidth;
  private final int videoHeight;
  private final Path target;
  private final Path temp;
  private final ByteArrayOutputStream memory;
  private final Frame frame;
  private int frames;
  private boolean finished;
  private boolean closed;

  private VideoWriter(Format format, int width, int height, double fps, Path target, ByteArrayOutputStream memory,
      double displayRotation) throws IOException {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("video size must be positive, got " + width + "x" + height);
    }
    if (!(fps > 0) || !Double.isFinite(fps)) {
      throw new IllegalArgumentException("frame rate must be positive, got " + fps);
    }
    this.format = format;
    this.width = width;
    this.height = height;
    boolean even = format != Format.GIF;
    this.videoWidth = even ? width + (width & 1) : width;
    this.videoHeight = even ? height + (height & 1) : height;
    this.target = target;
    this.memory = memory;
    if (target != null) {
      Path dir = target.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      // Not Files.createTempFile (owner-only 0600): the renamed video gets the usual permissions, as AtomicFiles does.
      this.temp = Files.createFile(dir.resolve("." + target.getFileName() + "."
          + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36) + ".part"));
      this.recorder = new FFmpegFrameRecorder(temp.toFile(), videoWidth, videoHeight, 0);
    } else {
      this.temp = null;
      this.recorder = new FFmpegFrameRecorder(memory, videoWidth, videoHeight, 0);
      if (format == Format.MP4) {
        recorder.setOption("movflags", "frag_keyframe+empty_moov+default_base_moof");
      }
    }
    recorder.setFormat(format == Format.MP4 ? "mp4" : format == Format.WEBM ? "webm" : "gif");
    recorder.setFrameRate(fps);
    switch (format) {
      case MP4 -> {
        recorder.setVideoCodecName("libopenh264");
        recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      }
      case WEBM -> {
        recorder.setVideoCodec(avcodec.AV_CODEC_ID_VP8);
        recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        recorder.setVideoOption("deadline", "realtime");
        recorder.setVideoOption("cpu-used", "8");
      }
      case GIF -> {
        recorder.setVideoCodec(avcodec.AV_CODEC_ID_GIF);
        recorder.setPixelFormat(avutil.AV_PIX_FMT_RGB8);
      }
    }
    if (format != Format.GIF) {
      // About 0.15 bit per pixel: masks over a dimmed frame compress well.
      long bitrate = Math.max(200_000L, Math.round(videoWidth * (double) videoHeight * fps * 0.15));
      recorder.setVideoBitrate((int) Math.min(bitrate, 20_000_000L));
      recorder.setGopSize((int) Math.max(1, Math.round(fps * 2)));
    }
    if (displayRotation != 0) {
      recorder.setDisplayRotation(displayRotation);
    }
    try {
      recorder.start();
    } catch (FrameRecorder.Exception | RuntimeException e) {
      deleteTemp();
      throw new IOException((target != null ? target : "in-memory " + format.extension) + ": cannot start the "
          + format + " encoder (" + FfmpegFrameSource.oneLine(e) + ")", e);
    }
    this.frame = new Frame(videoWidth, videoHeight, Frame.DEPTH_UBYTE, 3);
  }

  /**
   * Starts a video file; its format comes from the extension ({@code .mp4}, {@code .webm}, {@code .gif}).
   *
   * @param width frame width in pixels
   * @param height frame height in pixels
   * @param fps frames per second, e.g. 12.5
   * @throws IllegalArgumentException for another extension
   */
  public static VideoWriter toFile(Path target, int width, int height, double fps) throws IOException {
    return new VideoWriter(Format.of(target.getFileName().toString()), width, height, fps, target, null, 0);
  }

  /** Starts a video in memory ({@link #finishBytes()} returns it); MP4 is fragmented. */
  public static VideoWriter inMemory(Format format, int width, int height, double fps) throws IOException {
    return new VideoWriter(format, width, height, fps, null, new ByteArrayOutputStream(), 0);
  }

  /**
   * As {@link #toFile}, with a display matrix that tells players to turn the frames
   * counter-clockwise by {@code displayRotation} degrees (FFmpeg's sign: -90 is what a phone records
   * for portrait video, shown turned 90 degrees clockwise); for tests that need a phone's video.
   */
  static VideoWriter toFileWithDisplayRotation(Path target, int width, int height, double fps, double displayRotation)
      throws IOException {
    return new VideoWriter(Format.of(target.getFileName().toString()), width, height, fps, target, null, displayRotation);
  }

  /** The container and codec. */
  public Format format() {
    return format;
  }

  /** Frames written so far. */
  public int frames() {
    return frames;
  }

  /**
   * Appends a frame.
   *
   * @param image {@code width x height} as given at creation
   */
  public void write(RgbImage image) throws IOException {
    if (image.width() != width || image.height() != height) {
      throw new IllegalArgumentException("video frame " + frames + " is " + image.width() + "x" + image.height()
          + " but the video is " + width + "x" + height + " (width x height)");
    }
    ByteBuffer buf = (ByteBuffer) frame.image[0];
    int stride = frame.imageStride;
    byte[] rgb = image.rgb();
    int row = width * 3;
    for (int y = 0; y < videoHeight; y++) {
      int sy = Math.min(y, height - 1);
      buf.put(y * stride, rgb, sy * row, row);
      if (videoWidth > width) {
        buf.put(y * stride + row, rgb, sy * row + row - 3, 3);
      }
    }
    try {
      recorder.record(frame, avutil.AV_PIX_FMT_RGB24);
    } catch (FrameRecorder.Exception | RuntimeException e) {
      throw new IOException((target != null ? target : "in-memory video") + ": encoding frame " + frames + " failed ("
          + FfmpegFrameSource.oneLine(e) + ")", e);
    }
    frames++;
  }

  /** Flushes the encoder and renames the temporary file to the target. */
  public void finish() throws IOException {
    if (memory != null) {
      throw new IllegalStateException("an in-memory video ends with finishBytes()");
    }
    stop();
    try {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    finished = true;
  }

  /** Flushes the encoder and returns the in-memory video. */
  public byte[] finishBytes() throws IOException {
    if (memory == null) {
      throw new IllegalStateException("a video file ends with finish()");
    }
    stop();
    finished = true;
    return memory.toByteArray();
  }

  private void stop() throws IOException {
    try {
      recorder.stop();
      recorder.release();
      closed = true;
    } catch (FrameRecorder.Exception | RuntimeException e) {
      throw new IOException((target != null ? target : "in-memory video") + ": finishing the video failed ("
          + FfmpegFrameSource.oneLine(e) + ")", e);
    }
  }

  /** Releases the encoder; without {@link #finish()} the temporary file is deleted and the target is untouched. */
  @Override
  public void close() throws IOException {
    try {
      if (!closed) {
        closed = true;
        recorder.release();
      }
    } catch (FrameRecorder.Exception e) {
      // releasing after a failure: the failure is what the caller reports
    } finally {
      frame.close();
      if (!finished) {
        deleteTemp();
      }
    }
  }

  private void deleteTemp() throws IOException {
    if (temp != null) {
      Files.deleteIfExists(temp);
    }
  }
}
