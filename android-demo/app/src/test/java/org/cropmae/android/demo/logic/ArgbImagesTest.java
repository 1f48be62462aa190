package org.cropmae.android.demo.logic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.Palette;
import org.junit.jupiter.api.Test;

class ArgbImagesTest {
  @Test
  void argbToRgbDropsAlphaAndBack() {
    int[] argb = {0xFF102030, 0x80FFFEFD, 0x00000001, 0xFF7F8081};
    RgbImage img = ArgbImages.toRgb(argb, 2, 2);
    assertArrayEquals(new byte[] {0x10, 0x20, 0x30, (byte) 0xFF, (byte) 0xFE, (byte) 0xFD, 0, 0, 1, 0x7F, (byte) 0x80,
        (byte) 0x81}, img.rgb());
    assertArrayEquals(new int[] {0xFF102030, 0xFFFFFEFD, 0xFF000001, 0xFF7F8081}, ArgbImages.toArgb(img));
  }

  @Test
  void maskLayerIsTransparentOnBackgroundAndTranslucentPaletteColourOnObjects() {
    IndexMask m = new IndexMask(1, 3, new byte[] {0, 1, 2}, Palette.DAVIS);
    // DAVIS: 1 = (128, 0, 0), 2 = (0, 128, 0).
    assertArrayEquals(new int[] {0x00000000, 0x80800000, 0x80008000}, ArgbImages.maskLayer(m, 0x80));
  }

  @Test
  void paintLayerWritesOnlyTheRegion() {
    byte[] labels = {1, 1, 1, 1, 3, 3};
    int[] layer = new int[6];
    java.util.Arrays.fill(layer, 0x12345678);
    ArgbImages.paintLayer(labels, 3, 2, Palette.DAVIS, 255, layer, new PixelRect(1, 1, 3, 2));
    // DAVIS 3 = (128, 128, 0).
    assertArrayEquals(new int[] {0x12345678, 0x12345678, 0x12345678, 0x12345678, 0xFF808000, 0xFF808000}, layer);
  }

  @Test
  void overlayDimsTheBackgroundAndTintsObjects() {
    RgbImage frame = new RgbImage(3, 3, new byte[] {
        100, (byte) 200, 50, 100, (byte) 200, 50, 100, (byte) 200, 50,
        100, (byte) 200, 50, 100, (byte) 200, 50, 100, (byte) 200, 50,
        100, (byte) 200, 50, 100, (byte) 200, 50, 100, (byte) 200, 50});
    IndexMask mask = new IndexMask(3, 3, new byte[] {0, 0, 0, 0, 1, 0, 0, 0, 0}, Palette.DAVIS);
    int[] out = ArgbImages.overlay(frame, mask, 0.5f);
    assertEquals(0xFF3C781E, out[0], "background at 0.6 brightness: (60, 120, 30)");
    assertEquals(0xFF800000, out[4], "a one-pixel object is all edge: solid palette colour");
  }

  @Test
  void sizeMismatchesAreNamed() {
    assertEquals("argb: a 2x2 image needs 4 pixels, got 3",
        assertThrows(IllegalArgumentException.class, () -> ArgbImages.toRgb(new int[3], 2, 2)).getMessage());
    assertEquals("layer: a 2x1 image needs 2 pixels, got 1", assertThrows(IllegalArgumentException.class,
        () -> ArgbImages.paintLayer(new byte[2], 2, 1, Palette.DAVIS, 1, new int[1], PixelRect.all(2, 1))).getMessage());
    assertEquals("region PixelRect[left=0, top=0, right=3, bottom=1] leaves the 2x1 image",
        assertThrows(IllegalArgumentException.class,
            () -> ArgbImages.paintLayer(new byte[2], 2, 1, Palette.DAVIS, 1, new int[2], new PixelRect(0, 0, 3, 1))).getMessage());
    assertEquals("alpha must be 0..255, got 256", assertThrows(IllegalArgumentException.class,
        () -> ArgbImages.paintLayer(new byte[2], 2, 1, Palette.DAVIS, 256, new int[2], PixelRect.all(2, 1))).getMessage());
    assertEquals("label 5 at (x=1, y=0) is outside the palette of 4 entries", assertThrows(IllegalArgumentException.class,
        () -> ArgbImages.paintLayer(new byte[] {0, 5}, 2, 1, Palette.ofRgb(new byte[12]), 1, new int[2],
            PixelRect.all(2, 1))).getMessage());
  }
}
