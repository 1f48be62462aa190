package org.cropmae.app.video;

import java.io.IOException;
import java.nio.file.Path;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.Palette;

/**
 * Generated test videos: a textured background with a red square moving right by {@code step}
 * pixels a frame, encoded with {@link VideoWriter}; {@link #square} is its exact mask.
 */
public final class TestVideos {
  public static final int SQUARE = 48;

  private TestVideos() {}

  /** Frame {@code t}: the square's top-left corner at ({@code 16 + t * step}, {@code height/3}). */
  public static RgbImage frame(int width, int height, int t, int step) {
    byte[] rgb = new byte[width * height * 3];
    int x0 = 16 + t * step;
    int y0 = height / 3;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = (y * width + x) * 3;
        boolean in = x >= x0 && x < x0 + SQUARE && y >= y0 && y < y0 + SQUARE;
        if (in) {
          rgb[i] = (byte) 230;
          rgb[i + 1] = (byte) 30;
          rgb[i + 2] = (byte) 30;
        } else {
          // a smooth, static texture (compresses well, gives features something to hold on to)
          int v = 60 + ((x / 16 + y / 16) % 2) * 40 + (x * 40 / width);
          rgb[i] = (byte) v;
          rgb[i + 1] = (byte) (v + 20);
          rgb[i + 2] = (byte) (v + 40);
        }
      }
    }
    return new RgbImage(width, height, rgb);
  }

  /** The square of frame {@code t} as a one-object mask (index 1), DAVIS palette. */
  public static IndexMask square(int width, int height, int t, int step) {
    byte[] m = new byte[width * height];
    int x0 = 16 + t * step;
    int y0 = height / 3;
    for (int y = y0; y < Math.min(height, y0 + SQUARE); y++) {
      for (int x = Math.max(0, x0); x < Math.min(width, x0 + SQUARE); x++) {
        m[y * width + x] = 1;
      }
    }
    return new IndexMask(height, width, m, Palette.DAVIS);
  }

  /** A writer whose file carries a display rotation (FFmpeg's sign: -90 = shown turned 90 degrees clockwise). */
  public static VideoWriter rotated(Path file, int width, int height, double fps, double displayRotation) throws IOException {
    return VideoWriter.toFileWithDisplayRotation(file, width, height, fps, displayRotation);
  }

  /**
   * An MP4 whose video track names a codec no decoder knows (its sample entry {@code avc1} renamed
   * {@code zzzz}): the container opens, the codec does not.
   */
  public static byte[] unsupportedCodec(Path dir) throws IOException {
    byte[] b = java.nio.file.Files.readAllBytes(write(dir.resolve("to-break.mp4"), 160, 96, 5, 10, 3));
    String s = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    int i = s.indexOf("avc1", s.indexOf("stsd"));
    if (i < 0) {
      throw new IllegalStateException("no avc1 sample entry in the test MP4");
    }
    b[i] = 'z';
    b[i + 1] = 'z';
    b[i + 2] = 'z';
    b[i + 3] = 'z';
    return b;
  }

  /** Writes {@code frames} frames of {@link #frame} at {@code fps} to {@code file} (format from its extension). */
  public static Path write(Path file, int width, int height, int frames, double fps, int step) throws IOException {
    try (VideoWriter w = VideoWriter.toFile(file, width, height, fps)) {
      for (int t = 0; t < frames; t++) {
        w.write(frame(width, height, t, step));
      }
      w.finish();
    }
    return file;
  }
}
