package org.cropmae.runtime.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.tensor.FloatGrid;
import org.junit.jupiter.api.Test;

/** Bad input is rejected with a message naming the frame or argument, and leaves no damage. */
class PropagationInputTest {
  private static final PropagationConfig CONFIG = PropagationConfig.davis().withContextLength(3).withTopK(4).withRadius(3);

  static FloatGrid random(Random r, int h, int w, int c) {
    float[] v = new float[h * w * c];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return new FloatGrid(h, w, c, v);
  }

  static List<FloatGrid> video(int frames) {
    Random r = new Random(7);
    List<FloatGrid> out = new ArrayList<>();
    for (int t = 0; t < frames; t++) {
      out.add(random(r, 4, 6, 8));
    }
    return out;
  }

  static FloatGrid labels() {
    return random(new Random(3), 4, 6, 2);
  }

  @Test
  void mismatchedFrameShapeNamesTheFrame() {
    List<FloatGrid> v = video(5);
    v.set(3, random(new Random(1), 4, 7, 8));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LabelPropagator.builder(CONFIG).threads(1).propagate(v, labels()));
    assertTrue(e.getMessage().startsWith("frame 3: features are 4x7x8, expected 4x6x8"), e.getMessage());
    v.set(3, random(new Random(1), 4, 6, 9));
    e = assertThrows(IllegalArgumentException.class, () -> LabelPropagator.propagate(CONFIG, v, labels()));
    assertTrue(e.getMessage().startsWith("frame 3: features are 4x6x9"), e.getMessage());
  }

  @Test
  void nonFiniteFeaturesNameTheFrameAndPosition() {
    List<FloatGrid> v = video(4);
    v.get(2).values()[(1 * 6 + 5) * 8 + 3] = Float.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LabelPropagator.builder(CONFIG).threads(2).propagate(v, labels()));
    assertEquals("frame 2: features contain NaN at y=1, x=5, channel 3", e.getMessage());

    List<FloatGrid> w = video(2);
    w.get(0).values()[0] = Float.POSITIVE_INFINITY;
    e = assertThrows(IllegalArgumentException.class, () -> LabelPropagator.propagate(CONFIG, w, labels()));
    assertEquals("frame 0: features contain Infinity at y=0, x=0, channel 0", e.getMessage());
  }

  @Test
  void badLabelsAreRejected() {
    List<FloatGrid> v = video(2);
    FloatGrid nan = labels();
    nan.values()[5] = Float.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LabelPropagator.propagate(CONFIG, v, nan));
    assertTrue(e.getMessage().startsWith("firstLabels: value NaN at y=0, x=2, channel 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> LabelPropagator.propagate(CONFIG, v, random(new Random(1), 4, 5, 2)));
    assertTrue(e.getMessage().startsWith("firstLabels: grid is 4x5, expected 4x6"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> LabelPropagator.propagate(CONFIG, v, FloatGrid.zeros(4, 6, 0)));
    assertTrue(e.getMessage().startsWith("firstLabels:"), e.getMessage());
  }

  @Test
  void theContextBudgetIsCheckedBeforeAllocating() {
    // Integer.MAX_VALUE context frames would overflow the ring's array size; the budget refuses first.
    PropagationConfig huge = CONFIG.withContextLength(Integer.MAX_VALUE);
    org.cropmae.runtime.budget.BudgetExceededException e = assertThrows(org.cropmae.runtime.budget.BudgetExceededException.class,
        () -> LabelPropagator.builder(huge).threads(1).start(video(1).get(0), labels()));
    assertTrue(e.getMessage().startsWith("video: context 2147483647 on a 4x6 feature grid with 8 channels and 2 labels"),
        e.getMessage());
    // 4 frames of 4x6x(8+2) floats are 3840 bytes: one byte less is refused.
    org.cropmae.runtime.budget.ComputeBudget tight = org.cropmae.runtime.budget.ComputeBudget.defaults().withMaxContextBytes(3839);
    assertThrows(org.cropmae.runtime.budget.BudgetExceededException.class,
        () -> LabelPropagator.builder(CONFIG).threads(1).budget(tight).start(video(1).get(0), labels()));
    LabelPropagator.builder(CONFIG).threads(1).budget(tight.withMaxContextBytes(3840)).start(video(1).get(0), labels()).close();
  }

  @Test
  void topKLargerThanTheContextIsRejected() {
    // (3 + 1) * 4 * 6 = 96 context keys.
    List<FloatGrid> v = video(2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LabelPropagator.propagate(CONFIG.withTopK(97), v, labels()));
    assertEquals("topK 97 exceeds the 96 context keys ((contextLength + 1) * h * w) of a 4x6 grid", e.getMessage());
    assertEquals(2, LabelPropagator.propagate(CONFIG.withTopK(96), v, labels()).size());
  }

  @Test
  void emptyOrMisshapenVideosAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LabelPropagator.propagate(CONFIG, List.of(), labels()));
    assertEquals("features: the video has no frames", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LabelPropagator.propagate(CONFIG,
        NpyArray.ofFloat32(new int[] {4, 6, 8}, new float[192]), labels()));
    assertTrue(e.getMessage().startsWith("features: expected a [T, h, w, D] array"), e.getMessage());
  }

  @Test
  void aRejectedFrameLeavesThePropagatorUsable() {
    List<FloatGrid> v = video(6);
    List<FloatGrid> expected = LabelPropagator.builder(CONFIG).threads(1).propagate(v, labels());
    try (LabelPropagator p = LabelPropagator.builder(CONFIG).threads(2).start(v.get(0), labels())) {
      for (int t = 1; t < 6; t++) {
        FloatGrid bad = random(new Random(t), 4, 6, 8);
        bad.values()[bad.values().length - 1] = Float.NaN;
        int frame = t;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.next(bad));
        assertTrue(e.getMessage().startsWith("frame " + frame + ":"), e.getMessage());
        assertEquals(t, p.nextFrameIndex());
        assertEquals(expected.get(t), p.next(v.get(t)));
      }
    }
  }

  @Test
  void closedPropagatorRefusesFrames() {
    List<FloatGrid> v = video(2);
    LabelPropagator p = LabelPropagator.start(CONFIG, v.get(0), labels());
    p.close();
    assertThrows(IllegalStateException.class, () -> p.next(v.get(1)));
  }

  @Test
  void memoryDoesNotGrowWithTheVideo() {
    // The ring holds contextLength frames: a long video is propagated with the same buffers, and
    // every prediction is a convex combination of labels (each row of one-hot labels sums to 1).
    Random r = new Random(11);
    FloatGrid first = random(r, 4, 6, 8);
    float[] oneHot = new float[4 * 6 * 3];
    for (int p = 0; p < 24; p++) {
      oneHot[p * 3 + p % 3] = 1f;
    }
    try (LabelPropagator p = LabelPropagator.builder(CONFIG).threads(2).start(first, new FloatGrid(4, 6, 3, oneHot))) {
      for (int t = 1; t < 200; t++) {
        FloatGrid out = p.next(random(r, 4, 6, 8));
        for (int q = 0; q < 24; q++) {
          float s = out.values()[q * 3] + out.values()[q * 3 + 1] + out.values()[q * 3 + 2];
          assertEquals(1f, s, 1e-5f);
        }
      }
      // (h*w)^2 per frame for the first frame plus the radius-limited pairs of the ring frames.
      assertTrue(p.computedDotProducts() > 199L * 24 * 24);
    }
  }
}
