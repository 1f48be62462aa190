package org.cropmae.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.PalettePng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cropmae demo}: the synthetic clip's J&F line as before, plus the real clip's masks and overlay video. */
class DemoCommandTest {
  @TempDir Path tmp;

  @Test
  void writesTheSyntheticScoresAndTheRealClipsOverlayVideo() throws Exception {
    Cli.Result r = Cli.run("demo", "--out", tmp.toString(), "--device", "cpu");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("J&F-Mean"), r.out());
    assertTrue(r.out().contains("real clip cockatoo.mp4: 40 frames"), r.out());
    Path dir = tmp.resolve("cockatoo");
    PropagateVideoTest.assertVideo(dir.resolve("overlay.mp4"), 40, 448, 256, 10.0);
    try (Stream<Path> s = Files.list(dir.resolve("masks"))) {
      assertEquals(40, s.count());
    }
    assertTrue(Files.isRegularFile(dir.resolve("overlay-00030.png")));
    // The bird hardly moves between frames 0 and 1: the propagated mask stays on the drawn one.
    IndexMask m0 = PalettePng.read(dir.resolve("masks/00000.png"));
    IndexMask m1 = PalettePng.read(dir.resolve("masks/00001.png"));
    double iou = PropagateVideoTest.iou(m0, m1);
    assertTrue(iou > 0.7, "IoU of frames 0 and 1: " + iou);
  }
}
