package org.cropmae.runtime.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * JHMDB keypoint propagation accuracy, PCK@{@code alpha}, exactly as the reference's
 * {@code src/eval/eval_pck.py} computes it.
 *
 * <p>Per video and frame {@code k}: a joint is visible when its predicted x is not negative (the
 * propagation writes -1 for a lost joint: visibility comes from the prediction, not the ground
 * truth). Predictions in feature-grid units are scaled in float32 to pixels
 * ({@code x / gridWidth * imageWidth}, {@code y / gridHeight * imageHeight}). The normalising size
 * of frame {@code k} is {@code 0.6 *} the diagonal of the bounding box of the ground-truth joints
 * that are visible in that sense (neither the torso size nor all joints). Frame 0, whose labels are
 * given, is skipped. A joint is correct when its Euclidean pixel error divided by that size is
 * {@code <= alpha}. PCK of joint {@code j} is {@code 100 *} correct / visible over all videos and
 * frames, and the reported PCK is the mean of the per-joint values (not the pooled ratio).
 */
public final class JhmdbPck {
  /** The thresholds the reference prints: 0.1 to 0.5. The paper reports 0.1 and 0.2. */
  public static final List<Double> REFERENCE_THRESHOLDS = List.of(0.1, 0.2, 0.3, 0.4, 0.5);

  /** The reference's default {@code --feat_res}: 20 x 20 grid cells. */
  public static final int DEFAULT_GRID_SIZE = 20;

  private JhmdbPck() {}

  /**
   * One video.
   *
   * @param groundTruth {@code [2][J][T]}: {@code pos_img} of the video's
   *     {@code joint_positions.mat} as stored (MATLAB 1-based pixels; row 0 is x, row 1 is y)
   * @param predictions {@code [2][J][T']}, {@code T' >= T}: the propagated joint coordinates in
   *     feature-grid units as the propagation dumps them ({@code <video>.dat}); negative x = lost
   * @param imageHeight height in pixels of the video's frames
   * @param imageWidth width in pixels of the video's frames
   */
  public record Video(
      double[][][] groundTruth, float[][][] predictions, int imageHeight, int imageWidth) {
    public Video {
      Objects.requireNonNull(groundTruth, "groundTruth");
      Objects.requireNonNull(predictions, "predictions");
      if (imageHeight <= 0 || imageWidth <= 0) {
        throw new IllegalArgumentException(
            "image size must be positive, got " + imageHeight + "x" + imageWidth);
      }
    }
  }

  /**
   * PCK at one threshold.
   *
   * @param threshold alpha
   * @param perJoint {@code [J]}, percent
   * @param mean mean of {@code perJoint}, percent
   */
  public record Result(double threshold, double[] perJoint, double mean) {}

  /**
   * Normalised errors of every visible joint in every frame but the first, per joint in video and
   * frame order.
   *
   * @param gridWidth feature-grid columns ({@code feat_res[0]}), dividing x
   * @param gridHeight feature-grid rows ({@code feat_res[1]}), dividing y
   * @return {@code [J][samples of joint j]}
   * @throws IllegalArgumentException naming the video whose arrays are malformed
   */
  public static double[][] normalizedErrors(List<Video> videos, int gridWidth, int gridHeight) {
    Objects.requireNonNull(videos, "videos");
    if (gridWidth <= 0 || gridHeight <= 0) {
      throw new IllegalArgumentException(
          "feature grid must be positive, got " + gridWidth + "x" + gridHeight);
    }
    if (videos.isEmpty()) {
      throw new IllegalArgumentException("videos is empty");
    }
    int joints = -1;
    List<double[]> perJoint = new ArrayList<>();
    int[] sizes = null;
    for (int v = 0; v < videos.size(); v++) {
      Video video = videos.get(v);
      double[][][] gt = video.groundTruth();
      float[][][] pred = video.predictions();
      int j0 = checkShape(v, gt, pred);
      if (joints < 0) {
        joints = j0;
        sizes = new int[joints];
        for (int j = 0; j < joints; j++) {
          perJoint.add(new double[16]);
        }
      } else if (j0 != joints) {
        throw new IllegalArgumentException(
            "videos[" + v + "] has " + j0 + " joints but videos[0] has " + joints);
      }
      int frames = gt[0][0].length;
      float sx = (float) gridWidth;
      float sy = (float) gridHeight;
      float w = (float) video.imageWidth();
      float h = (float) video.imageHeight();
      for (int k = 1; k < frames; k++) {
        double box = normalisingSize(gt, pred, k, joints);
        for (int j = 0; j < joints; j++) {
          if (pred[0][j][k] < 0) {
            continue;
          }
          // float32 arithmetic: the reference scales a float32 array by Python scalars.
          float px = pred[0][j][k] / sx * w;
          float py = pred[1][j][k] / sy * h;
          double dx = (double) px - (gt[0][j][k] - 1);
          double dy = (double) py - (gt[1][j][k] - 1);
          double d = Math.sqrt(dx * dx + dy * dy);
          double[] list = perJoint.get(j);
          if (sizes[j] == list.length) {
            list = Arrays.copyOf(list, list.length * 2);
            perJoint.set(j, list);
          }
          list[sizes[j]++] = d / box;
        }
      }
    }
    double[][] out = new double[joints][];
    for (int j = 0; j < joints; j++) {
      out[j] = Arrays.copyOf(perJoint.get(j), sizes[j]);
    }
    return out;
  }

