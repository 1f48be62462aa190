package org.cropmae.app.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.cropmae.runtime.io.Npy;
import org.cropmae.runtime.pose.PoseLabels;
import org.cropmae.runtime.tensor.FloatGrid;
import org.junit.jupiter.api.Test;

/**
 * Frame 0's JHMDB label maps, drawn from {@code joint_positions.mat} (read with mfl-core) as the
 * official {@code JhmdbSet} draws them, against the maps the official code propagated from
 * ({@code jhmdb_expected/0_soft_t00-07.npy}, frame 0). Tolerance 1e-7 abs (float32 of the same
 * float64 Gaussian; measured 0).
 */
class JhmdbLabelsParityTest {
  private static Path fixture(String name) throws URISyntaxException {
    return Path.of(JhmdbLabelsParityTest.class.getResource("/reference/evaluate/" + name).toURI());
  }

  @Test
  void firstFrameMapsAreTheOfficialOnes() throws Exception {
    double[][][] pos = JhmdbJoints.read(fixture(
        "jhmdb/joint_positions/synth_wave/synthwave_a_f_nm_np1_fr_med_0/joint_positions.mat"));
    assertEquals(15, pos[0].length);
    assertEquals(24, pos[0][0].length);
    double[] x = new double[15];
    double[] y = new double[15];
    for (int j = 0; j < 15; j++) {
      // frames are 120x160, resized to 320x320, 16-pixel cells
      x[j] = (pos[0][j][0] - 1) * 320.0 / 160.0 / 16;
      y[j] = (pos[1][j][0] - 1) * 320.0 / 120.0 / 16;
    }
    FloatGrid mine = PoseLabels.heatmaps(x, y, 20, 20, PoseLabels.REFERENCE_SIGMA);
    float[] official = Npy.read(fixture("jhmdb_expected/0_soft_t00-07.npy")).toFloatArray();
    float[] v = mine.values();
    for (int i = 0; i < v.length; i++) {
      assertEquals(official[i], v[i], 1e-7, "label value " + i + " (channel " + (i % 16) + ")");
    }
  }
}
