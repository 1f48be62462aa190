package org.cropmae.android.demo.logic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.Palette;
import org.junit.jupiter.api.Test;

class MaskSketchTest {

  /** The sketch's labels as text rows, '.' for background, the digit of the label otherwise. */
  private static String picture(MaskSketch s) {
    StringBuilder sb = new StringBuilder();
    for (int y = 0; y < s.height(); y++) {
      for (int x = 0; x < s.width(); x++) {
        int k = s.label(x, y);
        sb.append(k == 0 ? '.' : Character.forDigit(k, 36));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  @Test
  void aTouchPaintsThePixelsWhoseCentresAreWithinTheRadius() {
    MaskSketch s = new MaskSketch(4, 4);
    // Centres (1.5..2.5, 1.5..2.5) lie 0.71 from (2, 2); the next ring is at least 1.58 away.
    PixelRect dirty = s.begin(1, 1f, 2f, 2f);
    s.end();
    assertEquals("""
        ....
        .11.
        .11.
        ....
        """, picture(s));
    assertTrue(dirty.left() <= 1 && dirty.top() <= 1 && dirty.right() >= 3 && dirty.bottom() >= 3, dirty.toString());
  }

  @Test
  void aDragPaintsTheCapsuleAroundTheSegment() {
    MaskSketch s = new MaskSketch(10, 5);
    s.begin(2, 1f, 1f, 2f);
    s.lineTo(8f, 2f);
    s.end();
    // Rows 1 and 2 have centres 0.5 from the line; columns 0 and 8 are within 0.71 of the end points.
    assertEquals("""
        ..........
        222222222.
        222222222.
        ..........
        ..........
        """, picture(s));
  }

  @Test
  void laterStrokesPaintOverEarlierOnesAndTheEraserRestoresBackground() {
    MaskSketch s = new MaskSketch(6, 3);
    s.apply(new MaskSketch.Stroke(1, 1.5f, new float[] {0, 1.5f, 6, 1.5f}));
    s.apply(new MaskSketch.Stroke(3, 0.6f, new float[] {4.5f, 1.5f}));
    s.apply(new MaskSketch.Stroke(0, 0.6f, new float[] {0.5f, 1.5f}));
    assertEquals("""
        111111
        .11131
        111111
        """, picture(s));
    assertArrayEquals(new int[] {1, 3}, s.objectLabels());
    IndexMask m = s.toIndexMask();
    assertEquals(Palette.DAVIS, m.palette());
    assertEquals(3, m.height());
    assertEquals(6, m.width());
    assertEquals(3, m.index(1, 4));
    assertEquals(0, m.index(1, 0));
  }

  @Test
  void theDirtyRectangleHoldsEveryChangedPixel() {
    MaskSketch s = new MaskSketch(40, 30);
    byte[] before = s.labels().clone();
    s.begin(5, 3.3f, 10.2f, 7.7f);
    PixelRect r = s.lineTo(25.9f, 19.1f);
    s.end();
    int changed = 0;
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        if (s.label(x, y) != before[y * 40 + x] && !(x >= 10 - 4 && x <= 10 + 4 && y >= 7 - 4 && y <= 7 + 4)) {
          // outside the first disc: must be inside the segment's rectangle
          assertTrue(x >= r.left() && x < r.right() && y >= r.top() && y < r.bottom(), "(" + x + "," + y + ") outside " + r);
          changed++;
        }
      }
    }
    assertTrue(changed > 100, "the segment painted " + changed + " pixels");
  }

  @Test
  void pointsOffTheImageAreClipped() {
    MaskSketch s = new MaskSketch(5, 5);
    assertNull(s.begin(1, 2f, -10f, -10f), "a touch far outside paints nothing");
    PixelRect r = s.lineTo(-0.5f, 2.5f);
    s.end();
    assertEquals(0, r.left());
    assertEquals("""
        .....
        1....
        11...
        1....
        .....
        """, picture(s));
  }

  @Test
  void undoReplaysTheEarlierStrokes() {
    MaskSketch s = new MaskSketch(8, 8);
    s.apply(new MaskSketch.Stroke(1, 2f, new float[] {2, 2, 6, 6}));
    String afterFirst = picture(s);
    s.apply(new MaskSketch.Stroke(2, 2f, new float[] {6, 2, 2, 6}));
    s.apply(new MaskSketch.Stroke(0, 1f, new float[] {4, 4}));
    assertEquals(3, s.strokes().size());
    assertTrue(s.undo());
    assertTrue(s.undo());
    assertEquals(afterFirst, picture(s));
    assertTrue(s.undo());
    assertEquals(0, s.objectLabels().length);
    assertFalse(s.undo(), "nothing left to undo");
  }

  @Test
  void startingFromAMaskUndoStopsThereAndClearErasesIt() {
    byte[] idx = new byte[12];
    idx[5] = 2;
    MaskSketch s = MaskSketch.of(new IndexMask(3, 4, idx, Palette.DAVIS));
    s.apply(new MaskSketch.Stroke(1, 0.5f, new float[] {0.5f, 0.5f}));
    assertEquals(1, s.label(0, 0));
    s.undo();
    assertEquals(0, s.label(0, 0));
    assertEquals(2, s.label(1, 1));
    s.clear();
    assertEquals(0, s.objectLabels().length);
    assertFalse(s.undo());
    assertEquals(2, idx[5], "the source mask is not modified");
  }

  @Test
  void strokesAreValuesAndTheirPointsAreCopied() {
    float[] p = {1, 2, 3, 4};
    MaskSketch.Stroke a = new MaskSketch.Stroke(1, 2f, p);
    p[0] = 100;
    assertEquals(new MaskSketch.Stroke(1, 2f, new float[] {1, 2, 3, 4}), a);
    a.points()[1] = 100;
    assertEquals(2f, a.points()[1]);
    MaskSketch s = new MaskSketch(10, 10);
    s.begin(1, 2f, 1, 2);
    s.lineTo(3, 4);
    assertEquals(a, s.end());
    assertEquals(List.of(a), s.strokes());
  }

  @Test
  void misuseAndBadValuesAreNamed() {
    MaskSketch s = new MaskSketch(4, 4);
    assertEquals("label must be 0 (eraser) to 255, got 256",
        assertThrows(IllegalArgumentException.class, () -> s.begin(256, 1f, 0, 0)).getMessage());
    assertEquals("radius must be finite and positive, got 0.0",
        assertThrows(IllegalArgumentException.class, () -> s.begin(1, 0f, 0, 0)).getMessage());
    assertEquals("radius must be finite and positive, got NaN",
        assertThrows(IllegalArgumentException.class, () -> s.begin(1, Float.NaN, 0, 0)).getMessage());
    assertEquals("x must be finite, got NaN",
        assertThrows(IllegalArgumentException.class, () -> s.begin(1, 1f, Float.NaN, 0)).getMessage());
    assertEquals("no stroke in progress; call begin() first",
        assertThrows(IllegalStateException.class, () -> s.lineTo(1, 1)).getMessage());
    assertEquals("no stroke in progress; call begin() first", assertThrows(IllegalStateException.class, s::end).getMessage());
    s.begin(1, 1f, 0, 0);
    assertTrue(s.drawing());
    assertEquals("a stroke is already in progress; call end() first",
        assertThrows(IllegalStateException.class, () -> s.begin(1, 1f, 0, 0)).getMessage());
    assertEquals("y must be finite, got Infinity",
        assertThrows(IllegalArgumentException.class, () -> s.lineTo(0, Float.POSITIVE_INFINITY)).getMessage());
    assertEquals("cannot undo while a stroke is in progress", assertThrows(IllegalStateException.class, s::undo).getMessage());
    assertEquals("points must hold x,y pairs, at least one, got 3 values",
        assertThrows(IllegalArgumentException.class, () -> new MaskSketch.Stroke(1, 1f, new float[3])).getMessage());
    assertEquals("sketch size must be positive, got 0x3 (width x height)",
        assertThrows(IllegalArgumentException.class, () -> new MaskSketch(0, 3)).getMessage());
  }
}
