package org.cropmae.runtime.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cropmae.runtime.image.RgbImage;
import org.junit.jupiter.api.Test;

class MaskOverlayTest {
  /** A 5x5 grey (100) frame with object 1 in the 3x3 centre: one interior pixel, eight edge pixels. */
  @Test
  void tintsObjectsOutlinesEdgesAndDimsBackground() {
    int w = 5, h = 5;
    byte[] rgb = new byte[w * h * 3];
    java.util.Arrays.fill(rgb, (byte) 100);
    byte[] idx = new byte[w * h];
    for (int y = 1; y <= 3; y++) {
      for (int x = 1; x <= 3; x++) {
        idx[y * w + x] = 1;
      }
    }
    RgbImage out = MaskOverlay.draw(new RgbImage(w, h, rgb), new IndexMask(h, w, idx, Palette.DAVIS), 0.5f);
    // Background dimmed: 100 * 0.6.
    assertEquals(60, out.sample(0, 0, 0));
    // Edge of the object (1,1): solid DAVIS colour 1 = (128, 0, 0).
    assertEquals(128, out.sample(1, 1, 0));
    assertEquals(0, out.sample(1, 1, 1));
    // Interior (2,2): half way between 100 and (128, 0, 0) = (114, 50, 50).
    assertEquals(114, out.sample(2, 2, 0));
    assertEquals(50, out.sample(2, 2, 1));
    assertEquals(50, out.sample(2, 2, 2));
  }

  @Test
  void refusesMismatchedSizesAndBadAlpha() {
    RgbImage frame = new RgbImage(4, 3, new byte[36]);
    IndexMask mask = new IndexMask(4, 3, new byte[12], Palette.DAVIS);
    assertThrows(IllegalArgumentException.class, () -> MaskOverlay.draw(frame, mask, 0.5f));
    IndexMask ok = new IndexMask(3, 4, new byte[12], Palette.DAVIS);
    assertThrows(IllegalArgumentException.class, () -> MaskOverlay.draw(frame, ok, 1.5f));
  }
}
