package org.cropmae.android.demo.logic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.Palette;

/**
 * The first-frame mask a user paints with a finger: a label per pixel, changed by round-brush
 * strokes. A stroke of label {@code k > 0} paints object {@code k}; label 0 is the eraser (back to
 * background). Coordinates are image pixels as floats, pixel {@code (x, y)} covering
 * {@code [x, x + 1) x [y, y + 1)}; a pixel is painted when its centre lies within
 * {@code radius} of the stroke's polyline, so a stroke is the union of the capsules around its
 * segments (a disc for a single touch). Points outside the image are allowed (a finger slides off
 * the edge); only pixels inside are painted.
 *
 * <p>Finished strokes can be undone. Not thread-safe: the UI thread owns it.
 */
public final class MaskSketch {

  /**
   * A finished stroke.
   *
   * @param label 0 (eraser) or the object painted, 1..255
   * @param radius brush radius in image pixels, finite and positive
   * @param points {@code x0, y0, x1, y1, ...} in image pixels, at least one point
   */
  public record Stroke(int label, float radius, float[] points) {
    public Stroke {
      checkLabel(label);
      checkRadius(radius);
      if (points == null || points.length < 2 || points.length % 2 != 0) {
        throw new IllegalArgumentException("points must hold x,y pairs, at least one, got "
            + (points == null ? "null" : points.length + " values"));
      }
      for (int i = 0; i < points.length; i++) {
        checkCoordinate(points[i], i % 2 == 0 ? "x" : "y");
      }
      points = points.clone();
    }

    @Override
    public float[] points() {
      return points.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Stroke s && s.label == label && Float.compare(s.radius, radius) == 0
          && Arrays.equals(s.points, points);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * label + Float.hashCode(radius)) + Arrays.hashCode(points);
    }

