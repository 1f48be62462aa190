package org.cropmae.runtime.eval.desktop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.cropmae.runtime.eval.IndexMask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageIoIndexMaskReaderTest {
  private final ImageIoIndexMaskReader reader = ImageIoIndexMaskReader.INSTANCE;

  @Test
  void palettePngGivesIndicesNotColours(@TempDir Path dir) throws Exception {
    // A palette whose colours are unrelated to the indices.
    byte[] r = {(byte) 200, 10, 0, 77};
    byte[] g = {(byte) 200, 20, (byte) 255, 77};
    byte[] b = {(byte) 200, 30, 0, 77};
    BufferedImage img =
        new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 4, r, g, b));
    int[] idx = {0, 1, 2, 3, 2, 1};
    img.getRaster().setPixels(0, 0, 3, 2, idx);
    Path f = dir.resolve("p.png");
    assertTrue(ImageIO.write(img, "png", f.toFile()));
    IndexMask m = reader.read(f);
    assertEquals(2, m.height());
    assertEquals(3, m.width());
    assertArrayEquals(new byte[] {0, 1, 2, 3, 2, 1}, m.indices());
  }

  @Test
  void lowBitDepthPaletteAndGreyscale(@TempDir Path dir) throws Exception {
    byte[] two = {0, (byte) 255};
    BufferedImage bin =
        new BufferedImage(5, 1, BufferedImage.TYPE_BYTE_BINARY, new IndexColorModel(1, 2, two, two, two));
    bin.getRaster().setPixels(0, 0, 5, 1, new int[] {1, 0, 1, 1, 0});
    Path f = dir.resolve("bin.png");
    assertTrue(ImageIO.write(bin, "png", f.toFile()));
    assertArrayEquals(new byte[] {1, 0, 1, 1, 0}, reader.read(f).indices());

    BufferedImage grey = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setPixels(0, 0, 2, 2, new int[] {0, 19, 255, 7});
    Path gf = dir.resolve("grey.png");
    assertTrue(ImageIO.write(grey, "png", gf.toFile()));
    assertArrayEquals(new byte[] {0, 19, (byte) 255, 7}, reader.read(gf).indices());
  }

  @Test
  void davisAnnotationFixture() throws Exception {
    Path f =
        Path.of(getClass().getResource("/reference/davis/Annotations/480p/blobs-c/00000.png").toURI());
    IndexMask m = reader.read(f);
    assertEquals(480, m.height());
    assertEquals(854, m.width());
    assertEquals(3, m.max()); // blobs-c has objects 1..3 (davis_expected.json)
  }

  @Test
  void rejectsRgbCorruptAndMissing(@TempDir Path dir) throws Exception {
    Path rgb = dir.resolve("rgb.png");
    assertTrue(ImageIO.write(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "png", rgb.toFile()));
    assertOneLine(assertThrows(IOException.class, () -> reader.read(rgb)), rgb);

    Path corrupt = dir.resolve("corrupt.png");
    Files.write(corrupt, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    assertOneLine(assertThrows(IOException.class, () -> reader.read(corrupt)), corrupt);

    Path missing = dir.resolve("missing.png");
    assertOneLine(assertThrows(NoSuchFileException.class, () -> reader.read(missing)), missing);
  }

  private static void assertOneLine(Exception e, Path path) {
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertTrue(e.getMessage().startsWith(path.toString()), e.getMessage());
  }
}
