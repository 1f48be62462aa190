package org.cropmae.runtime.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cropmae.runtime.io.ReferenceResources;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.Palette;
import org.cropmae.runtime.tensor.FloatGrid;
import org.junit.jupiter.api.Test;

class ResizeTest {

  /** Max |a - b| over two grids of the same shape. */
  static double maxAbsDiff(FloatGrid a, FloatGrid b) {
    assertEquals(b.height(), a.height());
    assertEquals(b.width(), a.width());
    assertEquals(b.channels(), a.channels());
    double max = 0;
    for (int i = 0; i < a.values().length; i++) {
      max = Math.max(max, Math.abs((double) a.values()[i] - b.values()[i]));
    }
    return max;
  }

  @Test
  void bilinearUpscaleMatchesOpenCv() {
    FloatGrid in = FloatGrid.fromNpy(ReferenceResources.npy("resize_in.npy"));
    FloatGrid expected = FloatGrid.fromNpy(ReferenceResources.npy("resize_up_53x91.npy"));
    FloatGrid out = Resize.bilinear(in, 53, 91);
    double err = maxAbsDiff(out, expected);
    System.out.println("resize 17x29x5 -> 53x91: max abs error " + err);
    // Measured: 0 (bit-identical to cv2.resize). The brief's tolerance is 1e-5.
    assertTrue(err <= 1e-5, "max abs error " + err);
  }

  @Test
  void bilinearDownscaleMatchesOpenCvWithoutAntialiasing() {
    FloatGrid in = FloatGrid.fromNpy(ReferenceResources.npy("resize_in.npy"));
    FloatGrid expected = FloatGrid.fromNpy(ReferenceResources.npy("resize_down_7x11.npy"));
    FloatGrid out = Resize.bilinear(in, 7, 11);
    double err = maxAbsDiff(out, expected);
    System.out.println("resize 17x29x5 -> 7x11: max abs error " + err);
    assertTrue(err <= 1e-5, "max abs error " + err);
  }

  @Test
  void bilinearHalfPixelCentresAndClampedColumns() {
    // 1x2 -> 1x8: sample x = (dx + 0.5) / 4 - 0.5 = -0.375, -0.125, 0.125 ... 1.375; outside the
    // image the weights become (1, 0), inside they interpolate between 0 and 1.
    FloatGrid src = new FloatGrid(1, 2, 1, new float[] {0f, 1f});
    FloatGrid out = Resize.bilinear(src, 1, 8);
    assertArrayEquals(new float[] {0f, 0f, 0.125f, 0.375f, 0.625f, 0.875f, 1f, 1f}, out.values());
  }

  @Test
  void bilinearKeepsRowWeightsAboveTheImageLikeOpenCv() {
    // 2x1 -> 8x1: output row 0 samples y = -0.375. OpenCV clamps both row indices to 0 but keeps
    // the weights (0.375, 0.625), so the value is v*0.375f + v*0.625f, one ulp above v here
    // (bits 0x3F6C8D1A vs 0x3F6C8D19). The 53x91 fixture has 76 values that depend on this.
    float v = Float.intBitsToFloat(1064078745); // 0.9240356f
    FloatGrid src = new FloatGrid(2, 1, 1, new float[] {v, 0.25f});
    float[] out = Resize.bilinear(src, 8, 1).values();
    assertEquals(1064078746, Float.floatToIntBits(out[0]));
    assertEquals(1064078745, Float.floatToIntBits(out[1]));
    assertEquals(1062665190, Float.floatToIntBits(out[2])); // v*0.875 + 0.25*0.125 = 0.83978117
    assertEquals(0.25f, out[6]);
    assertEquals(0.25f, out[7]);
  }

  @Test
  void bilinearKeepsChannelsSeparate() {
    // 1x2x3 -> 1x4x3: column 1 samples x = 0.25 (weights 0.75, 0.25) in every channel.
    FloatGrid src = new FloatGrid(1, 2, 3, new float[] {0f, 4f, -8f, 4f, 0f, 8f});
    float[] out = Resize.bilinear(src, 1, 4).values();
    assertArrayEquals(new float[] {0f, 4f, -8f, 1f, 3f, -4f, 3f, 1f, 4f, 4f, 0f, 8f}, out);
  }

