package org.cropmae.app.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.cropmae.runtime.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link VideoWriter} and {@link FfmpegFrameSource}: what is written is read back with its size, rate and content. */
class VideoRoundTripTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"mp4", "webm", "gif"})
  void writesAndReadsBackFramesSizeAndRate(String ext) throws IOException {
    Path file = TestVideos.write(tmp.resolve("clip." + ext), 160, 96, 10, 10, 4);
    try (Stream<Path> files = Files.list(tmp)) {
      assertEquals(1, files.count(), "no temporary file left next to the video");
    }
    try (FfmpegFrameSource src = FfmpegFrameSource.open(file)) {
      assertEquals(160, src.width());
      assertEquals(96, src.height());
      assertEquals(0, src.rotation());
      assertEquals(10.0, src.frameRate(), 0.01);
      int n = 0;
      double err = 0;
      for (RgbImage f = src.next(); f != null; f = src.next()) {
        assertEquals(160, f.width());
        assertEquals(96, f.height());
        err = Math.max(err, meanAbsDiff(f, TestVideos.frame(160, 96, n, 4)));
        assertEquals(n / 10.0, src.time(), 0.011, "time of frame " + n);
        n++;
      }
      assertEquals(10, n);
      // Lossy codecs (GIF: 3-3-2 colours) stay close to the source.
      assertTrue(err < (ext.equals("gif") ? 24 : 8), "mean abs difference " + err);
    }
  }

  @Test
  void rotatedVideoIsPresentedUpright() throws IOException {
    // Stored 160x96 with a display matrix saying "turn 90 degrees clockwise" (as a phone stores portrait video).
    Path file = tmp.resolve("rotated.mp4");
    RgbImage stored = TestVideos.frame(160, 96, 0, 4);
    try (VideoWriter w = VideoWriter.toFileWithDisplayRotation(file, 160, 96, 5, -90)) {
      w.write(stored);
      w.write(stored);
      w.finish();
    }
    try (FfmpegFrameSource src = FfmpegFrameSource.open(file)) {
      assertEquals(90, src.rotation());
      assertEquals(96, src.width());
      assertEquals(160, src.height());
      RgbImage f = src.next();
      assertEquals(96, f.width());
      assertEquals(160, f.height());
      assertTrue(meanAbsDiff(f, Rotation.rotate(stored, 90)) < 8, "frame is the stored one turned clockwise");
    }
  }

  @Test
  void corruptTruncatedAndEmptyInputsFailInOneLineNamingThem() throws IOException {
    Path good = TestVideos.write(tmp.resolve("good.mp4"), 160, 96, 10, 10, 4);
    byte[] bytes = Files.readAllBytes(good);
    Path truncated = tmp.resolve("truncated.mp4");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    Path garbage = tmp.resolve("garbage.mp4");
    Files.write(garbage, "this is not a video at all".repeat(50).getBytes());
    for (Path p : new Path[] {truncated, garbage}) {
      IOException e = assertThrows(IOException.class, () -> {
        try (FfmpegFrameSource s = FfmpegFrameSource.open(p)) {
          while (s.next() != null) {
            // decode all
          }
        }
      });
      assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
    IOException missing = assertThrows(IOException.class, () -> FfmpegFrameSource.open(tmp.resolve("none.mp4")));
    assertTrue(missing.getMessage().contains("none.mp4"), missing.getMessage());
  }

  @Test
  void inMemoryMp4DecodesFromBytes() throws IOException {
    byte[] mp4;
    try (VideoWriter w = VideoWriter.inMemory(VideoWriter.Format.MP4, 160, 96, 12.5)) {
      for (int t = 0; t < 6; t++) {
        w.write(TestVideos.frame(160, 96, t, 4));
      }
      mp4 = w.finishBytes();
    }
    try (FfmpegFrameSource src = FfmpegFrameSource.open(mp4, "overlay.mp4")) {
      assertEquals(12.5, src.frameRate(), 0.01);
      int n = 0;
      while (src.next() != null) {
        n++;
      }
      assertEquals(6, n);
    }
  }

  @Test
  void failedWriteLeavesNoFile() throws IOException {
    Path out = tmp.resolve("half.mp4");
    try (VideoWriter w = VideoWriter.toFile(out, 160, 96, 10)) {
      w.write(TestVideos.frame(160, 96, 0, 4));
      assertThrows(IllegalArgumentException.class, () -> w.write(TestVideos.frame(96, 96, 0, 4)));
    }
    try (Stream<Path> files = Files.list(tmp)) {
      assertEquals(0, files.count());
    }
  }

  static double meanAbsDiff(RgbImage a, RgbImage b) {
    assertEquals(a.width(), b.width());
    assertEquals(a.height(), b.height());
    long s = 0;
    for (int i = 0; i < a.rgb().length; i++) {
      s += Math.abs((a.rgb()[i] & 0xFF) - (b.rgb()[i] & 0xFF));
    }
    return s / (double) a.rgb().length;
  }
}
