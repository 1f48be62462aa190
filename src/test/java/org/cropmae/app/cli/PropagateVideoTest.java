package org.cropmae.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.cropmae.app.video.FfmpegFrameSource;
import org.cropmae.app.video.Rotation;
import org.cropmae.app.video.TestVideos;
import org.cropmae.app.video.VideoWriter;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.PalettePng;
import org.cropmae.runtime.preprocess.ProtocolSize;
import org.cropmae.runtime.propagation.ComputePool;
import org.cropmae.runtime.propagation.JavaAffinityBackend;
import org.cropmae.runtime.propagation.PropagationConfig;
import org.cropmae.runtime.video.MaskPropagator;
import org.cropmae.runtime.video.RawPatchFeatures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cropmae propagate --video}: an MP4 encoded in the test (a red square moving right over a
 * texture), masks and overlay video checked. The no-model baseline (--raw-patches) keeps it quick;
 * the masks must equal {@link MaskPropagator} run on the same decoded frames.
 */
class PropagateVideoTest {
  private static final int W = 160;
  private static final int H = 96;
  private static final int STEP = 3;
  @TempDir Path tmp;

  private String[] args(Path video, Path mask, Path out, String... extra) {
    List<String> a = new ArrayList<>(List.of("propagate", "--raw-patches", "16", "--video", video.toString(),
        "--mask", mask.toString(), "--out", out.toString(), "--affinity", "java"));
    a.addAll(List.of(extra));
    if (!a.contains("--input-size")) {
      a.addAll(List.of("--input-size", H + "x" + W));
    }
    return a.toArray(String[]::new);
  }

  @Test
  void propagatesThroughAnMp4AndWritesAnOverlayVideo() throws Exception {
    Path video = TestVideos.write(tmp.resolve("clip.mp4"), W, H, 20, 10, STEP);
    Path mask = tmp.resolve("first.png");
    PalettePng.write(mask, TestVideos.square(W, H, 0, STEP));
    Path out = tmp.resolve("masks");
    Path overlay = tmp.resolve("overlay.mp4");
    Cli.Result r = Cli.run(args(video, mask, out, "--overlay", overlay.toString()));
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("wrote 20 masks"), r.out());

    // Exactly what MaskPropagator computes on the decoded frames.
    List<IndexMask> want = new ArrayList<>();
    try (FfmpegFrameSource src = FfmpegFrameSource.open(video);
        ComputePool pool = ComputePool.create(1)) {
      RgbImage first = src.next();
      PropagationConfig config = PropagationConfig.davis().withInputSize(new ProtocolSize.Fixed(H, W));
      try (MaskPropagator p = MaskPropagator.builder(new RawPatchFeatures(16), config).pool(pool)
          .backend(JavaAffinityBackend.INSTANCE).start(first, PalettePng.read(mask))) {
        want.add(PalettePng.read(mask));
        for (RgbImage f = src.next(); f != null; f = src.next()) {
          want.add(p.next(f));
        }
      }
    }
    assertEquals(20, want.size());
    for (int t = 0; t < 20; t++) {
      IndexMask got = PalettePng.read(out.resolve(String.format(Locale.ROOT, "%05d.png", t)));
      assertArrayEquals(want.get(t).indices(), got.indices(), "mask of frame " + t);
    }
    // And it follows the square (the video is lossy, the baseline crude: IoU, not equality).
    double iou = iou(PalettePng.read(out.resolve("00019.png")), TestVideos.square(W, H, 19, STEP));
    assertTrue(iou > 0.5, "IoU of the last mask with the square: " + iou);

