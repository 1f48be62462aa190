package org.cropmae.runtime.eval;

import java.util.Objects;

/**
 * Per-frame DAVIS-2017 region similarity J (Jaccard index) and contour accuracy F (boundary
 * F-measure), computed exactly as {@code davis2017.metrics.db_eval_iou} and
 * {@code db_eval_boundary} do for the semi-supervised task (no void pixels), on plain label arrays.
 *
 * <p>All arrays are row-major {@code [height * width]}; label arrays are unsigned bytes.
 */
public final class DavisMetrics {
  /** The reference's boundary tolerance: a fraction of the image diagonal. */
  public static final double DEFAULT_BOUND_THRESHOLD = 0.008;

  /** The void label of DAVIS annotations, treated as background by the semi-supervised task. */
  public static final int VOID_LABEL = 255;

  private DavisMetrics() {}

  /**
   * Scores of every object of one frame.
   *
   * @param jaccard {@code [numObjects]}: J of object {@code o} at index {@code o - 1}
   * @param boundaryF {@code [numObjects]}: F of object {@code o} at index {@code o - 1}
   */
  public record FrameScores(double[] jaccard, double[] boundaryF) {}

  /**
   * The boundary matching radius in pixels: {@code ceil(boundThreshold * sqrt(h^2 + w^2))} for a
   * threshold below 1, otherwise the threshold itself (which must then be a whole number).
   */
  public static int boundaryRadius(int height, int width, double boundThreshold) {
    if (!(boundThreshold > 0) || Double.isInfinite(boundThreshold)) {
      throw new IllegalArgumentException(
          "boundThreshold must be a positive finite number, got " + boundThreshold);
    }
    if (boundThreshold >= 1) {
      if (boundThreshold != Math.rint(boundThreshold)) {
        throw new IllegalArgumentException(
            "boundThreshold >= 1 is a radius in pixels and must be whole, got " + boundThreshold);
      }
      return (int) boundThreshold;
    }
    double diagonal = Math.sqrt((double) height * height + (double) width * width);
    return (int) Math.ceil(boundThreshold * diagonal);
  }

  /**
   * J and F of objects {@code 1..numObjects} in one frame.
   *
   * <p>Annotation labels {@value #VOID_LABEL} (void) and labels above {@code numObjects} count as
   * background, as in the reference, which only separates ids {@code 1..numObjects} found in the
   * first annotated frame. An object absent from both masks scores J = 1 and F = 1; absent from
   * one only, J = 0 and F = 0.
   *
   * @param annotation ground-truth labels {@code [height * width]}
   * @param result predicted labels {@code [height * width]}, each at most {@code numObjects}
   * @param radius boundary tolerance in pixels, see {@link #boundaryRadius}
   * @throws IllegalArgumentException on mismatched lengths or a result label above numObjects
   */
  public static FrameScores evaluateFrame(
      byte[] annotation, byte[] result, int height, int width, int numObjects, int radius) {
    Objects.requireNonNull(annotation, "annotation");
    Objects.requireNonNull(result, "result");
    long pixels = (long) height * width;
    if (height <= 0 || width <= 0 || annotation.length != pixels || result.length != pixels) {
      throw new IllegalArgumentException(
          "annotation (" + annotation.length + " values) and result (" + result.length
              + " values) must both hold height x width = " + height + "x" + width + " labels");
    }
    if (numObjects < 0 || numObjects > 254) {
      throw new IllegalArgumentException("numObjects must be in 0..254, got " + numObjects);
    }
    if (radius < 0) {
      throw new IllegalArgumentException("radius must be >= 0, got " + radius);
    }
    int[] annotationLut = new int[256];
    int[] resultLut = new int[256];
    for (int v = 1; v <= numObjects; v++) {
      annotationLut[v] = v;
      resultLut[v] = v;
    }

    long[] intersection = new long[numObjects + 1];
    long[] annotated = new long[numObjects + 1];
    long[] predicted = new long[numObjects + 1];
    for (int p = 0; p < annotation.length; p++) {
      int r = result[p] & 0xFF;
      if (r > numObjects) {
        throw new IllegalArgumentException(
            "result holds label " + r + " but the annotation has only " + numObjects + " objects");
      }
      int a = annotationLut[annotation[p] & 0xFF];
      annotated[a]++;
      predicted[r]++;
      if (a == r) {
        intersection[a]++;
      }
    }

    ObjectBoundaries gtBounds =
        ObjectBoundaries.extract(annotation, height, width, annotationLut, numObjects);
    ObjectBoundaries resBounds =
        ObjectBoundaries.extract(result, height, width, resultLut, numObjects);
    int[] halfWidths = halfWidths(radius);

    double[] j = new double[numObjects];
    double[] f = new double[numObjects];
    for (int o = 1; o <= numObjects; o++) {
      j[o - 1] = jaccard(intersection[o], annotated[o] + predicted[o] - intersection[o]);
      int nFg = resBounds.count(o);
      int nGt = gtBounds.count(o);
      int fgMatch = resBounds.countMatched(o, gtBounds, radius, halfWidths);
      int gtMatch = gtBounds.countMatched(o, resBounds, radius, halfWidths);
      f[o - 1] = fMeasure(nFg, nGt, fgMatch, gtMatch);
    }
    return new FrameScores(j, f);
  }

