package org.cropmae.runtime.eval;

import org.cropmae.runtime.mask.IndexMask;

import java.util.List;
import java.util.Objects;

/**
 * Accumulates the VIP human-part parsing confusion matrix over a whole dataset and scores it,
 * exactly as {@code src/eval/eval_vip.py} does: one matrix for all frames of all videos (mIoU is
 * not averaged per video), rows = ground-truth class, columns = predicted class.
 *
 * <p>Ground-truth labels outside {@code [0, numClasses)} (e.g. 255) are ignored. Predictions above
 * {@code numClasses} are rejected, as the reference rejects them; a prediction equal to
 * {@code numClasses} is counted the way the reference's flat {@code bincount} counts it (in the
 * next row's first column), and is an error only where that falls outside the matrix.
 *
 * <p>Not thread-safe: use one instance per thread and {@link #merge} them.
 */
public final class VipMiou {
  /** VIP's 20 classes, background included. */
  public static final int REFERENCE_CLASSES = 20;

  /** VIP class names by id, as in the reference. */
  public static final List<String> CLASS_NAMES =
      List.of(
          "background", "hat", "hair", "sun-glasses", "upper-clothes", "dress", "coat", "socks",
          "pants", "gloves", "scarf", "skirt", "torso-skin", "face", "right-arm", "left-arm",
          "right-leg", "left-leg", "right-shoe", "left-shoe");

  private final int numClasses;
  private final long[] confusion;

  /** An empty accumulator for VIP's {@value #REFERENCE_CLASSES} classes. */
  public VipMiou() {
    this(REFERENCE_CLASSES);
  }

  /** An empty accumulator for {@code numClasses} classes (1..255). */
  public VipMiou(int numClasses) {
    if (numClasses < 1 || numClasses > 255) {
      throw new IllegalArgumentException("numClasses must be in 1..255, got " + numClasses);
    }
    this.numClasses = numClasses;
    this.confusion = new long[numClasses * numClasses];
  }

  public int numClasses() {
    return numClasses;
  }

  /**
   * Adds one frame. A prediction of another size is first resized to the label's size with
   * Pillow's nearest-neighbour rule, as the reference does.
   *
   * @throws IllegalArgumentException when the prediction holds a class above numClasses
   */
  public void add(IndexMask label, IndexMask prediction) {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(prediction, "prediction");
    requireClasses(prediction.maxIndex(), "prediction");
    byte[] pred = prediction.indices();
    if (prediction.height() != label.height() || prediction.width() != label.width()) {
      pred =
          PillowNearest.resize(
              pred, prediction.height(), prediction.width(), label.height(), label.width());
    }
    addSameSize(label.indices(), pred);
  }

  /**
   * Adds one frame of equally sized label arrays.
   *
   * @param label ground-truth classes, {@code [height * width]}, unsigned
   * @param prediction predicted classes, {@code [height * width]}, unsigned
   */
  public void add(byte[] label, byte[] prediction) {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(prediction, "prediction");
    if (label.length != prediction.length) {
      throw new IllegalArgumentException(
          "label has " + label.length + " pixels but prediction has " + prediction.length);
    }
    int max = 0;
    for (byte b : prediction) {
      max = Math.max(max, b & 0xFF);
    }
    requireClasses(max, "prediction");
    addSameSize(label, prediction);
  }

  private void requireClasses(int max, String what) {
    if (max > numClasses) {
      throw new IllegalArgumentException(
          what + " holds class " + max + " but there are only " + numClasses + " classes");
    }
  }

  private void addSameSize(byte[] label, byte[] prediction) {
    long[] local = new long[confusion.length];
    int n = numClasses;
    for (int p = 0; p < label.length; p++) {
      int a = label[p] & 0xFF;
      if (a >= n) {
        continue;
      }
      int index = n * a + (prediction[p] & 0xFF);
      if (index >= local.length) {
        throw new IllegalArgumentException(
            "prediction class " + (prediction[p] & 0xFF) + " on a pixel of class " + a
                + " falls outside the " + n + "x" + n + " confusion matrix");
      }
      local[index]++;
    }
    for (int i = 0; i < local.length; i++) {
      confusion[i] += local[i];
    }
  }

  /** Adds the counts of {@code other}, which must have as many classes. */
  public void merge(VipMiou other) {
    if (other.numClasses != numClasses) {
      throw new IllegalArgumentException(
          "cannot merge " + other.numClasses + " classes into " + numClasses);
    }
    for (int i = 0; i < confusion.length; i++) {
      confusion[i] += other.confusion[i];
    }
  }

  /** A copy of the confusion matrix, {@code [numClasses * numClasses]}, row = ground truth. */
  public long[] confusion() {
    return confusion.clone();
  }

  /** The scores of everything added so far. */
  public VipScores scores() {
    int n = numClasses;
    double[] correct = new double[n];
    double[] labelled = new double[n];
    double[] predicted = new double[n];
    long total = 0;
    long totalCorrect = 0;
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        long c = confusion[a * n + b];
        labelled[a] += c;
        predicted[b] += c;
        total += c;
      }
      correct[a] = confusion[a * n + a];
      totalCorrect += confusion[a * n + a];
    }
    double[] accuracy = new double[n];
    double[] iou = new double[n];
    double[] weighted = new double[n];
    int kept = 0;
    for (int c = 0; c < n; c++) {
      accuracy[c] = correct[c] / labelled[c];
      iou[c] = correct[c] / (labelled[c] + predicted[c] - correct[c]);
      double freq = labelled[c] / total;
      if (freq > 0) {
        weighted[kept++] = freq * iou[c];
      }
    }
    return new VipScores(
        (double) totalCorrect / total,
        NumpyMath.nanMean(accuracy, 0, n),
        NumpyMath.nanMean(iou, 0, n),
        NumpyMath.pairwiseSum(weighted, 0, kept),
        accuracy,
        iou);
  }
}