    assertVideo(overlay, 20, W, H, 10.0);
  }

  @Test
  void everyStartEndAndMaskFrameSelectFramesAndRate() throws Exception {
    Path video = TestVideos.write(tmp.resolve("clip.mp4"), W, H, 20, 10, STEP);
    Path mask = tmp.resolve("at7.png");
    PalettePng.write(mask, TestVideos.square(W, H, 7, STEP));
    Path out = tmp.resolve("masks");
    Path overlay = tmp.resolve("overlay.webm");
    // Frames at 0.5 s .. < 1.5 s are 5..14; every 2nd: 5, 7, 9, 11, 13; the mask is on the 2nd of those (7).
    Cli.Result r = Cli.run(args(video, mask, out, "--every", "2", "--start", "0.5s", "--end", "1.5s", "--mask-frame", "1",
        "--overlay", overlay.toString()));
    assertEquals(0, r.exitCode(), r.err());
    try (Stream<Path> s = Files.list(out)) {
      assertEquals(List.of("00007.png", "00009.png", "00011.png", "00013.png"),
          s.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertArrayEquals(TestVideos.square(W, H, 7, STEP).indices(), PalettePng.read(out.resolve("00007.png")).indices());
    assertVideo(overlay, 4, W, H, 5.0);

    // Frame numbers and --max-frames.
    Path out2 = tmp.resolve("masks2");
    PalettePng.write(mask, TestVideos.square(W, H, 4, STEP));
    Cli.Result r2 = Cli.run(args(video, mask, out2, "--start", "4", "--max-frames", "3"));
    assertEquals(0, r2.exitCode(), r2.err());
    try (Stream<Path> s = Files.list(out2)) {
      assertEquals(List.of("00004.png", "00005.png", "00006.png"), s.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void rotatedVideoTakesTheDisplayedOrStoredSizeAndRefusesOthers() throws Exception {
    Path video = tmp.resolve("portrait.mp4");
    try (VideoWriter w = TestVideos.rotated(video, W, H, 5, -90)) {
      for (int t = 0; t < 4; t++) {
        w.write(TestVideos.frame(W, H, t, STEP));
      }
      w.finish();
    }
    IndexMask stored = TestVideos.square(W, H, 0, STEP);
    Path upright = tmp.resolve("upright.png");
    PalettePng.write(upright, Rotation.rotate(stored, 90));
    Path out = tmp.resolve("a");
    Cli.Result r = Cli.run(args(video, upright, out, "--input-size", W + "x" + H));
    assertEquals(0, r.exitCode(), r.err());
    IndexMask m0 = PalettePng.read(out.resolve("00000.png"));
    assertEquals(W, m0.height(), "masks are upright: taller than wide");
    assertEquals(H, m0.width());

    Path storedFile = tmp.resolve("stored.png");
    PalettePng.write(storedFile, stored);
    Path out2 = tmp.resolve("b");
    Cli.Result r2 = Cli.run(args(video, storedFile, out2, "--input-size", W + "x" + H));
    assertEquals(0, r2.exitCode(), r2.err());
    assertArrayEquals(m0.indices(), PalettePng.read(out2.resolve("00000.png")).indices(), "a stored-size mask is turned like the frames");

    Path wrong = tmp.resolve("wrong.png");
    PalettePng.write(wrong, TestVideos.square(W + 16, H, 0, STEP));
    Path out3 = tmp.resolve("c");
    Path overlay = tmp.resolve("c.mp4");
    Cli.Result bad = Cli.run(args(video, wrong, out3, "--input-size", W + "x" + H, "--overlay", overlay.toString()));
    assertEquals(1, bad.exitCode());
    assertEquals(1, bad.errLines(), bad.err());
    assertTrue(bad.err().contains(wrong.toString()) && bad.err().contains("160x96"), bad.err());
    assertFalse(Files.exists(overlay));
    assertFalse(Files.exists(out3), "no output folder for a refused mask");
  }

  @Test
  void badVideosFailInOneLineNamingThem() throws Exception {
    Path mask = tmp.resolve("first.png");
    PalettePng.write(mask, TestVideos.square(W, H, 0, STEP));
    Path good = TestVideos.write(tmp.resolve("good.mp4"), W, H, 6, 10, STEP);
    byte[] bytes = Files.readAllBytes(good);
    Path truncated = tmp.resolve("truncated.mp4");
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 3));
    Path text = tmp.resolve("notes.mp4");
    Files.writeString(text, "not a video\n".repeat(100));
    Path empty = tmp.resolve("empty.mp4");
    try (VideoWriter w = VideoWriter.toFile(empty, W, H, 10)) {
      w.finish();
    }
    Path codec = tmp.resolve("codec.mp4");
    Files.write(codec, TestVideos.unsupportedCodec(tmp));
    for (Path v : List.of(truncated, text, empty, codec, tmp.resolve("missing.mp4"))) {
      Path overlay = tmp.resolve("o-" + v.getFileName());
      Cli.Result r = Cli.run(args(v, mask, tmp.resolve("out-" + v.getFileName()), "--overlay", overlay.toString()));
      assertEquals(1, r.exitCode(), v + ": " + r.err());
      assertEquals(1, r.errLines(), r.err());
      assertTrue(r.err().contains(v.toString()), r.err());
      assertFalse(Files.exists(overlay), "no overlay for " + v);
      assertFalse(Files.exists(tmp.resolve("out-" + v.getFileName())), "no output folder for " + v);
    }
    Cli.Result c = Cli.run(args(codec, mask, tmp.resolve("y")));
    assertTrue(c.err().contains("unsupported codec"), c.err());
    Cli.Result ext = Cli.run(args(good, mask, tmp.resolve("x"), "--overlay", tmp.resolve("o.avi").toString()));
    assertEquals(1, ext.exitCode());
    assertTrue(ext.err().contains("o.avi") && ext.err().contains(".mp4"), ext.err());
  }

  static void assertVideo(Path file, int frames, int width, int height, double fps) throws Exception {
    try (FfmpegFrameSource src = FfmpegFrameSource.open(file)) {
      assertEquals(width, src.width(), file + " width");
      assertEquals(height, src.height(), file + " height");
      assertEquals(fps, src.frameRate(), 0.01, file + " frame rate");
      int n = 0;
      for (RgbImage f = src.next(); f != null; f = src.next()) {
        assertEquals(width, f.width());
        n++;
      }
      assertEquals(frames, n, file + " frames");
    }
  }

  static double iou(IndexMask a, IndexMask b) {
    int inter = 0, union = 0;
    for (int i = 0; i < a.indices().length; i++) {
      boolean x = a.indices()[i] != 0, y = b.indices()[i] != 0;
      inter += x && y ? 1 : 0;
      union += x || y ? 1 : 0;
    }
    return union == 0 ? 1 : inter / (double) union;
  }
}
