package org.cropmae.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.cropmae.runtime.image.RgbImage;
import org.junit.jupiter.api.Test;

class ViewSamplerTest {
  private static final int S = 64;

  /** R = column, G = row, B = 77: resampled pixel values tell where they came from. */
  static RgbImage coordinateImage(int width, int height) {
    byte[] rgb = new byte[width * height * 3];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int p = (y * width + x) * 3;
        rgb[p] = (byte) x;
        rgb[p + 1] = (byte) y;
        rgb[p + 2] = 77;
      }
    }
    return new RgbImage(width, height, rgb);
  }

  private static ViewSampler sampler(CropStrategy strategy, double flipP) {
    return new ViewSampler(ViewConfig.builder().strategy(strategy).inputSize(S).horizontalFlipP(flipP).build());
  }

  @Test
  void paperDefaults() {
    ViewConfig c = ViewConfig.paperImageNet();
    assertEquals(CropStrategy.GLOBAL_TO_LOCAL, c.strategy());
    assertEquals(224, c.inputSize());
    assertEquals(new RandomResizedCrop(0.10, 1.0, 0.75, 4.0 / 3.0), c.globalCrop());
    assertEquals(new RandomResizedCrop(0.3, 0.6, 0.75, 4.0 / 3.0), c.localCrop());
    assertEquals(0.5, c.horizontalFlipP());
    assertEquals(Interpolation.BILINEAR, c.interpolation());
    assertFalse(c.colorJitter() || c.gaussianBlur() || c.elasticTransform());
    assertEquals(c, c.toBuilder().build());
    assertEquals(CropStrategy.RANDOM_VIEWS, CropStrategy.fromName("RandomViews"));
    assertEquals(CropStrategy.SAME_VIEWS, CropStrategy.fromName("same_views"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CropStrategy.fromName("Crop"));
    assertTrue(e.getMessage().startsWith("crop_strategy: 'Crop'"), e.getMessage());
  }

  @Test
  void theLocalViewIsACropOfTheResizedGlobalView() {
    RgbImage image = coordinateImage(256, 200);
    ViewSampler s = sampler(CropStrategy.GLOBAL_TO_LOCAL, 0);
    SplittableRandom rng = new SplittableRandom(5);
    for (int trial = 0; trial < 20; trial++) {
      ViewPair pair = s.sampleViews(image, rng);
      CropBox g = pair.first().box();
      CropBox l = pair.second().box();
      assertTrue(g.fitsIn(256, 200) && l.fitsIn(S, S));
      assertEquals(PillowResize.resizedCrop(image, g, S, S, Interpolation.BILINEAR), pair.first().crop());
      // Geometry: local pixel u sits at global-view x = l.left + (u + 0.5) * l.width / S, i.e. at
      // image x = g.left + that * g.width / S; the image's value there is x - 0.5. Away from the
      // crop borders (where Pillow truncates the filter) the triangle filter reproduces the linear
      // ramp exactly, so only the two 8-bit roundings remain (<= 0.5 each).
      for (int v = 6; v < S - 6; v += 7) {
        for (int u = 6; u < S - 6; u++) {
          double gx = l.left() + (u + 0.5) * l.width() / S;
          double gy = l.top() + (v + 0.5) * l.height() / S;
          double ix = g.left() + gx * g.width() / S - 0.5;
          double iy = g.top() + gy * g.height() / S - 0.5;
          RgbImage local = pair.second().crop();
          assertEquals(ix, local.sample(u, v, 0), 1.0 + 1e-9, "x at " + u + "," + v + " trial " + trial);
          assertEquals(iy, local.sample(u, v, 1), 1.0 + 1e-9, "y at " + u + "," + v + " trial " + trial);
          assertEquals(77, local.sample(u, v, 2));
        }
      }
    }
  }

  @Test
  void localToGlobalSwapsTheSameViews() {
    RgbImage image = coordinateImage(120, 90);
    ViewPair g2l = sampler(CropStrategy.GLOBAL_TO_LOCAL, 0.5).sampleViews(image, new SplittableRandom(11));
    ViewPair l2g = sampler(CropStrategy.LOCAL_TO_GLOBAL, 0.5).sampleViews(image, new SplittableRandom(11));
    assertEquals(g2l.first(), l2g.second());
    assertEquals(g2l.second(), l2g.first());
  }

  @Test
  void randomViewsAreTwoIndependentGlobalCrops() {
    RgbImage image = coordinateImage(120, 90);
    ViewSampler s = sampler(CropStrategy.RANDOM_VIEWS, 0);
    int differing = 0;
    SplittableRandom rng = new SplittableRandom(2);
    for (int i = 0; i < 10; i++) {
      ViewPair p = s.sampleViews(image, rng);
      assertEquals(PillowResize.resizedCrop(image, p.first().box(), S, S, Interpolation.BILINEAR), p.first().crop());
      assertEquals(PillowResize.resizedCrop(image, p.second().box(), S, S, Interpolation.BILINEAR), p.second().crop());
      differing += p.first().box().equals(p.second().box()) ? 0 : 1;
    }
    assertEquals(10, differing);
  }

  @Test
  void sameViewsGivesIdenticalViewsWithOneFlipDraw() {
    RgbImage image = coordinateImage(120, 90);
    ViewSampler s = sampler(CropStrategy.SAME_VIEWS, 0.5);
    ScriptedRandom rng = new ScriptedRandom().uniform(0.2, 0.5).integer(3).integer(4).uniform(0.1);
    ViewPair p = s.sampleViews(image, rng);
    assertSame(p.first(), p.second());
    assertTrue(p.first().flipped());
    assertTrue(rng.exhausted());
    float[] out = s.sample(image, new SplittableRandom(8));
    int n = s.floatsPerView();
    assertArrayEquals(Arrays.copyOfRange(out, 0, n), Arrays.copyOfRange(out, n, 2 * n));
  }

  @Test
  void drawOrderIsGlobalCropLocalCropThenOneFlipPerView() {
    // 100x100 image, input 64: global U(area) = 1 -> whole area, U(log-ratio) = 0.5 -> square,
    // w = h = 100, positions 0, 0. Local on 64x64: U = 0 -> 0.3 * 4096 = 1228.8 px, square,
    // side round(35.05) = 35; positions 5 and 9. Flip draws 0.7 (>= 0.5: not flipped), 0.2 (flipped).
    ScriptedRandom rng = new ScriptedRandom().uniform(1.0, 0.5).integer(0).integer(0).uniform(0.0, 0.5).integer(5)
        .integer(9).uniform(0.7, 0.2);
    ViewPair p = sampler(CropStrategy.GLOBAL_TO_LOCAL, 0.5).sampleViews(coordinateImage(100, 100), rng);
    assertTrue(rng.exhausted());
    assertEquals(new CropBox(0, 0, 100, 100), p.first().box());
    assertEquals(new CropBox(5, 9, 35, 35), p.second().box());
    assertFalse(p.first().flipped());
    assertTrue(p.second().flipped());
  }

  @Test
  void flipsAreIndependentPerViewWithProbabilityP() {
    RgbImage image = coordinateImage(80, 60);
    ViewSampler s = new ViewSampler(ViewConfig.builder().inputSize(16).build());
    SplittableRandom rng = new SplittableRandom(13);
    int n = 4000;
    int first = 0;
    int second = 0;
    int both = 0;
    for (int i = 0; i < n; i++) {
      ViewPair p = s.sampleViews(image, rng);
      first += p.first().flipped() ? 1 : 0;
      second += p.second().flipped() ? 1 : 0;
      both += p.first().flipped() && p.second().flipped() ? 1 : 0;
    }
    // Binomial s.e. 0.008 (p = 0.5) and 0.007 (p = 0.25).
    assertEquals(0.5, first / (double) n, 0.03);
    assertEquals(0.5, second / (double) n, 0.03);
    assertEquals(0.25, both / (double) n, 0.03);
    assertTrue(sampler(CropStrategy.RANDOM_VIEWS, 1).sampleViews(image, rng).second().flipped());
    assertFalse(sampler(CropStrategy.RANDOM_VIEWS, 0).sampleViews(image, rng).first().flipped());
  }

  @Test
  void flippedViewIsMirroredInTheOutput() {
    RgbImage image = coordinateImage(80, 60);
    ViewSampler s = sampler(CropStrategy.RANDOM_VIEWS, 1);
    ViewPair p = s.sampleViews(image, new SplittableRandom(4));
    RgbImage crop = p.first().crop();
    RgbImage shown = p.first().image();
    float[] out = new float[s.floatsPerView()];
    s.normalize(p.first(), out, 0);
    float[] lut = ViewSampler.normalisationTable(org.cropmae.runtime.preprocess.ImageNormalization.IMAGENET);
    for (int y = 0; y < S; y++) {
      for (int x = 0; x < S; x++) {
        for (int c = 0; c < 3; c++) {
          assertEquals(crop.sample(S - 1 - x, y, c), shown.sample(x, y, c));
          assertEquals(lut[c * 256 + crop.sample(S - 1 - x, y, c)], out[(c * S + y) * S + x]);
        }
      }
    }
    assertNotEquals(crop, shown);
  }

  @Test
  void normalisationMatchesTorchvisionFloat32Arithmetic() {
    // Bit patterns from numpy float32: (np.float32(v) * np.float32(1/255) - mean) / std with
    // mean/std as float32, which is what ToDtype(scale=True) + Normalize compute in PyTorch.
    // v = 48 (R), 24 (G), 24 (B) are values where dividing by 255 instead would differ by 1 ulp.
    float[] lut = ViewSampler.normalisationTable(org.cropmae.runtime.preprocess.ImageNormalization.IMAGENET);
    int[][] expected = {
      {0, 0, 0xc0078bbd}, {0, 128, 0x3d97af32}, {0, 255, 0x400fee1d}, {0, 48, 0xbfa5e091},
      {1, 0, 0xc0024924}, {1, 128, 0x3e521b48}, {1, 255, 0x401b6db7}, {1, 24, 0xbfceca37},
      {2, 0, 0xbfe6f809}, {2, 128, 0x3eda5d3c}, {2, 255, 0x4028f5c3}, {2, 24, 0xbfb16d28},
    };
    for (int[] e : expected) {
      assertEquals(Integer.toHexString(e[2]), Integer.toHexString(Float.floatToRawIntBits(lut[e[0] * 256 + e[1]])),
          "channel " + e[0] + " value " + e[1]);
    }
  }

  @Test
  void outputLayoutIsViewChannelRowColumn() {
    // A constant image gives constant views: every float of channel c equals the table entry.
    byte[] rgb = new byte[40 * 30 * 3];
    for (int i = 0; i < rgb.length; i += 3) {
      rgb[i] = 0;
      rgb[i + 1] = (byte) 128;
      rgb[i + 2] = (byte) 255;
    }
    ViewSampler s = sampler(CropStrategy.GLOBAL_TO_LOCAL, 0.5);
    float[] out = new float[2 * s.floatsPerView() + 7];
    s.sample(new RgbImage(40, 30, rgb), new SplittableRandom(1), out, 7);
    int[] bits = {0xc0078bbd, 0x3e521b48, 0x4028f5c3};
    for (int view = 0; view < 2; view++) {
      for (int c = 0; c < 3; c++) {
        for (int i = 0; i < S * S; i++) {
          assertEquals(bits[c], Float.floatToRawIntBits(out[7 + (view * 3 + c) * S * S + i]));
        }
      }
    }
    for (int i = 0; i < 7; i++) {
      assertEquals(0f, out[i]);
    }
  }

  @Test
  void unimplementedAugmentationsAreRefused() {
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> new ViewSampler(ViewConfig.builder().colorJitter(true).gaussianBlur(true).build()));
    assertEquals("ViewConfig: colour jitter, Gaussian blur not implemented (the paper trains without them); "
        + "turn the flag off", e.getMessage());
    assertThrows(UnsupportedOperationException.class,
        () -> new ViewSampler(ViewConfig.builder().elasticTransform(true).build()));
  }

  @Test
  void rejectsBadConfig() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ViewConfig.builder().horizontalFlipP(1.5).build());
    assertTrue(e.getMessage().startsWith("horizontalFlipP: "), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ViewConfig.builder().inputSize(0).build());
    assertTrue(e.getMessage().startsWith("inputSize: "), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ViewConfig.builder().localScale(0.7, 0.6));
  }
}
