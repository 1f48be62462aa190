package org.cropmae.runtime.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.tensor.FloatGrid;
import org.junit.jupiter.api.Test;

class ImageNormalizationTest {

  @Test
  void normalisesUnitPixelsPerChannelIntoChw() {
    // (x / 255 - mean) / std in float32 for black and white pixels.
    RgbImage img = new RgbImage(2, 1, new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
    NormalizedImage out = ImageNormalization.IMAGENET.apply(img, new ImageSize(1, 2));
    assertEquals(1, out.height());
    assertEquals(2, out.width());
    // numpy: (np.float32([0, 1]) - np.float32(m)) / np.float32(s)
    assertArrayEquals(new float[] {
        -2.117904f, 2.2489083f, // R plane
        -2.0357141f, 2.4285715f, // G plane
        -1.8044444f, 2.64f}, // B plane
        out.chw(), 1e-6f);
  }

  @Test
  void dividesThenResizesThenNormalisesLikeVosPy() {
    // A 1x2 frame resized to 1x4 (columns sample x = -0.25, 0.25, 0.75, 1.25). Expected values
    // are numpy float32 evaluations of vos.py's order: /255, cv2.resize, (x - m) / s, compared
    // exactly. Normalising before resizing changes 4 of these float32 values, so the order of
    // operations is pinned to the bit.
    RgbImage img = new RgbImage(2, 1, new byte[] {121, (byte) 131, (byte) 193, (byte) 243, 8, 36});
    NormalizedImage out = ImageNormalization.IMAGENET.apply(img, new ImageSize(1, 4));
    float[][] expectedHwc = {
        {-0.045808773f, 0.2577032f, 1.5593902f},
        {0.4764962f, -0.28063715f, 0.8752944f},
        {1.5211061f, -1.3573178f, -0.49289745f},
        {2.0434113f, -1.8956583f, -1.1769934f}};
    for (int x = 0; x < 4; x++) {
      for (int c = 0; c < 3; c++) {
        assertEquals(expectedHwc[x][c], out.get(c, 0, x), 0f, "x=" + x + " c=" + c);
      }
    }
  }

  @Test
  void appliesTheProtocolSize() {
    RgbImage img = new RgbImage(854, 480, new byte[854 * 480 * 3]);
    NormalizedImage out = ImageNormalization.IMAGENET.apply(img, ProtocolSize.DAVIS);
    assertEquals(480, out.height());
    assertEquals(880, out.width());
    assertEquals(-2.117904f, out.get(0, 479, 879), 1e-6f);
    assertEquals(-1.8044444f, out.get(2, 0, 0), 1e-6f);
  }

  @Test
  void rejectsBadStatisticsAndChannels() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImageNormalization.of(new float[] {0.5f, 0.5f}, new float[] {1, 1, 1}));
    assertTrue(e.getMessage().startsWith("mean and std need 3 values"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ImageNormalization.of(new float[] {0.5f, 0.5f, 0.5f}, new float[] {1, 0, 1}));
    assertThrows(IllegalArgumentException.class,
        () -> ImageNormalization.of(new float[] {Float.NaN, 0.5f, 0.5f}, new float[] {1, 1, 1}));
    e = assertThrows(IllegalArgumentException.class, () -> ImageNormalization.IMAGENET.normalize(FloatGrid.zeros(2, 2, 1)));
    assertTrue(e.getMessage().startsWith("rgb: expected 3 channels"), e.getMessage());
  }

  @Test
  void customStatistics() {
    ImageNormalization n = ImageNormalization.of(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.25f, 2f});
    NormalizedImage out = n.normalize(new FloatGrid(1, 1, 3, new float[] {1f, 1f, 1f}));
    assertArrayEquals(new float[] {1f, 2f, 0.25f}, out.chw());
    assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, n.mean());
  }
}
