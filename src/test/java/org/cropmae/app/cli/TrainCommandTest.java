package org.cropmae.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.cropmae.runtime.io.Npy;
import org.cropmae.runtime.io.NpyArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cropmae train} and {@code cropmae export} end to end: two epochs of the tiny model on 36
 * synthetic JPEGs, then the exported encoder through {@code cropmae embed}.
 */
class TrainCommandTest {
  @TempDir static Path dir;
  static Path data;
  static Path out;
  static Cli.Result trained;

  static Cli.Result run(String... args) {
    return Cli.run(args);
  }

  /** 36 JPEGs of 96x80 to 160x120 with random rectangles and ellipses on a coloured background. */
  static Path shapes(Path folder) throws IOException {
    Files.createDirectories(folder);
    SplittableRandom rng = new SplittableRandom(11);
    for (int i = 0; i < 36; i++) {
      BufferedImage img = new BufferedImage(96 + rng.nextInt(65), 80 + rng.nextInt(41), BufferedImage.TYPE_INT_RGB);
      Graphics2D g = img.createGraphics();
      g.setColor(new Color(rng.nextInt(1 << 24)));
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      for (int k = 0; k < 5; k++) {
        g.setColor(new Color(rng.nextInt(1 << 24)));
        int x = rng.nextInt(img.getWidth());
        int y = rng.nextInt(img.getHeight());
        int w = 10 + rng.nextInt(50);
        int h = 10 + rng.nextInt(50);
        if (rng.nextBoolean()) {
          g.fillRect(x, y, w, h);
        } else {
          g.fillOval(x, y, w, h);
        }
      }
      g.dispose();
      ImageIO.write(img, "jpg", folder.resolve(String.format("shape_%02d.jpg", i)).toFile());
    }
    return folder;
  }

  @BeforeAll
  static void trainTwoEpochs() throws IOException {
    data = shapes(dir.resolve("images"));
    // One truncated JPEG among them: training says so and goes on.
    byte[] jpeg = Files.readAllBytes(data.resolve("shape_00.jpg"));
    Files.write(data.resolve("shape_36.jpg"), java.util.Arrays.copyOf(jpeg, jpeg.length / 2));
    out = dir.resolve("run");
    trained = run("train", "--data", data.toString(), "--out", out.toString(), "--arch", "tiny", "--epochs", "2",
        "--batch-size", "8", "--workers", "2", "--save-every", "1", "--recon-every", "1", "--log-every", "2",
        "--device", "cpu");
  }

