package org.cropmae.runtime.io.desktop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.cropmae.runtime.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageWritersTest {
  @TempDir Path tmp;

  private static RgbImage gradient(int w, int h, int shift) {
    byte[] rgb = new byte[w * h * 3];
    for (int i = 0; i < w * h; i++) {
      rgb[i * 3] = (byte) (i * 7 + shift);
      rgb[i * 3 + 1] = (byte) (i * 13);
      rgb[i * 3 + 2] = (byte) (255 - i);
    }
    return new RgbImage(w, h, rgb);
  }

  @Test
  void pngRoundTripIsLossless() throws Exception {
    RgbImage img = gradient(7, 5, 0);
    Path f = tmp.resolve("a.png");
    ImageFiles.writePng(f, img);
    assertArrayEquals(img.rgb(), ImageFiles.readRgb(f).rgb());
  }

  @Test
  void animatedGifHasEveryFrame() throws Exception {
    Path f = tmp.resolve("a.gif");
    ImageFiles.writeAnimatedGif(f, List.of(gradient(6, 4, 0), gradient(6, 4, 50), gradient(6, 4, 100)), 100);
    try (ImageInputStream in = ImageIO.createImageInputStream(f.toFile())) {
      ImageReader reader = ImageIO.getImageReaders(in).next();
      reader.setInput(in);
      assertEquals(3, reader.getNumImages(true));
      assertEquals(6, reader.read(2).getWidth());
      reader.dispose();
    }
  }
}
