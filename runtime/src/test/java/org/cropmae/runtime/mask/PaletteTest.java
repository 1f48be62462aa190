package org.cropmae.runtime.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PaletteTest {

  @Test
  void davisIsThePascalVocColourMap() {
    int[][] expected = {
        {0, 0, 0}, {128, 0, 0}, {0, 128, 0}, {128, 128, 0}, {0, 0, 128}, {128, 0, 128}, {0, 128, 128},
        {128, 128, 128}, {64, 0, 0}, {192, 0, 0}, {64, 128, 0}, {192, 128, 0}};
    for (int i = 0; i < expected.length; i++) {
      assertArrayEquals(expected[i], new int[] {Palette.DAVIS.red(i), Palette.DAVIS.green(i), Palette.DAVIS.blue(i)}, "entry " + i);
    }
    assertEquals(256, Palette.DAVIS.size());
    assertEquals(0xE0E0C0, Palette.DAVIS.rgb(255)); // the VOC "void" colour (224, 224, 192)
    assertEquals(0x008000, Palette.DAVIS.rgb(2));
  }

  @Test
  void greyscaleMapsIndexToGrey() {
    assertEquals(0x000000, Palette.GRAYSCALE.rgb(0));
    assertEquals(0x111111, Palette.GRAYSCALE.rgb(17));
    assertEquals(0xFFFFFF, Palette.GRAYSCALE.rgb(255));
  }

  @Test
  void indexOfFindsTheFirstEntryWithAColour() {
    assertEquals(9, Palette.DAVIS.indexOf(0xC00000));
    assertEquals(-1, Palette.DAVIS.indexOf(0x123456));
    Palette dup = Palette.ofRgb(new byte[] {1, 2, 3, 9, 9, 9, 1, 2, 3});
    assertEquals(0, dup.indexOf(0x010203));
    assertEquals(3, dup.size());
  }

  /**
   * Backs the LabelSet Javadoc: the reference orders label channels by (B, G, R) colour; for the
   * DAVIS palette that is the index order for 0..7, but index 8 (64, 0, 0) sorts before 1.
   */
  @Test
  void davisColourOrderMatchesIndexOrderUpToSeven() {
    for (int i = 0; i < 7; i++) {
      assertTrue(bgrKey(i) < bgrKey(i + 1), "entries " + i + " and " + (i + 1));
    }
    assertTrue(bgrKey(8) < bgrKey(1));
  }

  private static int bgrKey(int i) {
    return (Palette.DAVIS.blue(i) << 16) | (Palette.DAVIS.green(i) << 8) | Palette.DAVIS.red(i);
  }

  @Test
  void ofRgbCopiesAndValidates() {
    byte[] rgb = {10, 20, 30};
    Palette p = Palette.ofRgb(rgb);
    rgb[0] = 99;
    assertEquals(0x0A141E, p.rgb(0));
    assertArrayEquals(new byte[] {10, 20, 30}, p.toRgbBytes());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Palette.ofRgb(new byte[4]));
    assertTrue(e.getMessage().startsWith("rgb: a palette needs 3 to 768 bytes"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Palette.ofRgb(new byte[771]));
    assertThrows(IllegalArgumentException.class, () -> Palette.ofRgb(new byte[0]));
    assertThrows(IndexOutOfBoundsException.class, () -> p.rgb(1));
  }
}
