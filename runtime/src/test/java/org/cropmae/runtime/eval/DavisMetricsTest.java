package org.cropmae.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DavisMetricsTest {

  private static boolean[] rect(int h, int w, int r0, int r1, int c0, int c1) {
    boolean[] m = new boolean[h * w];
    for (int y = r0; y <= r1; y++) {
      for (int x = c0; x <= c1; x++) {
        m[y * w + x] = true;
      }
    }
    return m;
  }

  @Test
  void radiusIsCeilOfFractionOfDiagonal() {
    // sqrt(480^2 + 854^2) = 979.63..., * 0.008 = 7.837 -> 8.
    assertEquals(8, DavisMetrics.boundaryRadius(480, 854, 0.008));
    // sqrt(200) = 14.14, * 0.008 = 0.113 -> 1.
    assertEquals(1, DavisMetrics.boundaryRadius(10, 10, 0.008));
    // A threshold >= 1 is already a radius in pixels.
    assertEquals(3, DavisMetrics.boundaryRadius(10, 10, 3));
    assertThrows(IllegalArgumentException.class, () -> DavisMetrics.boundaryRadius(10, 10, 1.5));
    assertThrows(IllegalArgumentException.class, () -> DavisMetrics.boundaryRadius(10, 10, 0));
  }

  @Test
  void boundaryOfInteriorRectangleIsRingShiftedTowardsOrigin() {
    // Square rows 2..3, cols 2..3 of a 6x6 image. A pixel is marked when it differs from its east,
    // south or south-east neighbour: inside, the last row and column of the square; outside, the
    // row above (cols 1..3) and the column left of it (rows 1..3). Together: the outline of the
    // 3x3 box rows 1..3, cols 1..3, i.e. 8 pixels.
    boolean[] b = DavisMetrics.boundaryMap(rect(6, 6, 2, 3, 2, 3), 6, 6);
    String expected =
        "......"
            + ".###.."
            + ".#.#.."
            + ".###.."
            + "......"
            + "......";
    assertEquals(expected, render(b));
  }

  @Test
  void boundaryOnLastRowAndColumnUsesOnlyEastOrSouthNeighbour() {
    // Full 3x3 image minus nothing: a mask that is all true has no boundary anywhere (every
    // interior pixel equals its neighbours, last row compares only east, last column only south,
    // the corner is cleared).
    boolean[] all = new boolean[9];
    java.util.Arrays.fill(all, true);
    assertEquals(".........", render(DavisMetrics.boundaryMap(all, 3, 3)));
    // Only the bottom-right pixel set, 3x3: (1,1) differs from its south-east; (1,2) (last
    // column) differs from its south; (2,1) (last row) differs from its east; (2,2) is the corner.
    boolean[] corner = new boolean[9];
    corner[8] = true;
    assertEquals("....##.#.", render(DavisMetrics.boundaryMap(corner, 3, 3)));
  }

  @Test
  void shiftedSquareHandComputed() {
    // 10x10 image -> radius 1 (disk(1) = centre plus its 4 neighbours).
    // GT: square rows 2..5, cols 2..5 -> boundary ring of box rows 1..5, cols 1..5 (16 px).
    // Result: square rows 2..5, cols 4..7 -> ring of box rows 1..5, cols 3..7 (16 px).
    // Result ring pixels with a GT ring pixel at distance <= 1: top row cols 3..6 (4), bottom row
    // cols 3..6 (4), left column (2,3) and (4,3) next to GT rows 1 and 5 (2): 10 -> P = 10/16.
    // GT ring pixels matched symmetrically: top cols 2..5, bottom cols 2..5, right column (2,5)
    // and (4,5): 10 -> R = 10/16. F = P = R = 0.625.
    // J: intersection rows 2..5 x cols 4..5 = 8, union 16 + 16 - 8 = 24 -> 1/3.
    boolean[] gt = rect(10, 10, 2, 5, 2, 5);
    boolean[] res = rect(10, 10, 2, 5, 4, 7);
    assertEquals(0.625, DavisMetrics.boundaryF(gt, res, 10, 10, 0.008), 0);
    assertEquals(1.0 / 3.0, DavisMetrics.jaccard(gt, res), 0);
    // With a 2-pixel tolerance every ring pixel is within reach of the other ring except the far
    // column: result (2..4,7) are 2 away from GT column 5 -> matched too; GT column 1 rows 2..4 is
    // 2 away from result column 3 -> matched. Everything matches: F = 1.
    assertEquals(1.0, DavisMetrics.boundaryF(gt, res, 10, 10, 2), 0);
  }

  @Test
  void emptyMaskConventions() {
    boolean[] empty = new boolean[100];
    boolean[] square = rect(10, 10, 2, 5, 2, 5);
    // Both empty: J = 1 (empty union), F = 1 (precision = recall = 1).
    assertEquals(1.0, DavisMetrics.jaccard(empty, empty), 0);
    assertEquals(1.0, DavisMetrics.boundaryF(empty, empty, 10, 10, 0.008), 0);
    // Prediction empty, GT not: J = 0; precision 1, recall 0 -> F = 0.
    assertEquals(0.0, DavisMetrics.jaccard(square, empty), 0);
    assertEquals(0.0, DavisMetrics.boundaryF(square, empty, 10, 10, 0.008), 0);
    // GT empty, prediction not: precision 0, recall 1 -> F = 0.
    assertEquals(0.0, DavisMetrics.boundaryF(empty, square, 10, 10, 0.008), 0);
  }

  @Test
  void voidAndUnknownAnnotationLabelsAreBackground() {
    // 1x4 annotation [1, 255, 3, 1] with 2 objects: 255 (void) and 3 (> numObjects) count as
    // background. Result [1, 1, 0, 2]. Object 1: GT {0,3}, result {0,1}: J = 1/3. Object 2: GT {},
    // result {3}: J = 0.
    byte[] ann = {1, (byte) 255, 3, 1};
    byte[] res = {1, 1, 0, 2};
    DavisMetrics.FrameScores s = DavisMetrics.evaluateFrame(ann, res, 1, 4, 2, 1);
    assertArrayEquals(new double[] {1.0 / 3.0, 0.0}, s.jaccard(), 0);
  }

  @Test
  void resultLabelAboveObjectCountIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DavisMetrics.evaluateFrame(new byte[4], new byte[] {0, 3, 0, 0}, 2, 2, 2, 1));
    assertTrue(e.getMessage().contains("label 3"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> DavisMetrics.evaluateFrame(new byte[4], new byte[5], 2, 2, 2, 1));
  }

  // ---- independent oracle: a literal transcription of the reference's array operations ----

  /** _seg2bmap written with the reference's shifted arrays e, s, se and its edge overrides. */
  private static boolean[] seg2bmapOracle(boolean[] seg, int h, int w) {
    boolean[] e = new boolean[h * w];
    boolean[] s = new boolean[h * w];
    boolean[] se = new boolean[h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (x < w - 1) e[y * w + x] = seg[y * w + x + 1];
        if (y < h - 1) s[y * w + x] = seg[(y + 1) * w + x];
        if (x < w - 1 && y < h - 1) se[y * w + x] = seg[(y + 1) * w + x + 1];
      }
    }
    boolean[] b = new boolean[h * w];
    for (int p = 0; p < h * w; p++) {
      b[p] = (seg[p] ^ e[p]) | (seg[p] ^ s[p]) | (seg[p] ^ se[p]);
    }
    for (int x = 0; x < w; x++) b[(h - 1) * w + x] = seg[(h - 1) * w + x] ^ e[(h - 1) * w + x];
    for (int y = 0; y < h; y++) b[y * w + w - 1] = seg[y * w + w - 1] ^ s[y * w + w - 1];
    b[h * w - 1] = false;
    return b;
  }

  /** cv2.dilate with skimage disk(r): every pixel within Euclidean distance r of a set pixel. */
  private static boolean[] dilateOracle(boolean[] m, int h, int w, int r) {
    boolean[] out = new boolean[h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int dy = -r; dy <= r && !out[y * w + x]; dy++) {
          for (int dx = -r; dx <= r; dx++) {
            int yy = y + dy;
            int xx = x + dx;
            if (dx * dx + dy * dy <= r * r && yy >= 0 && yy < h && xx >= 0 && xx < w
                && m[yy * w + xx]) {
              out[y * w + x] = true;
              break;
            }
          }
        }
      }
    }
    return out;
  }

  private static double fOracle(boolean[] fg, boolean[] gt, int h, int w, int r) {
    boolean[] fb = seg2bmapOracle(fg, h, w);
    boolean[] gb = seg2bmapOracle(gt, h, w);
    boolean[] fd = dilateOracle(fb, h, w, r);
    boolean[] gd = dilateOracle(gb, h, w, r);
    int nFg = 0, nGt = 0, fgMatch = 0, gtMatch = 0;
    for (int p = 0; p < h * w; p++) {
      if (fb[p]) nFg++;
      if (gb[p]) nGt++;
      if (fb[p] && gd[p]) fgMatch++;
      if (gb[p] && fd[p]) gtMatch++;
    }
    double precision, recall;
    if (nFg == 0 && nGt > 0) { precision = 1; recall = 0; }
    else if (nFg > 0 && nGt == 0) { precision = 0; recall = 1; }
    else if (nFg == 0) { precision = 1; recall = 1; }
    else { precision = fgMatch / (double) nFg; recall = gtMatch / (double) nGt; }
    return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
  }

  /** Blobby random labels 0..k: a few random rectangles painted over each other. */
  private static byte[] randomLabels(Random rnd, int h, int w, int k) {
    byte[] l = new byte[h * w];
    for (int i = 0; i < 3 * k; i++) {
      int label = rnd.nextInt(k + 1);
      int y0 = rnd.nextInt(h), x0 = rnd.nextInt(w);
      int y1 = Math.min(h - 1, y0 + rnd.nextInt(h / 2 + 1));
      int x1 = Math.min(w - 1, x0 + rnd.nextInt(w / 2 + 1));
      for (int y = y0; y <= y1; y++) {
        for (int x = x0; x <= x1; x++) {
          l[y * w + x] = (byte) label;
        }
      }
    }
    // Sprinkle isolated pixels, including void in annotations, to exercise thin boundaries.
    for (int i = 0; i < h * w / 50; i++) {
      l[rnd.nextInt(h * w)] = (byte) rnd.nextInt(k + 1);
    }
    return l;
  }

  @Test
  void matchesLiteralOracleOnRandomMultiObjectFrames() {
    Random rnd = new Random(7);
    for (int trial = 0; trial < 100; trial++) {
      int h = 1 + rnd.nextInt(44);
      int w = 1 + rnd.nextInt(44);
      int k = 1 + rnd.nextInt(4);
      int r = 1 + rnd.nextInt(4);
      byte[] ann = randomLabels(rnd, h, w, k);
      byte[] res = randomLabels(rnd, h, w, k);
      for (int i = 0; i < 5; i++) {
        ann[rnd.nextInt(h * w)] = (byte) 255; // void counts as background
      }
      DavisMetrics.FrameScores s = DavisMetrics.evaluateFrame(ann, res, h, w, k, r);
      for (int o = 1; o <= k; o++) {
        boolean[] g = new boolean[h * w];
        boolean[] f = new boolean[h * w];
        for (int p = 0; p < h * w; p++) {
          g[p] = (ann[p] & 0xFF) == o;
          f[p] = (res[p] & 0xFF) == o;
        }
        assertArrayEquals(seg2bmapOracle(g, h, w), DavisMetrics.boundaryMap(g, h, w));
        assertEquals(fOracle(f, g, h, w, r), s.boundaryF()[o - 1], 0, "trial " + trial);
        assertEquals(DavisMetrics.jaccard(g, f), s.jaccard()[o - 1], 0);
      }
    }
  }

  private static String render(boolean[] b) {
    StringBuilder sb = new StringBuilder();
    for (boolean v : b) {
      sb.append(v ? '#' : '.');
    }
    return sb.toString();
  }
}
