package org.cropmae.runtime.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cropmae.runtime.io.NpyArray;
import org.junit.jupiter.api.Test;

class IndexMaskTest {

  @Test
  void indexIsReadUnsigned() {
    IndexMask m = new IndexMask(2, 2, new byte[] {0, 1, (byte) 200, (byte) 255}, Palette.DAVIS);
    assertEquals(200, m.index(1, 0));
    assertEquals(255, m.index(1, 1));
  }

  @Test
  void rejectsBadShapesAndIndicesOutsideThePalette() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new IndexMask(2, 2, new byte[3], Palette.DAVIS));
    assertTrue(e.getMessage().startsWith("indices: a 2x2 mask needs 4 values, got 3"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new IndexMask(0, 2, new byte[0], Palette.DAVIS));
    assertThrows(IllegalArgumentException.class, () -> new IndexMask(1, 1, new byte[1], null));
    Palette three = Palette.ofRgb(new byte[9]);
    e = assertThrows(IllegalArgumentException.class, () -> new IndexMask(1, 2, new byte[] {2, 3}, three));
    assertEquals("indices: index 3 at (y=0, x=1) is outside the palette of 3 entries", e.getMessage());
  }

  @Test
  void convertsFromAndToNpy() {
    NpyArray clip = NpyArray.ofInt64(new int[] {2, 1, 3}, new long[] {0, 1, 2, 3, 4, 255});
    IndexMask f1 = IndexMask.frameOf(clip, 1, Palette.DAVIS);
    assertArrayEquals(new byte[] {3, 4, (byte) 255}, f1.indices());
    assertEquals(NpyArray.ofUint8(new int[] {1, 3}, new byte[] {3, 4, (byte) 255}), f1.toNpy());
    assertEquals(f1, IndexMask.fromNpy(f1.toNpy(), Palette.DAVIS));
    NpyArray bad = NpyArray.ofInt32(new int[] {1, 2}, new int[] {0, 256});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IndexMask.fromNpy(bad, Palette.DAVIS));
    assertTrue(e.getMessage().contains("256") && e.getMessage().contains("outside 0..255"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> IndexMask.fromNpy(NpyArray.ofFloat32(new int[] {1, 1}, new float[] {0}), Palette.DAVIS));
    assertThrows(IndexOutOfBoundsException.class, () -> IndexMask.frameOf(clip, 2, Palette.DAVIS));
  }
}
