package org.cropmae.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JhmdbPckTest {
  /*
   * Two joints, images 100 (h) x 200 (w), 20 x 20 grid: a prediction (gx, gy) in grid units is
   * (10 gx, 5 gy) pixels. Grid values are chosen so that gx / 20 and gy / 20 are exact in binary.
   * Ground truth is 1-based as in joint_positions.mat.
   *
   * Video A, 3 frames:
   *   frame 0 is skipped (predictions there are far off and must not count).
   *   frame 1: GT joint0 (13, 26) -> (12, 25), joint1 (37, 58) -> (36, 57). Box: dx 24, dy 32,
   *            diagonal 40, size 0.6 * 40 = 24.
   *            joint0 predicted (1.25, 5) -> (12.5, 25): error 0.5 -> 0.5 / 24 = 0.0208.
   *            joint1 predicted (3.75, 10) -> (37.5, 50): error sqrt(1.5^2 + 7^2) = sqrt(51.25)
   *            -> / 24 = 0.2983.
   *   frame 2: joint1 lost (x = -1): not scored and left out of the box, so the box of joint0
   *            alone is 0; joint0 error 0.5 / 0 = +inf: scored, never correct.
   * Video B, 2 frames:
   *   frame 1: GT joint0 (1, 1) -> (0, 0), joint1 (31, 41) -> (30, 40): box 0.6 * 50 = 30.
   *            joint0 predicted (0, 0): error 0. joint1 predicted (3.125, 8.75) -> (31.25, 43.75):
   *            error sqrt(1.25^2 + 3.75^2) = sqrt(15.625) -> / 30 = 0.1318.
   *
   * Joint 0 errors {0.0208, inf, 0}, joint 1 errors {0.2983, 0.1318}.
   * PCK@0.1: joint0 2/3 = 66.67 %, joint1 0 %   -> mean 33.33 %.
   * PCK@0.2: joint0 66.67 %,       joint1 50 %  -> mean 58.33 %.
   * PCK@0.3: joint0 66.67 %,       joint1 100 % -> mean 83.33 %.
   */
  private static List<JhmdbPck.Video> videos() {
    double[][][] gtA = {
      {{50, 13, 13}, {50, 37, 37}},
      {{50, 26, 26}, {50, 58, 58}}
    };
    float[][][] predA = {
      {{15, 1.25f, 1.25f}, {15, 3.75f, -1f}},
      {{15, 5f, 5f}, {15, 10f, -1f}}
    };
    double[][][] gtB = {
      {{5, 1}, {5, 31}},
      {{5, 1}, {5, 41}}
    };
    float[][][] predB = {
      {{0, 0}, {0, 3.125f}},
      {{0, 0}, {0, 8.75f}}
    };
    return List.of(
        new JhmdbPck.Video(gtA, predA, 100, 200), new JhmdbPck.Video(gtB, predB, 100, 200));
  }

  @Test
  void handComputedErrors() {
    double[][] e = JhmdbPck.normalizedErrors(videos(), 20, 20);
    assertArrayEquals(new double[] {0.5 / 24, Double.POSITIVE_INFINITY, 0.0}, e[0], 1e-15);
    assertArrayEquals(new double[] {Math.sqrt(51.25) / 24, Math.sqrt(15.625) / 30}, e[1], 1e-15);
  }

  @Test
  void handComputedPck() {
    List<JhmdbPck.Result> r = JhmdbPck.evaluate(videos(), 20, 20, List.of(0.1, 0.2, 0.3));
    assertArrayEquals(new double[] {200.0 / 3, 0}, r.get(0).perJoint(), 1e-12);
    assertEquals(100.0 / 3, r.get(0).mean(), 1e-12);
    assertArrayEquals(new double[] {200.0 / 3, 50}, r.get(1).perJoint(), 1e-12);
    assertEquals(175.0 / 3, r.get(1).mean(), 1e-12);
    assertEquals(250.0 / 3, r.get(2).mean(), 1e-12);
  }

  @Test
  void rejectsMalformedInput() {
    float[][][] shortPred = {{{0}, {0}}, {{0}, {0}}};
    double[][][] gt = {{{1, 1}, {1, 1}}, {{1, 1}, {1, 1}}};
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                JhmdbPck.normalizedErrors(
                    List.of(new JhmdbPck.Video(gt, shortPred, 10, 10)), 20, 20));
    assertTrue(e.getMessage().startsWith("videos[0]"), e.getMessage());
    // A joint lost in every scored frame: the reference divides by zero; we say which joint.
    float[][][] lost = {{{0, 0}, {0, -1}}, {{0, 0}, {0, 0}}};
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                JhmdbPck.evaluate(
                    List.of(new JhmdbPck.Video(gt, lost, 10, 10)), 20, 20, List.of(0.1)));
    assertTrue(e.getMessage().contains("joint 1"), e.getMessage());
  }
}