  @Test
  void exactHalvingAveragesTwoByTwoBlocks() {
    float[] v = new float[16];
    for (int i = 0; i < 16; i++) {
      v[i] = i;
    }
    FloatGrid out = Resize.bilinear(new FloatGrid(4, 4, 1, v), 2, 2);
    assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, out.values());
  }

  @Test
  void exactHalvingWithThreeChannelsSumsInScalarOrder() {
    // OpenCV's area-fast path has no SIMD kernel for 3 channels: ((a + b) + c) + d. With
    // a = 1 and b = c = d = 2^-24 every partial sum rounds back to 1, so the mean is 0.25f; a
    // pairwise sum, or two bilinear passes, would give 1 + 2^-23 first.
    float e = 0x1p-24f;
    float[] v = new float[12];
    for (int c = 0; c < 3; c++) {
      v[c] = 1f;
      v[3 + c] = e;
      v[6 + c] = e;
      v[9 + c] = e;
    }
    FloatGrid out = Resize.bilinear(new FloatGrid(2, 2, 3, v), 1, 1);
    assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f}, out.values());
  }

  @Test
  void sameSizeIsAnExactCopy() {
    FloatGrid in = FloatGrid.fromNpy(ReferenceResources.npy("resize_in.npy"));
    FloatGrid out = Resize.bilinear(in, 17, 29);
    assertEquals(in, out);
    assertNotSame(in.values(), out.values());
  }

  @Test
  void nearestPicksFloorOfScaledIndex() {
    // 3 -> 5 columns: scale 0.6, x * 0.6 = 0, 0.6, 1.2, 1.8, 2.4 -> 0, 0, 1, 1, 2.
    // 5 -> 3 rows: scale 5/3, y * 1.667 = 0, 1.67, 3.33 -> 0, 1, 3.
    float[] v = new float[5 * 3 * 2];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    FloatGrid out = Resize.nearest(new FloatGrid(5, 3, 2, v), 3, 5);
    assertArrayEquals(new float[] {
        0, 1, 0, 1, 2, 3, 2, 3, 4, 5, // row 0
        6, 7, 6, 7, 8, 9, 8, 9, 10, 11, // row 1
        18, 19, 18, 19, 20, 21, 20, 21, 22, 23}, // row 3
        out.values());
  }

  @Test
  void nearestUsesOpenCvsDoubleScale() {
    // OpenCV computes floor(x * (1 / (98 / 2.0))): at x = 49 that is floor(0.9999999999999999) = 0,
    // where exact arithmetic (49 * 2 / 98 = 1) would pick the second column.
    IndexMask src = new IndexMask(1, 2, new byte[] {3, 7}, Palette.DAVIS);
    IndexMask out = Resize.nearest(src, 1, 98);
    assertEquals(3, out.index(0, 48));
    assertEquals(3, out.index(0, 49));
    assertEquals(7, out.index(0, 50));
    assertEquals(7, out.index(0, 97));
  }

  @Test
  void nearestOnLabelMasksKeepsIndicesAndPalette() {
    // 2x3 -> 4x5: rows 0,0,1,1; columns 0,0,1,1,2.
    byte[] idx = {1, 2, 3, 4, 5, (byte) 200};
    IndexMask out = Resize.nearest(new IndexMask(2, 3, idx, Palette.DAVIS), 4, 5);
    assertArrayEquals(new byte[] {
        1, 1, 2, 2, 3,
        1, 1, 2, 2, 3,
        4, 4, 5, 5, (byte) 200,
        4, 4, 5, 5, (byte) 200}, out.indices());
    assertEquals(Palette.DAVIS, out.palette());
  }

  @Test
  void nearestDavisWidthTo880() {
    // DAVIS frames are 854 wide and resized to 880: x -> floor(x * 854 / 880).
    byte[] idx = new byte[854];
    for (int x = 0; x < 854; x++) {
      idx[x] = (byte) (x % 251);
    }
    IndexMask out = Resize.nearest(new IndexMask(1, 854, idx, Palette.DAVIS), 1, 880);
    assertEquals(0, out.index(0, 0));
    assertEquals(427 % 251, out.index(0, 440)); // 440 * 854 / 880 = 427 exactly
    assertEquals(853 % 251, out.index(0, 879)); // 853.03
    assertEquals(32, out.index(0, 33)); // 32.03
    assertEquals(32, out.index(0, 34)); // 32.995: column 32 is used twice
    assertEquals(33, out.index(0, 35)); // 33.97
  }

  @Test
  void rejectsBadSizes() {
    FloatGrid g = FloatGrid.zeros(2, 2, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Resize.bilinear(g, 0, 3));
    assertTrue(e.getMessage().contains("output size must be positive"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Resize.nearest(g, 3, -1));
    e = assertThrows(IllegalArgumentException.class, () -> Resize.bilinear(FloatGrid.zeros(0, 2, 1), 3, 3));
    assertTrue(e.getMessage().startsWith("src: cannot resize an empty grid"), e.getMessage());
  }
}
