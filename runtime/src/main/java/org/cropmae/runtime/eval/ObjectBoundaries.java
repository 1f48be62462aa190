package org.cropmae.runtime.eval;

import java.util.Arrays;

/**
 * The one-pixel boundaries of every object of a label image, as {@code _seg2bmap} of the DAVIS
 * evaluation defines them, kept sparse: per object, the sorted row-major indices of its boundary
 * pixels plus per-row offsets. Boundaries are a few thousand pixels of a 400k-pixel frame, so
 * matching them sparsely is much cheaper than dilating full-frame bitmaps.
 */
final class ObjectBoundaries {
  private final int height;
  private final int width;
  private final int[][] points;
  private final int[] counts;
  private final int[][] rowStarts;

  private ObjectBoundaries(int height, int width, int[][] points, int[] counts) {
    this.height = height;
    this.width = width;
    this.points = points;
    this.counts = counts;
    this.rowStarts = new int[points.length][];
  }

  /**
   * Extracts the boundaries of objects {@code 1..numObjects} in one pass.
   *
   * <p>For object {@code o} with indicator {@code m = (label == o)}, {@code _seg2bmap} marks pixel
   * {@code (y, x)} when {@code m} differs from its east, south or south-east neighbour; on the last
   * row only the east neighbour counts, on the last column only the south one, and the bottom-right
   * pixel is never marked. When the (up to) four labels involved are not all equal, every object
   * among them has a differing neighbour there, so each of them gets the pixel; when they are all
   * equal no object does.
   *
   * @param labels {@code [height * width]} labels, mapped through {@code lut} (unsigned byte to
   *     object id, 0 meaning "no object")
   * @param lut 256 entries
   */
  static ObjectBoundaries extract(byte[] labels, int height, int width, int[] lut, int numObjects) {
    int[][] points = new int[numObjects + 1][];
    int[] counts = new int[numObjects + 1];
    for (int o = 1; o <= numObjects; o++) {
      points[o] = new int[64];
    }
    ObjectBoundaries b = new ObjectBoundaries(height, width, points, counts);
    for (int y = 0; y < height - 1; y++) {
      int row = y * width;
      for (int p = row; p < row + width - 1; p++) {
        byte raw = labels[p];
        if (raw == labels[p + 1] && raw == labels[p + width] && raw == labels[p + width + 1]) {
          continue; // equal raw labels map to equal objects: the common, boundary-free case
        }
        int a = lut[raw & 0xFF];
        int e = lut[labels[p + 1] & 0xFF];
        int s = lut[labels[p + width] & 0xFF];
        int se = lut[labels[p + width + 1] & 0xFF];
        if (a == e && a == s && a == se) {
          continue;
        }
        b.add(a, p);
        if (e != a) {
          b.add(e, p);
        }
        if (s != a && s != e) {
          b.add(s, p);
        }
        if (se != a && se != e && se != s) {
          b.add(se, p);
        }
      }
      // Last column: only the south neighbour counts.
      int p = row + width - 1;
      b.addPair(lut[labels[p] & 0xFF], lut[labels[p + width] & 0xFF], p);
    }
    // Last row: only the east neighbour counts; the bottom-right pixel is never marked.
    int row = (height - 1) * width;
    for (int p = row; p < row + width - 1; p++) {
      b.addPair(lut[labels[p] & 0xFF], lut[labels[p + 1] & 0xFF], p);
    }
    return b;
  }

  /** Marks {@code p} for both objects when they differ. */
  private void addPair(int a, int other, int p) {
    if (a != other) {
      add(a, p);
      add(other, p);
    }
  }

  private void add(int object, int p) {
    if (object == 0) {
      return;
    }
    int n = counts[object];
    int[] pts = points[object];
    if (n == pts.length) {
      pts = Arrays.copyOf(pts, n * 2);
      points[object] = pts;
    }
    pts[n] = p;
    counts[object] = n + 1;
  }

  /** Number of boundary pixels of {@code object}. */
  int count(int object) {
    return counts[object];
  }

  /** Whether row-major pixel {@code p} is a boundary pixel of {@code object}. */
  boolean contains(int object, int p) {
    return Arrays.binarySearch(points[object], 0, counts[object], p) >= 0;
  }

  private int[] rowStarts(int object) {
    int[] starts = rowStarts[object];
    if (starts == null) {
      starts = new int[height + 1];
      int[] pts = points[object];
      int n = counts[object];
      int i = 0;
      for (int y = 0; y <= height; y++) {
        int rowEnd = y * width;
        while (i < n && pts[i] < rowEnd) {
          i++;
        }
        starts[y] = i;
      }
      rowStarts[object] = starts;
    }
    return starts;
  }

  /**
   * How many boundary pixels of {@code object} here have a boundary pixel of the same object in
   * {@code other} within Euclidean distance {@code radius} (inclusive): the pixel count of
   * {@code boundary * cv2.dilate(otherBoundary, disk(radius))}.
   *
   * @param halfWidths {@code halfWidths[d]} = largest {@code w} with {@code w^2 + d^2 <= radius^2}
   */
  int countMatched(int object, ObjectBoundaries other, int radius, int[] halfWidths) {
    int n = counts[object];
    if (n == 0 || other.counts[object] == 0) {
      return 0;
    }
    int[] pts = points[object];
    int[] otherPts = other.points[object];
    int[] otherRows = other.rowStarts(object);
    int matched = 0;
    for (int i = 0; i < n; i++) {
      int p = pts[i];
      int y = p / width;
      int x = p - y * width;
      if (hasNeighbour(otherPts, otherRows, y, x, radius, halfWidths)) {
        matched++;
      }
    }
    return matched;
  }

  private boolean hasNeighbour(int[] pts, int[] rows, int y, int x, int radius, int[] half) {
    // Nearest rows first: matches are usually found within a pixel or two.
    for (int k = 0; k <= 2 * radius; k++) {
      int dy = (k & 1) == 0 ? k >> 1 : -((k + 1) >> 1);
      int yy = y + dy;
      if (yy < 0 || yy >= height) {
        continue;
      }
      int lo = rows[yy];
      int hi = rows[yy + 1];
      if (lo == hi) {
        continue;
      }
      int w = half[Math.abs(dy)];
      int base = yy * width;
      int idx = lowerBound(pts, lo, hi, base + x - w);
      if (idx < hi && pts[idx] <= base + x + w) {
        return true;
      }
    }
    return false;
  }

  private static int lowerBound(int[] a, int lo, int hi, int key) {
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
