package org.cropmae.runtime.pose;

import java.util.Objects;
import org.cropmae.runtime.tensor.FloatGrid;

/**
 * Joints to label maps and back, exactly as the reference's JHMDB evaluation
 * ({@code src/data/jhmdb.py} and {@code process_pose} in {@code src/utils/test_utils.py}).
 *
 * <p><b>Encoding.</b> Joint {@code j} at grid position {@code (x, y)} (feature-grid cells, float) is
 * a {@code ceil(6σ+1)}-square Gaussian patch, peak 1 at its centre cell, written (not max-ed) into
 * channel {@code 1+j}; the patch's corner is {@code trunc(x - 3σ)}, truncating toward zero as
 * Python's {@code int()}, and it is clipped at the grid's borders (a joint whose patch lies wholly
 * outside leaves its channel empty). Channel 0 is the background: 1 where every joint channel is 0,
 * else 0. The paper uses σ = 0.5 ({@link #REFERENCE_SIGMA}), a 4x4 patch.
 *
 * <p><b>Decoding.</b> Per joint channel, the {@code k} grid cells with the largest values
 * ({@link #REFERENCE_TOP_K} = 5; equal values resolved as PyTorch's {@code topk} resolves them,
 * see {@link TorchTopK}), their values normalised to sum to 1,
 * give the coordinate as the weighted mean of their {@code (x, y)}; a channel that is 0 everywhere
 * gives {@code (-1, -1)} (the joint is lost). Arithmetic is float32, as the reference's tensors.
 */
public final class PoseLabels {
  /** The Gaussian width the reference draws joints with, in grid cells. */
  public static final double REFERENCE_SIGMA = 0.5;

  /** The number of strongest cells the reference averages per joint. */
  public static final int REFERENCE_TOP_K = 5;

  private PoseLabels() {}

  /**
   * Label maps of one frame's joints.
   *
   * @param x {@code [J]} joint x in grid cells (column), float64 as the reference computes it
   * @param y {@code [J]} joint y in grid cells (row)
   * @param gridHeight rows of the feature grid
   * @param gridWidth columns of the feature grid
   * @param sigma Gaussian width in cells (> 0)
   * @return {@code [gridHeight, gridWidth, 1 + J]}: background, then one channel per joint
   * @throws IllegalArgumentException when the arrays differ in length or a size is not positive
   */
  public static FloatGrid heatmaps(double[] x, double[] y, int gridHeight, int gridWidth, double sigma) {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(y, "y");
    if (x.length != y.length) {
      throw new IllegalArgumentException("joint coordinates: " + x.length + " x values but " + y.length + " y values");
    }
    if (gridHeight <= 0 || gridWidth <= 0 || !(sigma > 0)) {
      throw new IllegalArgumentException("grid " + gridHeight + "x" + gridWidth + " and sigma " + sigma + " must be positive");
    }
    int joints = x.length;
    int channels = 1 + joints;
    FloatGrid out = FloatGrid.zeros(gridHeight, gridWidth, channels);
    float[] v = out.values();
    double size = 6 * sigma + 1;
    int patch = (int) Math.ceil(size); // np.arange(0, size, 1) has ceil(size) elements
    double centre = Math.floor(size / 2); // Python's size // 2 on a float
    double[][] g = new double[patch][patch];
    for (int gy = 0; gy < patch; gy++) {
      for (int gx = 0; gx < patch; gx++) {
        double dx = gx - centre;
        double dy = gy - centre;
        g[gy][gx] = Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
      }
    }
    for (int j = 0; j < joints; j++) {
      // Python int() truncates toward zero, as a Java cast does.
      int ulx = (int) (x[j] - 3 * sigma);
      int uly = (int) (y[j] - 3 * sigma);
      int brx = (int) (x[j] + 3 * sigma + 1);
      int bry = (int) (y[j] + 3 * sigma + 1);
      if (Double.isNaN(x[j]) || Double.isNaN(y[j]) || ulx >= gridWidth || uly >= gridHeight || brx < 0 || bry < 0) {
        continue;
      }
      int imgX0 = Math.max(0, ulx);
      int imgX1 = Math.min(brx, gridWidth);
      int imgY0 = Math.max(0, uly);
      int imgY1 = Math.min(bry, gridHeight);
      int gX0 = Math.max(0, -ulx);
      int gY0 = Math.max(0, -uly);
      for (int yy = imgY0; yy < imgY1; yy++) {
        int gy = gY0 + (yy - imgY0);
        if (gy >= patch) {
          break;
        }
        for (int xx = imgX0; xx < imgX1; xx++) {
          int gx = gX0 + (xx - imgX0);
          if (gx >= patch) {
            break;
          }
          v[(yy * gridWidth + xx) * channels + 1 + j] = (float) g[gy][gx];
        }
      }
    }
    for (int p = 0; p < gridHeight * gridWidth; p++) {
      float sum = 0;
      for (int c = 1; c < channels; c++) {
        sum += v[p * channels + c];
      }
      v[p * channels] = sum == 0 ? 1f : 0f;
    }
    return out;
  }

  /**
   * Joint coordinates of one frame's propagated labels.
   *
   * @param labels {@code [h, w, 1 + J]} soft labels, channel 0 the background (ignored)
   * @param topK cells averaged per joint (at most {@code h*w} are used)
   * @return {@code [2][J]}: row 0 x, row 1 y, in grid cells; {@code -1} for a joint whose channel is
   *     all zero
   */
  public static float[][] decode(FloatGrid labels, int topK) {
    Objects.requireNonNull(labels, "labels");
    if (labels.channels() < 2) {
      throw new IllegalArgumentException("pose labels need a background and at least one joint channel, got "
          + labels.channels() + " channels");
    }
    if (topK < 1) {
      throw new IllegalArgumentException("topK must be at least 1, got " + topK);
    }
    int h = labels.height();
    int w = labels.width();
    int cells = h * w;
    int c = labels.channels();
    int joints = c - 1;
    int k = Math.min(cells, topK);
    float[] v = labels.values();
    float[][] out = new float[2][joints];
    float[] best = new float[k];
    int[] bestIdx = new int[k];
    for (int j = 0; j < joints; j++) {
      boolean anyNonZero = false;
      for (int p = 0; p < cells && !anyNonZero; p++) {
        anyNonZero = v[p * c + 1 + j] != 0;
      }
      TorchTopK.topK(v, 1 + j, c, cells, k, best, bestIdx);
      if (!anyNonZero) {
        out[0][j] = -1;
        out[1][j] = -1;
        continue;
      }
      float total = 0;
      for (int i = 0; i < k; i++) {
        total += best[i];
      }
      float sx = 0;
      float sy = 0;
      for (int i = 0; i < k; i++) {
        float weight = best[i] / total;
        sx += (bestIdx[i] % w) * weight;
        sy += (bestIdx[i] / w) * weight;
      }
      out[0][j] = sx;
      out[1][j] = sy;
    }
    return out;
  }
}