    @Override
    public String toString() {
      return "Stroke[label=" + label + ", radius=" + radius + ", " + points.length / 2 + " points]";
    }
  }

  private final int width;
  private final int height;
  private final byte[] start;
  private final byte[] labels;
  private final List<Stroke> done = new ArrayList<>();
  private int currentLabel = -1;
  private float currentRadius;
  private float[] current = new float[64];
  private int currentLength;

  /** An empty (all background) sketch of {@code width x height} pixels. */
  public MaskSketch(int width, int height) {
    this(width, height, null);
  }

  private MaskSketch(int width, int height, byte[] start) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("sketch size must be positive, got " + width + "x" + height + " (width x height)");
    }
    this.width = width;
    this.height = height;
    this.start = start != null ? start : new byte[width * height];
    this.labels = this.start.clone();
  }

  /** A sketch starting from an existing mask (undo goes back to it, not further). */
  public static MaskSketch of(IndexMask mask) {
    return new MaskSketch(mask.width(), mask.height(), mask.indices().clone());
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /**
   * The live labels, {@code [height, width]} row-major, read unsigned. Read-only for callers: it
   * is the sketch's own array, returned without copying so that a view can redraw from it cheaply.
   */
  public byte[] labels() {
    return labels;
  }

  /** The label at pixel ({@code x}, {@code y}), 0..255. */
  public int label(int x, int y) {
    return labels[y * width + x] & 0xFF;
  }

  /**
   * Starts a stroke with a touch at ({@code x}, {@code y}) and paints the disc under it.
   *
   * @return a rectangle holding the pixels painted, or {@code null} when the disc misses the image
   * @throws IllegalStateException when a stroke is already in progress
   * @throws IllegalArgumentException for a label outside 0..255, a radius that is not finite and
   *     positive, or a coordinate that is not finite
   */
  public PixelRect begin(int label, float radius, float x, float y) {
    if (currentLabel >= 0) {
      throw new IllegalStateException("a stroke is already in progress; call end() first");
    }
    checkLabel(label);
    checkRadius(radius);
    checkCoordinate(x, "x");
    checkCoordinate(y, "y");
    currentLabel = label;
    currentRadius = radius;
    currentLength = 0;
    append(x, y);
    return paintSegment(labels, label, radius, x, y, x, y);
  }

  /**
   * Extends the stroke in progress to ({@code x}, {@code y}), painting the capsule of the new segment.
   *
   * @return a rectangle holding the pixels painted, or {@code null} when the segment misses the image
   * @throws IllegalStateException when no stroke is in progress
   */
  public PixelRect lineTo(float x, float y) {
    if (currentLabel < 0) {
      throw new IllegalStateException("no stroke in progress; call begin() first");
    }
    checkCoordinate(x, "x");
    checkCoordinate(y, "y");
    float px = current[currentLength - 2];
    float py = current[currentLength - 1];
    append(x, y);
    return paintSegment(labels, currentLabel, currentRadius, px, py, x, y);
  }

  /**
   * Finishes the stroke in progress, making it undoable.
   *
   * @return the stroke
   * @throws IllegalStateException when no stroke is in progress
   */
  public Stroke end() {
    if (currentLabel < 0) {
      throw new IllegalStateException("no stroke in progress; call begin() first");
    }
    Stroke s = new Stroke(currentLabel, currentRadius, Arrays.copyOf(current, currentLength));
    done.add(s);
    currentLabel = -1;
    return s;
  }

  /** Whether a stroke is in progress (between {@link #begin} and {@link #end}). */
  public boolean drawing() {
    return currentLabel >= 0;
  }

  /**
   * Paints a whole stroke at once (as begin, lineTo for each further point, end).
   *
   * @return a rectangle holding the pixels painted, or {@code null} when the stroke misses the image
   */
  public PixelRect apply(Stroke stroke) {
    float[] p = stroke.points;
    PixelRect dirty = begin(stroke.label(), stroke.radius(), p[0], p[1]);
    for (int i = 2; i < p.length; i += 2) {
      PixelRect r = lineTo(p[i], p[i + 1]);
      dirty = r == null ? dirty : r.union(dirty);
    }
    end();
    return dirty;
  }

  /** The finished strokes since the start, oldest first. */
  public List<Stroke> strokes() {
    return List.copyOf(done);
  }

  /**
   * Removes the last finished stroke: the labels become the start plus the earlier strokes.
   *
   * @return whether there was a stroke to undo
   * @throws IllegalStateException when a stroke is in progress
   */
  public boolean undo() {
    if (currentLabel >= 0) {
      throw new IllegalStateException("cannot undo while a stroke is in progress");
    }
    if (done.isEmpty()) {
      return false;
    }
    done.remove(done.size() - 1);
    // Strokes overwrite each other, so the only exact undo is to replay the rest from the start.
    System.arraycopy(start, 0, labels, 0, labels.length);
    for (Stroke s : done) {
      float[] p = s.points;
      for (int i = 0; i < p.length; i += 2) {
        int from = Math.max(0, i - 2); // the first point paints its disc, later ones a segment
        paintSegment(labels, s.label(), s.radius(), p[from], p[from + 1], p[i], p[i + 1]);
      }
    }
    return true;
  }

  /** Erases everything, the start mask included, and forgets the strokes (not undoable). */
  public void clear() {
    if (currentLabel >= 0) {
      throw new IllegalStateException("cannot clear while a stroke is in progress");
    }
    Arrays.fill(start, (byte) 0);
    Arrays.fill(labels, (byte) 0);
    done.clear();
  }

  /** The distinct object labels present (background 0 excluded), ascending. */
  public int[] objectLabels() {
    boolean[] seen = new boolean[256];
    for (byte b : labels) {
      seen[b & 0xFF] = true;
    }
    int[] out = new int[256];
    int n = 0;
    for (int k = 1; k < 256; k++) {
      if (seen[k]) {
        out[n++] = k;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** The sketch as a mask with the DAVIS palette (a copy; the sketch stays editable). */
  public IndexMask toIndexMask() {
    return new IndexMask(height, width, labels.clone(), Palette.DAVIS);
  }

  private void append(float x, float y) {
    if (currentLength + 2 > current.length) {
      current = Arrays.copyOf(current, current.length * 2);
    }
    current[currentLength++] = x;
    current[currentLength++] = y;
  }

  /** Paints every pixel whose centre is within {@code r} of segment a-b; returns the box scanned, or null if none painted. */
  private PixelRect paintSegment(byte[] target, int label, float r, float ax, float ay, float bx, float by) {
    int x0 = Math.max(0, (int) Math.floor(Math.min(ax, bx) - r - 0.5f));
    int y0 = Math.max(0, (int) Math.floor(Math.min(ay, by) - r - 0.5f));
    int x1 = Math.min(width, (int) Math.ceil(Math.max(ax, bx) + r + 0.5f) + 1);
    int y1 = Math.min(height, (int) Math.ceil(Math.max(ay, by) + r + 0.5f) + 1);
    if (x0 >= x1 || y0 >= y1) {
      return null;
    }
    double dx = (double) bx - ax;
    double dy = (double) by - ay;
    double len2 = dx * dx + dy * dy;
    double r2 = (double) r * r;
    byte value = (byte) label;
    boolean any = false;
    for (int y = y0; y < y1; y++) {
      double cy = y + 0.5;
      int row = y * width;
      for (int x = x0; x < x1; x++) {
        double cx = x + 0.5;
        // Distance from the pixel centre to the closest point of the segment.
        double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((cx - ax) * dx + (cy - ay) * dy) / len2));
        double ex = cx - (ax + t * dx);
        double ey = cy - (ay + t * dy);
        if (ex * ex + ey * ey <= r2) {
          target[row + x] = value;
          any = true;
        }
      }
    }
    return any ? new PixelRect(x0, y0, x1, y1) : null;
  }

  private static void checkLabel(int label) {
    if (label < 0 || label > 255) {
      throw new IllegalArgumentException("label must be 0 (eraser) to 255, got " + label);
    }
  }

  private static void checkRadius(float radius) {
    if (!(radius > 0) || Float.isInfinite(radius)) {
      throw new IllegalArgumentException("radius must be finite and positive, got " + radius);
    }
  }

  private static void checkCoordinate(float v, String name) {
    if (!Float.isFinite(v)) {
      throw new IllegalArgumentException(name + " must be finite, got " + v);
    }
  }
}
