package org.cropmae.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomResizedCropTest {
  private static final RandomResizedCrop PAPER_GLOBAL = new RandomResizedCrop(0.10, 1.0, 3.0 / 4.0, 4.0 / 3.0);
  private static final RandomResizedCrop PAPER_LOCAL = new RandomResizedCrop(0.3, 0.6, 3.0 / 4.0, 4.0 / 3.0);

  @Test
  void firstValidTryGivesTheBoxAndPosition() {
    // 500x375: area 187500; U = 0.5 -> 0.1 + 0.45 = 0.55 -> 103125 px; log-ratio U = 0.5 -> ratio 1
    // (log(3/4) = -log(4/3) up to rounding); w = h = round(321.13) = 321. Then top ~ U{0..54}
    // and left ~ U{0..179}, scripted as 7 and 11.
    ScriptedRandom rng = new ScriptedRandom().uniform(0.5, 0.5).integer(7).integer(11);
    CropBox box = PAPER_GLOBAL.sample(500, 375, rng);
    assertEquals(new CropBox(7, 11, 321, 321), box);
    assertEquals(List.of("double", "double", "int(55)", "int(180)"), rng.calls);
  }

  @Test
  void extremeDrawsGiveTheRatioBounds() {
    // U = 1 for the area (whole image, 187500 px) and U = 0 for the log-ratio (3/4):
    // w = round(sqrt(140625)) = 375 <= 500, h = round(sqrt(250000)) = 500 > 375: rejected.
    // Second try: area U = 0 -> 18750 px; log-ratio U = 1 -> 4/3: w = round(158.11) = 158,
    // h = round(118.59) = 119.
    ScriptedRandom rng = new ScriptedRandom().uniform(1.0, 0.0, 0.0, 1.0).integer(0).integer(342);
    assertEquals(new CropBox(0, 342, 119, 158), PAPER_GLOBAL.sample(500, 375, rng));
    assertEquals(List.of("double", "double", "double", "double", "int(257)", "int(343)"), rng.calls);
  }

  @Test
  void sidesRoundHalfToEvenLikePython() {
    // Square crops (ratio 1) of exactly 1/16 of the area: 50x50 -> 156.25 px -> side 12.5 -> 12;
    // 54x54 -> 182.25 px -> side 13.5 -> 14. Math.round would give 13 and 14.
    RandomResizedCrop sixteenth = new RandomResizedCrop(0.0625, 0.0625, 1, 1);
    CropBox a = sixteenth.sample(50, 50, new ScriptedRandom().uniform(0.3, 0.7).integer(0).integer(0));
    assertEquals(12, a.width());
    assertEquals(12, a.height());
    CropBox b = sixteenth.sample(54, 54, new ScriptedRandom().uniform(0.3, 0.7).integer(0).integer(0));
    assertEquals(14, b.width());
  }

  @Test
  void tenFailedTriesFallBackToTheCentralCropClampedToTheRatioRange() {
    // Twice the image area never fits: 10 tries (20 uniforms, no integer draw), then the fallback.
    RandomResizedCrop tooBig = new RandomResizedCrop(2.0, 2.0, 3.0 / 4.0, 4.0 / 3.0);
    ScriptedRandom rng = new ScriptedRandom();
    for (int i = 0; i < 2 * RandomResizedCrop.TRIES; i++) {
      rng.uniform(i % 2 == 0 ? 0.5 : 0.9);
    }
    // Wide 100x40 (ratio 2.5 > 4/3): full height, w = round(40 * 4/3 = 53.33) = 53, centred.
    assertEquals(new CropBox(0, 23, 40, 53), tooBig.sample(100, 40, rng));
    assertTrue(rng.exhausted());
    assertEquals(20, rng.calls.size());
    // Tall 30x100 (ratio 0.3 < 3/4): full width, h = round(30 / 0.75) = 40, centred.
    assertEquals(new CropBox(30, 0, 40, 30), tooBig.sample(30, 100, new SplittableRandom(1)));
    // In range: the whole image.
    assertEquals(new CropBox(0, 0, 50, 60), tooBig.sample(60, 50, new SplittableRandom(1)));
  }

  @Test
  void aThinImageFallsBackBecauseNoCropOfTheRatioFits() {
    // 1000x10: any crop with ratio <= 4/3 and area >= 5000 px is taller than 10 px.
    RandomResizedCrop crop = new RandomResizedCrop(0.5, 1.0, 3.0 / 4.0, 4.0 / 3.0);
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < 50; i++) {
      assertEquals(new CropBox(0, 493, 10, 13), crop.sample(1000, 10, rng));
    }
  }

  @Test
  void boxesStayInsideAndFollowTheSamplingDistributions() {
    SplittableRandom rng = new SplittableRandom(20240611);
    int n = 20000;
    double sumLogRatio = 0;
    double sumArea = 0;
    double sumRelLeft = 0;
    int relLeftCount = 0;
    double minLogRatio = Double.MAX_VALUE;
    double maxLogRatio = -Double.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      CropBox b = PAPER_LOCAL.sample(224, 224, rng);
      assertTrue(b.fitsIn(224, 224), b.toString());
      double lr = Math.log((double) b.width() / b.height());
      sumLogRatio += lr;
      minLogRatio = Math.min(minLogRatio, lr);
      maxLogRatio = Math.max(maxLogRatio, lr);
      sumArea += (double) b.width() * b.height() / (224 * 224);
      if (b.width() < 224) {
        sumRelLeft += b.left() / (double) (224 - b.width());
        relLeftCount++;
      }
      CropBox g = PAPER_GLOBAL.sample(500, 375, rng);
      assertTrue(g.fitsIn(500, 375), g.toString());
      double area = (double) g.width() * g.height() / (500 * 375);
      assertTrue(area > 0.098 && area <= 1.0, g.toString());
    }
    // Local crops never need the fallback: area U(0.3, 0.6) (mean 0.45, s.e. 0.0006 here),
    // log-ratio U(log 3/4, log 4/3) (mean 0, s.e. 0.0012), positions uniform (mean 0.5).
    assertEquals(0.45, sumArea / n, 0.003);
    assertEquals(0.0, sumLogRatio / n, 0.006);
    assertEquals(0.5, sumRelLeft / relLeftCount, 0.01);
    // Rounding to whole pixels can push the ratio slightly past the range.
    assertTrue(minLogRatio > Math.log(0.75) - 0.02 && minLogRatio < Math.log(0.75) + 0.02, "min " + minLogRatio);
    assertTrue(maxLogRatio < Math.log(4.0 / 3) + 0.02 && maxLogRatio > Math.log(4.0 / 3) - 0.02, "max " + maxLogRatio);
  }

  @Test
  void sameSeedSameBoxes() {
    SplittableRandom a = new SplittableRandom(9);
    SplittableRandom b = new SplittableRandom(9);
    for (int i = 0; i < 100; i++) {
      assertEquals(PAPER_GLOBAL.sample(500, 375, a), PAPER_GLOBAL.sample(500, 375, b));
    }
  }

  @Test
  void rejectsBadRanges() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new RandomResizedCrop(0.6, 0.3, 0.75, 1.33));
    assertTrue(e.getMessage().startsWith("scale: "), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new RandomResizedCrop(0.3, 0.6, 0, 1.33));
    assertTrue(e.getMessage().startsWith("ratio: "), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new RandomResizedCrop(Double.NaN, 0.6, 0.75, 1.33));
    assertThrows(IllegalArgumentException.class, () -> PAPER_GLOBAL.sample(0, 10, new SplittableRandom(1)));
  }
}