  @Test
  void twoEpochsWriteProgressCheckpointsPlotsAndAnEncoder() {
    assertEquals(0, trained.exitCode(), trained.err());
    assertTrue(trained.err().contains("training on cpu(): 37 images, 4 iterations per epoch"), trained.err());
    assertTrue(trained.err().contains("epoch 0 4/4") && trained.err().contains("img/s"), trained.err());
    assertTrue(trained.err().contains("epoch 2/2: loss "), trained.err());
    assertTrue(trained.out().startsWith("trained epochs 0-1 in "), trained.out());
    // Whether shape_36.jpg was drawn depends on the shuffle: with seed 0 it is, in both epochs.
    assertTrue(trained.out().contains("; 1 unreadable image skipped ("), trained.out());
    assertTrue(trained.err().contains("epoch 2/2: loss ") && trained.err().contains("1 unreadable image skipped"), trained.err());
    for (String f : new String[] {"checkpoint-0.pth", "checkpoint-1.pth", "loss.png", "train_log.jsonl",
        "reconstructions/epoch-0000.png", "reconstructions/epoch-0001.png", "encoder.onnx"}) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f + " missing; " + trained.err());
    }
  }

  @Test
  void theExportedEncoderWorksWithEmbedAndExportRewritesIt() throws IOException {
    assertEquals(0, trained.exitCode(), trained.err());
    float[] x = new float[3 * 64 * 96];
    SplittableRandom rng = new SplittableRandom(2);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    Path input = dir.resolve("x.npy");
    Npy.write(input, NpyArray.ofFloat32(new int[] {1, 3, 64, 96}, x));
    Path y1 = dir.resolve("y1.npy");
    Cli.Result e1 = run("embed", "--model", out.resolve("encoder.onnx").toString(), "--input", input.toString(),
        "--out", y1.toString(), "--device", "cpu");
    assertEquals(0, e1.exitCode(), e1.err());
    NpyArray features = Npy.read(y1);
    assertArrayEquals(new int[] {1, 1 + 4 * 6, 128}, features.shape());

    // Export from the final checkpoint gives the same encoder.
    Path onnx = dir.resolve("again.onnx");
    Cli.Result ex = run("export", "--checkpoint", out.resolve("checkpoint-1.pth").toString(), "--out", onnx.toString());
    assertEquals(0, ex.exitCode(), ex.err());
    assertTrue(ex.out().contains("2 heads"), ex.out());
    Path y2 = dir.resolve("y2.npy");
    assertEquals(0, run("embed", "--model", onnx.toString(), "--input", input.toString(), "--out", y2.toString(),
        "--device", "cpu").exitCode());
    assertArrayEquals(features.toFloatArray(), Npy.read(y2).toFloatArray());
  }

  @Test
  void resumeContinuesFromTheNewestCheckpointWithItsArchitecture() throws IOException {
    assertEquals(0, trained.exitCode(), trained.err());
    Path copy = dir.resolve("resumed");
    Files.createDirectories(copy);
    for (String f : new String[] {"checkpoint-1.pth", "train_log.jsonl"}) {
      Files.copy(out.resolve(f), copy.resolve(f));
    }
    // No --arch: the tiny architecture comes from the checkpoint.
    Cli.Result r = run("train", "--data", data.toString(), "--out", copy.toString(), "--epochs", "3", "--batch-size", "8",
        "--workers", "2", "--recon-every", "0", "--no-export", "--device", "cpu", "--resume", copy.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("epochs 2-2"), r.err());
    assertTrue(Files.isRegularFile(copy.resolve("checkpoint-2.pth")), r.err());
    assertEquals(9, Files.readAllLines(copy.resolve("train_log.jsonl")).size());
  }

  @Test
  void exportReadsOfficialCheckpoints() {
    Cli.Result r = run("export", "--checkpoint", Cli.reference("checkpoint.pth").toString(), "--out",
        dir.resolve("official.onnx").toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("2 heads"), r.out());
  }

  @Test
  void helpDocumentsThePaperDefaults() {
    Cli.Result r = run("train", "--help");
    assertEquals(0, r.exitCode());
    for (String s : new String[] {"--blr", "1e-4", "1.5e-4", "0.985", "400", "--accum-iter", "--resume", "global-to-local"}) {
      assertTrue(r.out().contains(s), s + " not in help:\n" + r.out());
    }
  }

  @Test
  void badArgumentsAreOneLine() {
    Cli.Result strategy = run("train", "--data", data.toString(), "--out", dir.resolve("bad").toString(),
        "--crop-strategy", "diagonal");
    assertEquals(2, strategy.exitCode(), strategy.err());
    assertTrue(strategy.err().startsWith("cropmae train: --crop-strategy"), strategy.err());
    assertTrue(strategy.err().contains("Try 'cropmae train --help' for the options."), strategy.err());
    assertEquals(2, strategy.errLines(), strategy.err());
    Cli.Result noData = run("train", "--data", dir.resolve("nothing").toString(), "--out", dir.resolve("bad").toString());
    assertEquals(1, noData.exitCode(), noData.err());
    assertEquals(1, noData.errLines(), noData.err());
    Cli.Result notCkpt = run("export", "--checkpoint", input().toString(), "--out", dir.resolve("x.onnx").toString());
    assertEquals(1, notCkpt.exitCode(), notCkpt.err());
    assertEquals(1, notCkpt.errLines(), notCkpt.err());
  }

  private static Path input() {
    return data.resolve("shape_00.jpg");
  }
}
