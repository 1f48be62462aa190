package org.cropmae.runtime.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.tensor.FloatGrid;
import org.junit.jupiter.api.Test;

class RgbImageTest {

  @Test
  void toFloatGridDividesBy255InFloat32() {
    RgbImage img = new RgbImage(2, 1, new byte[] {0, (byte) 128, (byte) 255, 1, 51, 102});
    FloatGrid g = img.toFloatGrid();
    assertEquals(1, g.height());
    assertEquals(2, g.width());
    assertEquals(3, g.channels());
    // numpy: np.float32([0, 128, 255, 1, 51, 102]) / np.float32(255)
    assertArrayEquals(new float[] {0f, 0.5019608f, 1f, 0.003921569f, 0.2f, 0.4f}, g.values(), 0f);
  }

  @Test
  void convertsFromNpyFrames() {
    byte[] clip = new byte[2 * 1 * 2 * 3];
    for (int i = 0; i < clip.length; i++) {
      clip[i] = (byte) (10 * i);
    }
    NpyArray a = NpyArray.ofUint8(new int[] {2, 1, 2, 3}, clip);
    RgbImage f1 = RgbImage.frameOf(a, 1);
    assertEquals(2, f1.width());
    assertEquals(1, f1.height());
    assertEquals(60, f1.sample(0, 0, 0));
    assertEquals(110, f1.sample(1, 0, 2));
    assertEquals(f1, RgbImage.fromNpy(f1.toNpy()));
    assertThrows(IndexOutOfBoundsException.class, () -> RgbImage.frameOf(a, 2));
    assertThrows(IllegalArgumentException.class, () -> RgbImage.fromNpy(NpyArray.ofUint8(new int[] {1, 1, 4}, new byte[4])));
  }

  @Test
  void rejectsBadSizes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RgbImage(2, 2, new byte[11]));
    assertTrue(e.getMessage().startsWith("rgb: a 2x2 image needs 12 bytes, got 11"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new RgbImage(0, 2, new byte[0]));
  }
}
