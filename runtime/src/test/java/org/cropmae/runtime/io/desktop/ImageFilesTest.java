package org.cropmae.runtime.io.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.io.ReferenceResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
  @TempDir Path tmp;

  @Test
  void decodesADavisJpeg() throws IOException {
    RgbImage img = ImageFiles.readRgb(ReferenceResources.path("davis/JPEGImages/480p/blobs-a/00000.jpg"));
    assertEquals(854, img.width());
    assertEquals(480, img.height());
    long sum = 0;
    for (byte b : img.rgb()) {
      sum += b & 0xFF;
    }
    double mean = sum / (double) img.rgb().length;
    assertTrue(mean > 5 && mean < 250, "mean sample " + mean);
  }

  @Test
  void rgbPngKeepsExactSamples() throws IOException {
    BufferedImage bi = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
    bi.setRGB(0, 0, 0x123456);
    bi.setRGB(1, 0, 0xFF0080);
    RgbImage img = ImageFiles.readRgb(save(bi, "rgb.png"));
    assertEquals(0x12, img.sample(0, 0, 0));
    assertEquals(0x34, img.sample(0, 0, 1));
    assertEquals(0x56, img.sample(0, 0, 2));
    assertEquals(0xFF, img.sample(1, 0, 0));
    assertEquals(0x80, img.sample(1, 0, 2));
  }

  @Test
  void greyIsReplicatedWithoutColourConversion() throws IOException {
    // getRGB() on a TYPE_BYTE_GRAY image would gamma-convert 100 to about 167; cv2.imread keeps 100.
    BufferedImage bi = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
    bi.getRaster().setSample(0, 0, 0, 100);
    bi.getRaster().setSample(1, 0, 0, 7);
    RgbImage img = ImageFiles.readRgb(save(bi, "grey.png"));
    assertEquals(Arrays.asList(100, 100, 100, 7, 7, 7), samples(img));
  }

  @Test
  void rgbaDropsAlphaWithoutBlending() throws IOException {
    BufferedImage bi = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
    bi.setRGB(0, 0, 0x10203040); // alpha 0x10
    RgbImage img = ImageFiles.readRgb(save(bi, "rgba.png"));
    assertEquals(Arrays.asList(0x20, 0x30, 0x40), samples(img));
  }

  @Test
  void palettePngIsExpanded() throws IOException {
    byte[] r = {0, (byte) 200}, g = {0, 10}, b = {0, 20};
    BufferedImage bi = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 2, r, g, b));
    bi.getRaster().setSample(1, 0, 0, 1);
    RgbImage img = ImageFiles.readRgb(save(bi, "pal.png"));
    assertEquals(Arrays.asList(0, 0, 0, 200, 10, 20), samples(img));
  }

  @Test
  void refusesUndecodableFilesNamingThem() throws IOException {
    Path text = tmp.resolve("notes.jpg");
    Files.writeString(text, "not an image");
    IOException e = assertThrows(IOException.class, () -> ImageFiles.readRgb(text));
    assertTrue(e.getMessage().startsWith(text + ": cannot decode image ("), e.getMessage());
    Path missing = tmp.resolve("missing.png");
    e = assertThrows(IOException.class, () -> ImageFiles.readRgb(missing));
    assertEquals(missing + ": cannot decode image (no such file)", e.getMessage());
    // A PNG cut in its image data.
    byte[] png = Files.readAllBytes(save(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), "cut.png"));
    Path cut = tmp.resolve("cut2.png");
    Files.write(cut, Arrays.copyOf(png, 60));
    e = assertThrows(IOException.class, () -> ImageFiles.readRgb(cut));
    assertTrue(e.getMessage().startsWith(cut + ": cannot decode image ("), e.getMessage());
  }

  private Path save(BufferedImage bi, String name) throws IOException {
    Path f = tmp.resolve(name);
    assertTrue(ImageIO.write(bi, "png", f.toFile()));
    return f;
  }

  private static java.util.List<Integer> samples(RgbImage img) {
    Integer[] v = new Integer[img.rgb().length];
    for (int i = 0; i < v.length; i++) {
      v[i] = img.rgb()[i] & 0xFF;
    }
    return Arrays.asList(v);
  }
}