  /** 0.6 x the diagonal of the box around the ground-truth joints visible in frame {@code k}. */
  private static double normalisingSize(double[][][] gt, float[][][] pred, int k, int joints) {
    // The reference's initial values: a frame without visible joints gets a huge box.
    double minX = 1e6;
    double maxX = -1;
    double minY = 1e6;
    double maxY = -1;
    for (int j = 0; j < joints; j++) {
      if (pred[0][j][k] < 0) {
        continue;
      }
      double x = gt[0][j][k] - 1;
      double y = gt[1][j][k] - 1;
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
    double dx = maxX - minX;
    double dy = maxY - minY;
    return 0.6 * Math.sqrt(dx * dx + dy * dy);
  }

  private static int checkShape(int v, double[][][] gt, float[][][] pred) {
    String name = "videos[" + v + "]";
    if (gt.length != 2 || pred.length != 2) {
      throw new IllegalArgumentException(
          name + ": groundTruth and predictions must be [2][J][T] (x and y rows)");
    }
    int joints = gt[0].length;
    if (joints == 0 || gt[1].length != joints) {
      throw new IllegalArgumentException(name + ": groundTruth x and y rows differ or are empty");
    }
    if (pred[0].length != joints || pred[1].length != joints) {
      throw new IllegalArgumentException(
          name + ": predictions have " + pred[0].length + " joints, groundTruth " + joints);
    }
    int frames = gt[0][0].length;
    for (int c = 0; c < 2; c++) {
      for (int j = 0; j < joints; j++) {
        if (gt[c][j].length != frames) {
          throw new IllegalArgumentException(name + ": groundTruth rows have different lengths");
        }
        if (pred[c][j].length < frames) {
          throw new IllegalArgumentException(
              name + ": predictions cover " + pred[c][j].length + " frames, groundTruth "
                  + frames);
        }
      }
    }
    return joints;
  }

  /**
   * PCK at each threshold.
   *
   * @param gridWidth feature-grid columns, {@link #DEFAULT_GRID_SIZE} in the reference
   * @param gridHeight feature-grid rows, {@link #DEFAULT_GRID_SIZE} in the reference
   * @param thresholds e.g. {@link #REFERENCE_THRESHOLDS}
   * @throws IllegalArgumentException when a joint is never visible after the first frame (the
   *     reference divides by zero there)
   */
  public static List<Result> evaluate(
      List<Video> videos, int gridWidth, int gridHeight, List<Double> thresholds) {
    Objects.requireNonNull(thresholds, "thresholds");
    double[][] errors = normalizedErrors(videos, gridWidth, gridHeight);
    for (int j = 0; j < errors.length; j++) {
      if (errors[j].length == 0) {
        throw new IllegalArgumentException(
            "joint " + j + " is never visible after the first frame; its PCK is undefined");
      }
    }
    List<Result> out = new ArrayList<>(thresholds.size());
    for (double threshold : thresholds) {
      double[] pck = new double[errors.length];
      for (int j = 0; j < errors.length; j++) {
        int correct = 0;
        for (double e : errors[j]) {
          if (e <= threshold) {
            correct++;
          }
        }
        pck[j] = 100.0 * correct / errors[j].length;
      }
      out.add(new Result(threshold, pck, NumpyMath.mean(pck, 0, pck.length)));
    }
    return out;
  }
}
