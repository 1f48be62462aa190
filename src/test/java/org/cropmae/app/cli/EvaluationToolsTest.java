package org.cropmae.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.PalettePng;
import org.cropmae.runtime.onnx.EncoderOptions;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tools behind the bundled model's evaluation: synthetic clips, raw-patch features, initial weights. */
class EvaluationToolsTest {
  @TempDir Path dir;

  static Path demoFrames() throws URISyntaxException {
    return Path.of(EvaluationToolsTest.class.getResource("/org/cropmae/app/demo/frames").toURI());
  }

  private Cli.Result clips(Path out, long seed) throws URISyntaxException {
    return Cli.run("synthesize-clips", "--photos", demoFrames().toString(), "--out", out.toString(), "--count", "2",
        "--frames", "4", "--size", "64x96", "--seed", Long.toString(seed));
  }

  @Test
  void clipsAreDeterministicAndLabelled() throws Exception {
    assertEquals(0, clips(dir.resolve("a"), 5).exitCode());
    assertEquals(0, clips(dir.resolve("b"), 5).exitCode());
    assertEquals(0, clips(dir.resolve("c"), 6).exitCode());
    assertEquals(List.of("clip-00", "clip-01"), Files.readAllLines(dir.resolve("a/ImageSets/2017/val.txt")));
    List<Path> files = listFiles(dir.resolve("a"));
    assertEquals(1 + 2 * 4 * 2, files.size());
    boolean anyDifferent = false;
    for (Path f : files) {
      Path rel = dir.resolve("a").relativize(f);
      assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(dir.resolve("b").resolve(rel)), rel + " differs for one seed");
      if (!rel.toString().endsWith(".txt")) {
        anyDifferent |= !java.util.Arrays.equals(Files.readAllBytes(f), Files.readAllBytes(dir.resolve("c").resolve(rel)));
      }
    }
    assertTrue(anyDifferent, "another seed gives other clips");
    IndexMask first = PalettePng.read(dir.resolve("a/Annotations/480p/clip-00/00000.png"));
    assertEquals(64, first.height());
    assertEquals(96, first.width());
    int[] counts = new int[256];
    for (byte b : first.indices()) {
      counts[b & 0xff]++;
    }
    assertTrue(counts[1] > 0 && counts[2] > 0 && counts[0] > 0, "background and both objects in frame 0");
    assertEquals(64 * 96, counts[0] + counts[1] + counts[2], "no label other than 0, 1, 2");
  }

  @Test
  void rawPatchesPropagateWithoutAModel() throws Exception {
    assertEquals(0, clips(dir.resolve("c"), 5).exitCode());
    Path seq = dir.resolve("c/JPEGImages/480p/clip-00");
    Cli.Result r = Cli.run("propagate", "--raw-patches", "16", "--frames", seq.toString(), "--mask",
        dir.resolve("c/Annotations/480p/clip-00/00000.png").toString(), "--out", dir.resolve("out").toString());
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(4, listFiles(dir.resolve("out")).size());
    assertEquals(64, PalettePng.read(dir.resolve("out/00003.png")).height());
    Cli.Result both = Cli.run("propagate", "--raw-patches", "16", "--model", "x.onnx", "--frames", seq.toString(),
        "--mask", "m.png", "--out", dir.resolve("o2").toString());
    assertEquals(2, both.exitCode(), "--model and --raw-patches are exclusive");
  }

  @Test
  void initialEncoderIsSeededAndValid() throws Exception {
    Path a = dir.resolve("a.onnx");
    Path b = dir.resolve("b.onnx");
    Path c = dir.resolve("c.onnx");
    assertEquals(0, Cli.run("export", "--initial", "tiny", "--seed", "3", "--out", a.toString()).exitCode());
    assertEquals(0, Cli.run("export", "--initial", "tiny", "--seed", "3", "--out", b.toString()).exitCode());
    assertEquals(0, Cli.run("export", "--initial", "tiny", "--seed", "4", "--out", c.toString()).exitCode());
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(c)));
    try (OnnxEncoder e = OnnxEncoder.open(a, EncoderOptions.defaults().withExecutionProvider(EncoderOptions.ExecutionProvider.CPU).withThreads(1, 1))) {
      assertEquals(128, e.info().embedDim());
    }
    Cli.Result bad = Cli.run("export", "--initial", "vitx", "--out", dir.resolve("d.onnx").toString());
    assertEquals(1, bad.exitCode());
    assertEquals(1, bad.errLines(), bad.err());
    assertTrue(bad.err().contains("vitx"), bad.err());
    assertFalse(Files.exists(dir.resolve("d.onnx")));
  }

  private static List<Path> listFiles(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
