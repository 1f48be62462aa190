package org.cropmae.android.demo.logic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FitCenterTest {
  @Test
  void wideImageInASquareViewIsLetterboxed() {
    FitCenter f = new FitCenter(100, 50, 400, 400);
    assertEquals(4f, f.scale());
    assertEquals(0f, f.offsetX());
    assertEquals(100f, f.offsetY(), "(400 - 50 * 4) / 2");
    assertEquals(50f, f.toImageX(200));
    assertEquals(25f, f.toImageY(200));
    assertEquals(-25f, f.toImageY(0), "touches on the bars map outside the image");
    assertEquals(2.5f, f.toImageLength(10));
  }

  @Test
  void tallImageInAWideViewIsPillarboxed() {
    FitCenter f = new FitCenter(90, 160, 1080, 960);
    assertEquals(6f, f.scale());
    assertEquals(270f, f.offsetX(), "(1080 - 90 * 6) / 2");
    assertEquals(0f, f.offsetY());
    assertEquals(270f + 6 * 45, f.toViewX(45));
    assertEquals(45f, f.toImageX(f.toViewX(45)), 1e-4);
    assertEquals(80f, f.toImageY(f.toViewY(80)), 1e-4);
  }

  @Test
  void sizesMustBePositive() {
    assertEquals("image size must be positive, got 0x5",
        assertThrows(IllegalArgumentException.class, () -> new FitCenter(0, 5, 10, 10)).getMessage());
    assertEquals("view size must be positive, got 10x0",
        assertThrows(IllegalArgumentException.class, () -> new FitCenter(5, 5, 10, 0)).getMessage());
  }

  @Test
  void shrinkToFitKeepsTheAspect() {
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {640, 360}, FitCenter.shrinkToFit(1920, 1080, 640));
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {360, 640}, FitCenter.shrinkToFit(1080, 1920, 640));
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {480, 320}, FitCenter.shrinkToFit(480, 320, 640), "small enough");
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {640, 1}, FitCenter.shrinkToFit(3000, 2, 640), "never 0");
    assertEquals("sizes must be positive, got 0x5 and maxSide 640",
        assertThrows(IllegalArgumentException.class, () -> FitCenter.shrinkToFit(0, 5, 640)).getMessage());
  }
}
