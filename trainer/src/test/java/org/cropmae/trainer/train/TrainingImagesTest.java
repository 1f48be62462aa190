package org.cropmae.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.cropmae.trainer.model.CropMaeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconstruction panel undoes the per-patch normalisation of the loss's targets. */
class TrainingImagesTest {
  @TempDir Path dir;

  @Test
  void aPerfectPredictionReproducesTheLocalView() throws IOException {
    CropMaeConfig c = TrainerTest.TINY; // 32x32, patches of 8
    int s = c.imageSize();
    int p = c.patchSize();
    int g = c.gridSize();
    int n = c.patchDim();
    float[] views = new float[2 * 3 * s * s];
    SplittableRandom rng = new SplittableRandom(4);
    for (int i = 0; i < views.length; i++) {
      views[i] = (float) (rng.nextDouble() * 3 - 1.5);
    }
    // The loss's target: each patch in (row, col, channel) order, minus its mean, over sqrt(unbiased var + 1e-6).
    float[] pred = new float[g * g * n];
    for (int py = 0; py < g; py++) {
      for (int px = 0; px < g; px++) {
        double[] t = new double[n];
        double mean = 0;
        for (int k = 0; k < n; k++) {
          int ch = k % 3;
          int col = (k / 3) % p;
          int row = k / (3 * p);
          t[k] = views[3 * s * s + ch * s * s + (py * p + row) * s + px * p + col];
          mean += t[k] / n;
        }
        double var = 0;
        for (double v : t) {
          var += (v - mean) * (v - mean) / (n - 1);
        }
        for (int k = 0; k < n; k++) {
          pred[(py * g + px) * n + k] = (float) ((t[k] - mean) / Math.sqrt(var + 1e-6));
        }
      }
    }
    float[] mask = new float[g * g];
    mask[0] = 1;
    Path png = dir.resolve("r.png");
    TrainingImages.reconstruction(png, c, views, pred, mask);
    BufferedImage img = ImageIO.read(png.toFile());
    int scale = (224 + s - 1) / s;
    int side = s * scale;
    assertEquals(4 * side + 5 * 2, img.getWidth());
    int reconX = 2 + 2 * (side + 2);
    int targetX = 2 + 3 * (side + 2);
    int maxDiff = 0;
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int a = img.getRGB(reconX + x, 2 + y);
        int b = img.getRGB(targetX + x, 2 + y);
        for (int sh = 0; sh < 24; sh += 8) {
          maxDiff = Math.max(maxDiff, Math.abs(((a >> sh) & 0xFF) - ((b >> sh) & 0xFF)));
        }
      }
    }
    assertTrue(maxDiff <= 1, "reconstruction differs from the local view by " + maxDiff + " levels");
    // The masked panel greys out the removed patch only.
    assertEquals(0x808080, img.getRGB(2 + (side + 2), 2) & 0xFFFFFF);
    assertTrue((img.getRGB(2 + (side + 2) + side - 1, 2 + side - 1) & 0xFFFFFF) != 0x808080);
  }
}