  /** Precision/recall conventions of {@code f_measure} for empty boundaries, then their F. */
  private static double fMeasure(int nFg, int nGt, int fgMatch, int gtMatch) {
    double precision;
    double recall;
    if (nFg == 0 && nGt > 0) {
      precision = 1;
      recall = 0;
    } else if (nFg > 0 && nGt == 0) {
      precision = 0;
      recall = 1;
    } else if (nFg == 0) {
      precision = 1;
      recall = 1;
    } else {
      precision = fgMatch / (double) nFg;
      recall = gtMatch / (double) nGt;
    }
    return precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
  }

  /** {@code w[d]}: the half-width of row {@code d} of skimage's {@code disk(radius)}. */
  private static int[] halfWidths(int radius) {
    int[] w = new int[radius + 1];
    long r2 = (long) radius * radius;
    for (int d = 0; d <= radius; d++) {
      long rest = r2 - (long) d * d;
      int h = (int) Math.sqrt((double) rest);
      while ((long) (h + 1) * (h + 1) <= rest) {
        h++;
      }
      while ((long) h * h > rest) {
        h--;
      }
      w[d] = h;
    }
    return w;
  }

  /**
   * Region similarity J of two binary masks ({@code db_eval_iou} without void): intersection over
   * union, 1 when both are empty.
   */
  public static double jaccard(boolean[] annotation, boolean[] segmentation) {
    requireSameLength(annotation, segmentation);
    long inter = 0;
    long union = 0;
    for (int p = 0; p < annotation.length; p++) {
      if (annotation[p] && segmentation[p]) {
        inter++;
      }
      if (annotation[p] || segmentation[p]) {
        union++;
      }
    }
    return jaccard(inter, union);
  }

  /** {@code inters / union}, 1 for an empty union (the reference's {@code np.isclose(union, 0)}). */
  private static double jaccard(long intersection, long union) {
    return union == 0 ? 1.0 : (double) intersection / (double) union;
  }

  /**
   * Contour accuracy F of two binary masks ({@code db_eval_boundary} without void).
   *
   * @param boundThreshold see {@link #boundaryRadius}; the reference uses
   *     {@link #DEFAULT_BOUND_THRESHOLD}
   */
  public static double boundaryF(
      boolean[] annotation, boolean[] segmentation, int height, int width, double boundThreshold) {
    requireSameLength(annotation, segmentation);
    FrameScores s =
        evaluateFrame(
            toLabels(annotation),
            toLabels(segmentation),
            height,
            width,
            1,
            boundaryRadius(height, width, boundThreshold));
    return s.boundaryF()[0];
  }

  /**
   * The one-pixel boundary map of a binary mask, as {@code _seg2bmap} computes it (boundaries
   * offset half a pixel towards the origin).
   *
   * @param mask {@code [height * width]}
   * @return {@code [height * width]}, true on boundary pixels
   */
  public static boolean[] boundaryMap(boolean[] mask, int height, int width) {
    Objects.requireNonNull(mask, "mask");
    if (height <= 0 || width <= 0 || mask.length != (long) height * width) {
      throw new IllegalArgumentException(
          "mask holds " + mask.length + " values, expected " + height + "x" + width);
    }
    int[] lut = new int[256];
    lut[1] = 1;
    ObjectBoundaries b = ObjectBoundaries.extract(toLabels(mask), height, width, lut, 1);
    boolean[] map = new boolean[mask.length];
    for (int p = 0; p < map.length; p++) {
      map[p] = b.contains(1, p);
    }
    return map;
  }

  private static byte[] toLabels(boolean[] mask) {
    byte[] labels = new byte[mask.length];
    for (int p = 0; p < mask.length; p++) {
      labels[p] = (byte) (mask[p] ? 1 : 0);
    }
    return labels;
  }

  private static void requireSameLength(boolean[] annotation, boolean[] segmentation) {
    Objects.requireNonNull(annotation, "annotation");
    Objects.requireNonNull(segmentation, "segmentation");
    if (annotation.length != segmentation.length) {
      throw new IllegalArgumentException(
          "annotation has " + annotation.length + " pixels but segmentation has "
              + segmentation.length);
    }
  }
}
