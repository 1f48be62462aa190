package org.cropmae.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.trainer.checkpoint.TorchCheckpoint;
import org.cropmae.trainer.export.EncoderArchitecture;
import org.cropmae.trainer.export.Onnx;
import org.cropmae.trainer.export.OnnxEncoderExporter;
import org.cropmae.trainer.export.OnnxWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cropmae visualize reconstruction|attention} on the official reference checkpoint (or its
 * ONNX export) and a demo frame.
 */
class VisualizeCommandTest {
  /** The reference model: 224 x 224 input, 16-pixel patches, mask ratio 0.985 (2 of 196 patches visible). */
  private static final int SIDE = 224;
  private static final int PATCH = 16;
  private static final int GRID = SIDE / PATCH;
  /** Four panels with 2-pixel padding around and between them (the trainer's layout). */
  private static final int PAD = 2;

  @TempDir Path dir;

  static Cli.Result run(String... args) {
    return Cli.run(args);
  }

  private static Path frame() throws Exception {
    return Path.of(VisualizeCommandTest.class.getResource("/org/cropmae/app/demo/frames/00000.jpg").toURI());
  }

  private Cli.Result reconstruct(Path png, String... extra) throws Exception {
    String[] base = {"visualize", "reconstruction", "--checkpoint", Cli.reference("checkpoint.pth").toString(),
        "--image", frame().toString(), "--out", png.toString()};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return run(args);
  }

