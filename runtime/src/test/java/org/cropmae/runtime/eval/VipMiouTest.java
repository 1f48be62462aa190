package org.cropmae.runtime.eval;

import org.cropmae.runtime.mask.Palette;

import org.cropmae.runtime.mask.IndexMask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VipMiouTest {
  /*
   * label [0, 0, 1, 1, 2, 255], prediction [0, 1, 1, 1, 0, 5]; 255 is ignored.
   * Confusion (gt, pred): (0,0)=1, (0,1)=1, (1,1)=2, (2,0)=1.
   * Labelled per class 2, 2, 1; predicted 2, 3, 0; correct 1, 2, 0.
   * Pixel accuracy 3/5. Class accuracy 1/2, 1, 0 (others NaN) -> mean 1/2.
   * IoU 1/(2+2-1) = 1/3, 2/(2+3-2) = 2/3, 0/(1+0-0) = 0 (others NaN) -> mIoU 1/3.
   * Frequency-weighted IoU 2/5 * 1/3 + 2/5 * 2/3 + 1/5 * 0 = 0.4.
   */
  @Test
  void handComputedScores() {
    VipMiou m = new VipMiou();
    m.add(new byte[] {0, 0, 1, 1, 2, (byte) 255}, new byte[] {0, 1, 1, 1, 0, 5});
    VipScores s = m.scores();
    assertEquals(0.6, s.pixelAccuracy(), 1e-15);
    assertEquals(0.5, s.meanAccuracy(), 1e-15);
    assertEquals(1.0 / 3, s.meanIoU(), 1e-15);
    assertEquals(0.4, s.frequencyWeightedIoU(), 1e-15);
    assertEquals(2.0 / 3, s.classIoU()[1], 1e-15);
    assertTrue(Double.isNaN(s.classIoU()[3]));
  }

  @Test
  void accumulatesOverFramesNotPerFrame() {
    // Frame 1: class 1 perfect on 1 pixel. Frame 2: class 1 labelled on 3 pixels, predicted 0.
    // Dataset-wide: class 1 IoU = 1 / 4 (a per-frame mean would give (1 + 0) / 2).
    VipMiou m = new VipMiou(2);
    m.add(new byte[] {1}, new byte[] {1});
    m.add(new byte[] {1, 1, 1}, new byte[] {0, 0, 0});
    VipScores s = m.scores();
    assertEquals(0.25, s.classIoU()[1], 0);
    // Class 0: predicted 3 times, never labelled -> IoU 0 / 3 = 0; mIoU (0 + 0.25) / 2.
    assertEquals(0.125, s.meanIoU(), 0);
    VipMiou other = new VipMiou(2);
    other.add(new byte[] {1}, new byte[] {1});
    m.merge(other);
    assertArrayEquals(new long[] {0, 0, 3, 2}, m.confusion());
  }

  @Test
  void predictionEqualToClassCountLandsInNextRowLikeBincount() {
    VipMiou m = new VipMiou(3);
    m.add(new byte[] {0}, new byte[] {3}); // flat index 3 * 0 + 3 = 3 -> (1, 0)
    assertArrayEquals(new long[] {0, 0, 0, 1, 0, 0, 0, 0, 0}, m.confusion());
    // Flat index 3 * 2 + 3 = 9 is past the 3x3 matrix: the reference's reshape fails.
    assertThrows(IllegalArgumentException.class, () -> m.add(new byte[] {2}, new byte[] {3}));
    // Above the class count: rejected as the reference's max() > 20 check does.
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> m.add(new byte[] {0}, new byte[] {4}));
    assertTrue(e.getMessage().contains("class 4"), e.getMessage());
  }

  @Test
  void pillowNearestResize() {
    // Down 4 -> 2: scale 2, source x = trunc(1 + 2i) = 1, 3.
    assertArrayEquals(
        new byte[] {2, 4}, PillowNearest.resize(new byte[] {1, 2, 3, 4}, 1, 4, 1, 2));
    // Up 2 -> 5: scale 0.4, positions 0.2, 0.6, 1.0, 1.4, 1.8 -> 0, 0, 1, 1, 1.
    assertArrayEquals(
        new byte[] {7, 7, 9, 9, 9}, PillowNearest.resize(new byte[] {7, 9}, 1, 2, 1, 5));
    // 2-D: 2x2 -> 3x3 (scale 2/3: positions 0.33, 1.0, 1.67 -> 0, 1, 1 on both axes).
    assertArrayEquals(
        new byte[] {1, 2, 2, 3, 4, 4, 3, 4, 4},
        PillowNearest.resize(new byte[] {1, 2, 3, 4}, 2, 2, 3, 3));
  }

  @Test
  void resizesPredictionToLabelSize() {
    VipMiou m = new VipMiou(3);
    m.add(new IndexMask(1, 2, new byte[] {1, 2}, Palette.GRAYSCALE), new IndexMask(1, 4, new byte[] {0, 1, 0, 2}, Palette.GRAYSCALE));
    // Prediction resized to [1, 2]: both pixels correct.
    assertEquals(1.0, m.scores().pixelAccuracy(), 0);
  }
}
