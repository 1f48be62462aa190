package org.cropmae.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.io.Npy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * {@link PillowResize} against Pillow itself. The {@code pillow/*.npy} fixtures were written once
 * by {@code src/test/resources/pillow/generate.py} with Debian's python3-pil 9.4.0 (whose
 * {@code Resample.c} arithmetic is the same as in the Pillow 10.x the reference ran with):
 * {@code Image.fromarray(src).crop((left, top, left + w, top + h)).resize((outW, outH), filter)}.
 * The tolerance is zero: the algorithm is integer arithmetic after double-precision weights.
 */
class PillowResizeTest {

  static RgbImage load(String name) throws IOException {
    try (InputStream in = PillowResizeTest.class.getResourceAsStream("/pillow/" + name + ".npy")) {
      if (in == null) {
        throw new IOException("missing test resource pillow/" + name + ".npy");
      }
      return RgbImage.fromNpy(Npy.read(in));
    }
  }

  @ParameterizedTest
  @CsvSource({
    "bilinear_down, pil_src_23x37, 0, 0, 37, 23, 13, 7, BILINEAR",
    "bilinear_up, pil_src_23x37, 0, 0, 37, 23, 61, 50, BILINEAR",
    "bilinear_vertical_only, pil_src_23x37, 0, 0, 37, 23, 37, 11, BILINEAR",
    "bilinear_horizontal_only, pil_src_23x37, 0, 0, 37, 23, 20, 23, BILINEAR",
    "bilinear_crop_mixed, pil_src_23x37, 5, 3, 25, 17, 40, 9, BILINEAR",
    "bicubic_down, pil_src_23x37, 0, 0, 37, 23, 13, 7, BICUBIC",
    "bicubic_crop_up, pil_src_23x37, 5, 3, 25, 17, 40, 30, BICUBIC",
    "bilinear_big_crop, pil_src_140x180, 17, 9, 151, 120, 64, 64, BILINEAR",
    "bilinear_big_crop_up, pil_src_140x180, 60, 40, 41, 33, 64, 64, BILINEAR",
  })
  void matchesPillowExactly(String name, String source, int left, int top, int w, int h, int outW, int outH,
      Interpolation filter) throws IOException {
    RgbImage src = load(source);
    RgbImage expected = load("pil_" + name);
    RgbImage actual = PillowResize.resizedCrop(src, new CropBox(top, left, h, w), outW, outH, filter);
    assertEquals(expected.width(), actual.width());
    assertEquals(expected.height(), actual.height());
    int maxDiff = 0;
    for (int i = 0; i < expected.rgb().length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs((expected.rgb()[i] & 0xFF) - (actual.rgb()[i] & 0xFF)));
    }
    assertEquals(0, maxDiff, name + ": max abs difference to Pillow");
  }

  private static RgbImage grayRow(int... values) {
    byte[] rgb = new byte[values.length * 3];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (byte) values[i / 3];
    }
    return new RgbImage(values.length, 1, rgb);
  }

  private static int[] redRow(RgbImage img) {
    int[] out = new int[img.width()];
    for (int x = 0; x < out.length; x++) {
      out[x] = img.sample(x, 0, 0);
    }
    return out;
  }

  @Test
  void downscaleByTwoWidensTheTriangle() {
    // 4 -> 2: scale 2, support 2. Output 0 is centred at 1.0 over taps 0..2 with raw weights
    // 0.75, 0.75, 0.25 (normalised 3/7, 3/7, 1/7): 70*3/7 + 140/7 = 50. Output 1, centred at 3.0,
    // uses taps 1..3 with 1/7, 3/7, 3/7: 10 + 60 + 90 = 160.
    RgbImage out = PillowResize.resize(grayRow(0, 70, 140, 210), 2, 1, Interpolation.BILINEAR);
    assertArrayEquals(new int[] {50, 160}, redRow(out));
  }

  @Test
  void upscaleByTwoIsPlainLinearInterpolationClampedAtTheBorders() {
    // 2 -> 4: centres 0.25, 0.75, 1.25, 1.75; the border outputs see one tap only.
    RgbImage out = PillowResize.resize(grayRow(0, 100), 4, 1, Interpolation.BILINEAR);
    assertArrayEquals(new int[] {0, 25, 75, 100}, redRow(out));
  }

  @Test
  void fixedPointRoundingHalvesUp() {
    // 2 -> 1: taps 0 and 1 weigh 1/2 each; (3 + 4) / 2 = 3.5 rounds up to 4 (half an LSB is added).
    assertArrayEquals(new int[] {4}, redRow(PillowResize.resize(grayRow(3, 4), 1, 1, Interpolation.BILINEAR)));
  }

  @Test
  void bicubicOvershootIsClamped() {
    // A step 0,0,255,255 upscaled with Keys a=-0.5 rings below 0 and above 255; Pillow clamps.
    RgbImage out = PillowResize.resize(grayRow(0, 0, 255, 255), 16, 1, Interpolation.BICUBIC);
    int[] r = redRow(out);
    assertEquals(0, r[0]);
    assertEquals(255, r[15]);
    for (int v : r) {
      assertTrue(v >= 0 && v <= 255);
    }
  }

  @Test
  void sameSizeCropIsACopy() {
    RgbImage src = grayRow(1, 2, 3, 4, 5);
    RgbImage out = PillowResize.resizedCrop(src, new CropBox(0, 1, 1, 3), 3, 1, Interpolation.BILINEAR);
    assertArrayEquals(new int[] {2, 3, 4}, redRow(out));
  }

  @Test
  void rejectsABoxOutsideTheImage() {
    RgbImage src = grayRow(1, 2, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PillowResize.resizedCrop(src, new CropBox(0, 1, 1, 3), 2, 2, Interpolation.BILINEAR));
    assertTrue(e.getMessage().startsWith("box: "), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PillowResize.resize(src, 0, 2, Interpolation.BILINEAR));
  }

  @Test
  void interpolationNamesAsTheReferenceSpellsThem() {
    assertEquals(Interpolation.BILINEAR, Interpolation.fromReferenceName("bilinear"));
    assertEquals(Interpolation.BICUBIC, Interpolation.fromReferenceName("BICUBIC"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Interpolation.fromReferenceName("lanczos"));
    assertTrue(e.getMessage().startsWith("interpolation_method: 'lanczos'"), e.getMessage());
  }
}