  @Test
  void drawsTheFourPanelsWithTheMaskedPatchesGrey() throws Exception {
    Path png = dir.resolve("r.png");
    Cli.Result r = reconstruct(png, "--seed", "3");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("194 of 196 patches removed"), r.out());
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(4 * SIDE + 5 * PAD, img.getWidth());
    assertEquals(SIDE + 2 * PAD, img.getHeight());
    // Panel 1 (masked local view) is panel 3 (local view) on the kept patches and grey elsewhere.
    int visible = 0;
    for (int py = 0; py < GRID; py++) {
      for (int px = 0; px < GRID; px++) {
        boolean grey = true;
        boolean same = true;
        for (int y = py * PATCH; y < (py + 1) * PATCH; y++) {
          for (int x = px * PATCH; x < (px + 1) * PATCH; x++) {
            int masked = img.getRGB(panelX(1) + x, PAD + y) & 0xffffff;
            int local = img.getRGB(panelX(3) + x, PAD + y) & 0xffffff;
            grey &= masked == 0x808080;
            same &= masked == local;
          }
        }
        assertTrue(grey || same, "patch " + py + "," + px + " is neither removed nor the local view");
        if (!grey) {
          visible++;
        }
      }
    }
    assertEquals(2, visible);
    // The reconstruction is drawn and differs from the target.
    assertFalse(panelEquals(img, 2, 3), "reconstruction panel equals the target panel");
  }

  @Test
  void theSeedFixesThePicture() throws Exception {
    Path a = dir.resolve("a.png");
    Path b = dir.resolve("b.png");
    Path c = dir.resolve("c.png");
    assertEquals(0, reconstruct(a, "--seed", "7").exitCode());
    assertEquals(0, reconstruct(b, "--seed", "7").exitCode());
    assertEquals(0, reconstruct(c, "--seed", "8", "--mask-ratio", "0.5", "--decoder-heads", "4").exitCode());
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(c)));
  }

  @Test
  void missingImageIsOneLine() throws Exception {
    Path missing = dir.resolve("nope.jpg");
    Cli.Result r = run("visualize", "reconstruction", "--checkpoint", Cli.reference("checkpoint.pth").toString(),
        "--image", missing.toString(), "--out", dir.resolve("r.png").toString());
    assertEquals(1, r.exitCode(), r.err());
    assertEquals(1, r.errLines(), r.err());
    assertTrue(r.err().contains(missing.toString()), r.err());
    assertFalse(Files.exists(dir.resolve("r.png")));
  }

  @Test
  void corruptCheckpointIsOneLine() throws Exception {
    Path bad = dir.resolve("bad.pth");
    byte[] ckpt = Files.readAllBytes(Cli.reference("checkpoint.pth"));
    Files.write(bad, java.util.Arrays.copyOf(ckpt, ckpt.length / 2));
    Cli.Result r = run("visualize", "reconstruction", "--checkpoint", bad.toString(), "--image", frame().toString(),
        "--out", dir.resolve("r.png").toString());
    assertEquals(1, r.exitCode(), r.err());
    assertEquals(1, r.errLines(), r.err());
    assertTrue(r.err().contains(bad.toString()), r.err());
  }

  @Test
  void badMaskRatioIsAUsageError() throws Exception {
    Cli.Result r = reconstruct(dir.resolve("r.png"), "--mask-ratio", "1.5");
    assertEquals(2, r.exitCode(), r.err());
    assertEquals(2, r.errLines(), r.err()); // the error and "Try ... --help"
    assertTrue(r.err().contains("--mask-ratio"), r.err());
  }

  @Test
  void attentionDrawsTheInputAndOneHeatPanelPerHead() throws Exception {
    // The demo frame is 480 x 320 (width x height): 30 x 20 patches at its own size; 2 heads.
    Path png = dir.resolve("a.png");
    Cli.Result r = run("visualize", "attention", "--checkpoint", Cli.reference("checkpoint.pth").toString(),
        "--image", frame().toString(), "--out", png.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("2 heads, 20x30 patches"), r.out());
    BufferedImage img = ImageIO.read(png.toFile());
    int w = 480;
    int h = 320;
    assertEquals(3 * w + 4 * PAD, img.getWidth());
    assertEquals(h + 2 * PAD, img.getHeight());
    for (int head = 1; head <= 2; head++) {
      // Min-to-max scaling over the grey image: the least attended patch stays grey, the most
      // attended one is blended 75% with red.
      int untouched = 0;
      int hot = 0;
      for (int py = 0; py < h / PATCH; py++) {
        for (int px = 0; px < w / PATCH; px++) {
          boolean same = true;
          boolean red = true;
          for (int y = py * PATCH; y < (py + 1) * PATCH; y++) {
            for (int x = px * PATCH; x < (px + 1) * PATCH; x++) {
              int out = img.getRGB(PAD + head * (w + PAD) + x, PAD + y) & 0xffffff;
              same &= (out >> 16) == (out & 0xff) && (out & 0xff) == ((out >> 8) & 0xff);
              red &= (out >> 16) >= 191 && (out & 0xff) <= 64 && ((out >> 8) & 0xff) <= 64;
            }
          }
          untouched += same ? 1 : 0;
          hot += red ? 1 : 0;
        }
      }
      assertTrue(untouched >= 1, "head " + head + ": no grey (unattended) patch");
      assertTrue(hot >= 1, "head " + head + ": no fully heated patch");
      assertTrue(untouched < (h / PATCH) * (w / PATCH), "head " + head + ": no heat at all");
    }
  }

  @Test
  void attentionAtAGivenSizeAndBadSizeIsOneLine() throws Exception {
    Path png = dir.resolve("a.png");
    Cli.Result ok = run("visualize", "attention", "--checkpoint", Cli.reference("checkpoint.pth").toString(),
        "--image", frame().toString(), "--out", png.toString(), "--size", "224x224");
    assertEquals(0, ok.exitCode(), ok.err());
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(3 * SIDE + 4 * PAD, img.getWidth());
    assertEquals(SIDE + 2 * PAD, img.getHeight());
    Cli.Result bad = run("visualize", "attention", "--checkpoint", Cli.reference("checkpoint.pth").toString(),
        "--image", frame().toString(), "--out", dir.resolve("b.png").toString(), "--size", "100x100");
    assertEquals(2, bad.exitCode(), bad.err());
    assertEquals(2, bad.errLines(), bad.err());
    assertTrue(bad.err().contains("--size"), bad.err());
    assertFalse(Files.exists(dir.resolve("b.png")));
  }

  @Test
  void attentionMissingImageIsOneLine() throws Exception {
    Path missing = dir.resolve("nope.jpg");
    Cli.Result r = run("visualize", "attention", "--checkpoint", Cli.reference("checkpoint.pth").toString(),
        "--image", missing.toString(), "--out", dir.resolve("a.png").toString());
    assertEquals(1, r.exitCode(), r.err());
    assertEquals(1, r.errLines(), r.err());
    assertTrue(r.err().contains(missing.toString()), r.err());
  }

  /** The reference checkpoint exported by {@code cropmae export} into the test's folder. */
  private Path exportedModel() {
    Path model = dir.resolve("e.onnx");
    Cli.Result r = run("export", "--checkpoint", Cli.reference("checkpoint.pth").toString(), "--out", model.toString());
    assertEquals(0, r.exitCode(), r.err());
    return model;
  }

  /**
   * The ONNX path and the checkpoint path give the same picture: the two attentions agree within
   * 1e-7 (trainer's LastAttentionExportTest), so after min-max scaling and rounding to 8 bits a
   * channel may differ by at most 1.
   */
  @Test
  void attentionFromAnExportedModelDrawsTheCheckpointsPicture() throws Exception {
    Path model = exportedModel();
    Path fromModel = dir.resolve("m.png");
    Path fromCheckpoint = dir.resolve("c.png");
    Cli.Result r = run("visualize", "attention", "--model", model.toString(), "--device", "cpu",
        "--image", frame().toString(), "--out", fromModel.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("2 heads, 20x30 patches of 16 pixels, last of 3 blocks"), r.out());
    Cli.Result c = run("visualize", "attention", "--checkpoint", Cli.reference("checkpoint.pth").toString(),
        "--image", frame().toString(), "--out", fromCheckpoint.toString());
    assertEquals(0, c.exitCode(), c.err());
    BufferedImage a = ImageIO.read(fromModel.toFile());
    BufferedImage b = ImageIO.read(fromCheckpoint.toFile());
    assertEquals(b.getWidth(), a.getWidth());
    assertEquals(b.getHeight(), a.getHeight());
    int maxDiff = 0;
    int heated = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int pa = a.getRGB(x, y);
        int pb = b.getRGB(x, y);
        for (int shift = 0; shift <= 16; shift += 8) {
          maxDiff = Math.max(maxDiff, Math.abs(((pa >> shift) & 0xff) - ((pb >> shift) & 0xff)));
        }
        int red = (pa >> 16) & 0xff;
        heated += red > (pa & 0xff) + 64 ? 1 : 0;
      }
    }
    System.out.printf("visualize attention --model vs --checkpoint: max 8-bit channel difference %d%n", maxDiff);
    assertTrue(maxDiff <= 1, "max channel difference " + maxDiff);
    assertTrue(heated > 0, "no heat drawn");
  }

  @Test
  void attentionFromAModelWithoutTheOutputIsOneLine() throws Exception {
    Map<String, NpyArray> sd = TorchCheckpoint.read(Cli.reference("checkpoint.pth")).stateDict();
    Onnx.Model full = OnnxEncoderExporter.buildModel(sd, EncoderArchitecture.infer(sd), Map.of());
    Onnx.Graph g = full.graph();
    Onnx.Graph old = new Onnx.Graph(g.name(), g.nodes(), g.initializers(), g.inputs(),
        g.outputs().stream().filter(o -> !o.name().equals("last_attention")).toList());
    Path model = dir.resolve("old.onnx");
    OnnxWriter.write(new Onnx.Model(full.irVersion(), full.opsets(), full.producerName(), full.producerVersion(),
        full.docString(), old, full.metadata()), model);
    Path png = dir.resolve("a.png");
    Cli.Result r = run("visualize", "attention", "--model", model.toString(), "--device", "cpu",
        "--image", frame().toString(), "--out", png.toString());
    assertEquals(1, r.exitCode(), r.err());
    assertEquals(1, r.errLines(), r.err());
    System.out.println("old model: " + r.err().strip());
    assertTrue(r.err().contains(model.toString()) && r.err().contains("re-export it with cropmae export"), r.err());
    assertFalse(Files.exists(png));
  }

  @Test
  void attentionNeedsExactlyOneSource() throws Exception {
    Path model = exportedModel();
    String ckpt = Cli.reference("checkpoint.pth").toString();
    Cli.Result both = run("visualize", "attention", "--model", model.toString(), "--checkpoint", ckpt,
        "--image", frame().toString(), "--out", dir.resolve("a.png").toString());
    assertEquals(2, both.exitCode(), both.err());
    Cli.Result none = run("visualize", "attention", "--image", frame().toString(), "--out", dir.resolve("a.png").toString());
    assertEquals(2, none.exitCode(), none.err());
    Cli.Result heads = run("visualize", "attention", "--model", model.toString(), "--decoder-heads", "4",
        "--image", frame().toString(), "--out", dir.resolve("a.png").toString());
    assertEquals(2, heads.exitCode(), heads.err());
    assertTrue(heads.err().contains("--decoder-heads"), heads.err());
    assertFalse(Files.exists(dir.resolve("a.png")));
  }

  private static int panelX(int panel) {
    return PAD + panel * (SIDE + PAD);
  }

  private static boolean panelEquals(BufferedImage img, int a, int b) {
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        if (img.getRGB(panelX(a) + x, PAD + y) != img.getRGB(panelX(b) + x, PAD + y)) {
          return false;
        }
      }
    }
    return true;
  }
}
