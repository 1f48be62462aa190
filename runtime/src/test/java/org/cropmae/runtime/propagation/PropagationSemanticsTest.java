package org.cropmae.runtime.propagation;

import org.cropmae.runtime.preprocess.ProtocolSize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.cropmae.runtime.tensor.FloatGrid;
import org.junit.jupiter.api.Test;

/** Hand-built cases whose expected soft labels are worked out by hand from the protocol. */
class PropagationSemanticsTest {

  /** A {@code 1 x n} grid whose position {@code x} holds {@code rows[x]}. */
  static FloatGrid row(float[]... rows) {
    int d = rows[0].length;
    float[] v = new float[rows.length * d];
    for (int x = 0; x < rows.length; x++) {
      System.arraycopy(rows[x], 0, v, x * d, d);
    }
    return new FloatGrid(1, rows.length, d, v);
  }

  static float[] unit(int dim, int... ones) {
    float[] v = new float[dim];
    for (int i : ones) {
      v[i] = 1f;
    }
    return v;
  }

  static float[] vec(float... v) {
    return v;
  }

  /**
   * 1x5 grid, context 1, top-1. Frame 0: key x = e_x with label one-hot(x). Frame 1: position x =
   * e_x + e_{5+x}, so it copies frame 0's label x. Frame 2, position 0 = e_7 + 0.5 e_6: its best key
   * is frame 1's position 2 (dot 0.632) at distance exactly 2, then frame 1's position 1 (0.316);
   * every frame-0 key scores 0. Radius 2 is exclusive, so position 2 is masked and the label is
   * one-hot(1); with radius 2.01 it is one-hot(2).
   */
  @Test
  void radiusIsAStrictEuclideanBoundOnShortTermKeys() {
    int dim = 10;
    FloatGrid f0 = row(unit(dim, 0), unit(dim, 1), unit(dim, 2), unit(dim, 3), unit(dim, 4));
    FloatGrid l0 = row(unit(5, 0), unit(5, 1), unit(5, 2), unit(5, 3), unit(5, 4));
    FloatGrid f1 = row(unit(dim, 0, 5), unit(dim, 1, 6), unit(dim, 2, 7), unit(dim, 3, 8), unit(dim, 4, 9));
    float[] q = new float[dim];
    q[7] = 1f;
    q[6] = 0.5f;
    FloatGrid f2 = row(q, unit(dim, 1), unit(dim, 2), unit(dim, 3), unit(dim, 4));

    PropagationConfig base = new PropagationConfig(1, 1, 0.7, 2, new ProtocolSize.Fixed(16, 80));
    List<FloatGrid> strict = LabelPropagator.builder(base).threads(1).propagate(List.of(f0, f1, f2), l0);
    for (int x = 0; x < 5; x++) {
      assertArrayEquals(unit(5, x), cell(strict.get(1), x), 0f, "frame 1 copies frame 0 at x=" + x);
    }
    assertArrayEquals(unit(5, 1), cell(strict.get(2), 0), 0f);

    List<FloatGrid> wider = LabelPropagator.builder(base.withRadius(2.01)).threads(1)
        .propagate(List.of(f0, f1, f2), l0);
    assertArrayEquals(unit(5, 2), cell(wider.get(2), 0), 0f);
  }

  /**
   * 1x2 grid, context 2, top-5, temperature 0.5. Frame 0: key 0 = e0 (label [1,0]), key 1 = e1
   * (label [0,1]). For frame 1 the context is frame 0 as long-term memory plus frame 0 twice more
   * (the repeated first frame), i.e. 6 keys. Query 0 = (0.8, 0.6): with radius 1.5 both keys are
   * in range and appear 3 times each, so the top-5 takes key 0 three times and key 1 twice; with
   * radius 1 key 1 is in range only as long-term memory (once), leaving 4 unmasked keys, and the
   * fifth slot goes to a masked copy whose weight is 0.
   */
  @Test
  void repeatedFirstFrameKeysFillSeveralSlotsAndMaskedOnesWeighNothing() {
    FloatGrid f0 = row(vec(1f, 0f), vec(0f, 1f));
    FloatGrid l0 = row(vec(1f, 0f), vec(0f, 1f));
    FloatGrid f1 = row(vec(0.8f, 0.6f), vec(0f, 2f));
    double t = 0.5;
    double a = Math.exp(0.8 / t);
    double b = Math.exp(0.6 / t);
    double c = Math.exp(0.0 / t);
    double d = Math.exp(1.0 / t);
    PropagationConfig wide = new PropagationConfig(2, 5, t, 1.5, new ProtocolSize.Fixed(16, 32));

    List<FloatGrid> out = LabelPropagator.builder(wide).threads(1).propagate(List.of(f0, f1), l0);
    assertArrayEquals(vec((float) (3 * a / (3 * a + 2 * b)), (float) (2 * b / (3 * a + 2 * b))), cell(out.get(1), 0), 1e-6f);
    assertArrayEquals(vec((float) (2 * c / (2 * c + 3 * d)), (float) (3 * d / (2 * c + 3 * d))), cell(out.get(1), 1), 1e-6f);

    List<FloatGrid> narrow = LabelPropagator.builder(wide.withRadius(1)).threads(1).propagate(List.of(f0, f1), l0);
    assertArrayEquals(vec((float) (3 * a / (3 * a + b)), (float) (b / (3 * a + b))), cell(narrow.get(1), 0), 1e-6f);
    assertArrayEquals(vec((float) (c / (c + 3 * d)), (float) (3 * d / (c + 3 * d))), cell(narrow.get(1), 1), 1e-6f);
  }

