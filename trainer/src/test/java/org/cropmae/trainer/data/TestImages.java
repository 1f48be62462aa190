package org.cropmae.trainer.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** Synthetic image files for the data tests and the benchmark's fixtures. */
final class TestImages {
  private TestImages() {}

  /** Writes {@code count} smooth random-coloured JPEGs of {@code width x height}, quality 0.9. */
  static List<Path> writeJpegs(Path dir, int count, int width, int height, long seed) throws IOException {
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < count; i++) {
      Path f = dir.resolve(String.format("img_%04d.JPEG", i));
      DataPipelineBenchmark.writeJpeg(DataPipelineBenchmark.syntheticImage(width, height, rng), f, 0.9f);
      files.add(f);
    }
    return files;
  }

  /** A small PNG with a constant colour. */
  static void writePng(Path file, int width, int height) throws IOException {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, 0x336699);
      }
    }
    Files.createDirectories(file.getParent());
    if (!ImageIO.write(img, "png", file.toFile())) {
      throw new IOException("no PNG writer");
    }
  }

  /** Files no decoder accepts: text named .jpg, and a JPEG start-of-image marker followed by junk. */
  static List<Path> writeBroken(Path dir, String prefix) throws IOException {
    Files.createDirectories(dir);
    Path text = dir.resolve(prefix + "_text.jpg");
    Files.writeString(text, "this is not an image\n");
    Path junk = dir.resolve(prefix + "_junk.jpg");
    byte[] bytes = new byte[600];
    new SplittableRandom(1).nextBytes(bytes);
    bytes[0] = (byte) 0xFF;
    bytes[1] = (byte) 0xD8;
    bytes[2] = (byte) 0xFF;
    bytes[3] = (byte) 0xDB;
    Files.write(junk, bytes);
    return List.of(text, junk);
  }

}
