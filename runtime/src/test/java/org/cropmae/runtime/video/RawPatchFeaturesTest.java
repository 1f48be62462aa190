package org.cropmae.runtime.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cropmae.runtime.preprocess.NormalizedImage;
import org.cropmae.runtime.tensor.FloatGrid;
import org.junit.jupiter.api.Test;

class RawPatchFeaturesTest {
  @Test
  void flattensEachPatchInRowColumnChannelOrder() {
    // [3, 2, 4] image: value = 100*c + 10*y + x, two 2x2 patches side by side.
    float[] chw = new float[3 * 2 * 4];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 2; y++) {
        for (int x = 0; x < 4; x++) {
          chw[(c * 2 + y) * 4 + x] = 100 * c + 10 * y + x;
        }
      }
    }
    FloatGrid f = new RawPatchFeatures(2).features(new NormalizedImage(2, 4, chw));
    assertEquals(1, f.height());
    assertEquals(2, f.width());
    assertEquals(12, f.channels());
    // Patch (0, 1) covers x = 2..3: (y,x,c) order.
    float[] second = java.util.Arrays.copyOfRange(f.values(), 12, 24);
    assertArrayEquals(new float[] {2, 102, 202, 3, 103, 203, 12, 112, 212, 13, 113, 213}, second);
  }

  @Test
  void refusesSizesThatAreNotWholePatches() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RawPatchFeatures(16).features(new NormalizedImage(16, 20, new float[3 * 16 * 20])));
    assertEquals("image 16x20 is not a whole number of 16x16 patches", e.getMessage());
  }
}