  /**
   * The copies of the first frame leave the short-term context one per frame: with context 2,
   * frame 1 sees frame 0 three times, frame 2 sees frame 0 (long-term), frame 0 once more and frame
   * 1. Frame 2's query e0 scores 1 against exactly two copies of frame-0 key 0 and 0 against every
   * other key, all of which carry label [0,1].
   */
  @Test
  void firstFrameCopiesShrinkAsTheVideoAdvances() {
    FloatGrid f0 = row(vec(1f, 0f), vec(0f, 1f));
    FloatGrid l0 = row(vec(1f, 0f), vec(0f, 1f));
    FloatGrid f1 = row(vec(0f, 1f), vec(0f, 1f));
    FloatGrid f2 = row(vec(1f, 0f), vec(0f, 1f));
    PropagationConfig config = new PropagationConfig(2, 3, 1.0, 5, new ProtocolSize.Fixed(16, 32));
    List<FloatGrid> out = LabelPropagator.builder(config).threads(1).propagate(List.of(f0, f1, f2), l0);
    // Frame 1, query e1 at both positions: key 1 of frame 0 appears 3 times (dot 1) -> [0, 1].
    assertArrayEquals(vec(0f, 1f), cell(out.get(1), 0), 0f);
    // Frame 2, query e0: frame-0 key 0 twice (dot 1), then dot 0 for everything else (key 1 twice,
    // frame 1's two keys): top-3 = key0, key0, one dot-0 key whose label is [0,1] in every case.
    double e1 = Math.E;
    float expected0 = (float) (2 * e1 / (2 * e1 + 1));
    assertArrayEquals(vec(expected0, 1 - expected0), cell(out.get(2), 0), 1e-6f);
  }

  /** torch.nn.functional.normalize divides by max(norm, 1e-12): a zero vector stays zero, a tiny one shrinks. */
  @Test
  void normalisationClampsTheNormLikeTorch() {
    // Key 0 has norm 1e-13, so it becomes (0.1, 0): query (1, 0) scores 0.1 against it, 0 against key 1.
    FloatGrid f0 = row(vec(1e-13f, 0f), vec(0f, 1f));
    FloatGrid l0 = row(vec(1f, 0f), vec(0f, 1f));
    FloatGrid f1 = row(vec(3f, 0f), vec(0f, 0f));
    PropagationConfig config = new PropagationConfig(1, 4, 1.0, 5, new ProtocolSize.Fixed(16, 32));
    List<FloatGrid> out = LabelPropagator.builder(config).threads(1).propagate(List.of(f0, f1), l0);
    double a = Math.exp(0.1);
    assertArrayEquals(vec((float) (a / (a + 1)), (float) (1 / (a + 1))), cell(out.get(1), 0), 1e-6f);
    // A zero query scores 0 against every key: uniform weights over 2 copies of each key.
    assertArrayEquals(vec(0.5f, 0.5f), cell(out.get(1), 1), 1e-6f);
  }

  @Test
  void firstOutputIsTheGivenLabelAndSingleFrameVideosWork() {
    FloatGrid f0 = row(vec(1f, 0f), vec(0f, 1f));
    FloatGrid l0 = row(vec(0.25f, 0.75f), vec(0.5f, 0.5f));
    List<FloatGrid> out = LabelPropagator.builder(PropagationConfig.davis().withTopK(1)).propagate(List.of(f0), l0);
    assertEquals(List.of(l0), out);
  }

  @Test
  void insertKeepsADescendingMultiset() {
    float ninf = Float.NEGATIVE_INFINITY;
    float[] best = {9f, 5f, 3f, 1f, ninf, 7f};
    int[] src = {0, 1, 2, 3, -1, 99};
    // Buffer occupies [1, 5): 5, 3, 1, -inf.
    LabelPropagator.insert(best, src, 1, 4, 4f, 42, 2);
    assertArrayEquals(new float[] {9f, 5f, 4f, 4f, 3f, 7f}, best);
    assertArrayEquals(new int[] {0, 1, 42, 42, 2, 99}, src);
    // Equal values already present stay ahead; copies beyond the end are dropped.
    LabelPropagator.insert(best, src, 1, 4, 5f, 7, 10);
    assertArrayEquals(new float[] {9f, 5f, 5f, 5f, 5f, 7f}, best);
    assertArrayEquals(new int[] {0, 1, 7, 7, 7, 99}, src);
  }

  static float[] cell(FloatGrid g, int x) {
    float[] v = new float[g.channels()];
    for (int c = 0; c < v.length; c++) {
      v[c] = g.get(0, x, c);
    }
    return v;
  }
}
