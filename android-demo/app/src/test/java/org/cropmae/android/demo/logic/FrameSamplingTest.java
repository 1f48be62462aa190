package org.cropmae.android.demo.logic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FrameSamplingTest {
  @Test
  void timesAreMultiplesOfTheFramePeriodBeforeTheEnd() {
    long[] t = new FrameSampling(4, 100).timesUs(1_000_000);
    assertArrayEquals(new long[] {0, 250_000, 500_000, 750_000}, t, "1 s at 4 fps; 1 s itself is past the end");
    assertArrayEquals(new long[] {0, 250_000, 500_000, 750_000, 1_000_000}, new FrameSampling(4, 100).timesUs(1_000_001));
  }

  @Test
  void periodIsRoundedToTheMicrosecondWithoutDrift() {
    long[] t = new FrameSampling(30, 1000).timesUs(10_000_000);
    assertEquals(300, t.length);
    assertArrayEquals(new long[] {0, 33_333, 66_667, 100_000, 133_333}, java.util.Arrays.copyOf(t, 5));
    assertEquals(9_966_667, t[299], "k * 1e6 / 30 rounded, not 299 rounded steps added up");
  }

  @Test
  void longVideosAreCutNotThinned() {
    assertArrayEquals(new long[] {0, 100_000, 200_000}, new FrameSampling(10, 3).timesUs(60_000_000));
  }

  @Test
  void aVideoShorterThanOnePeriodGivesItsFirstFrame() {
    assertArrayEquals(new long[] {0}, new FrameSampling(10, 50).timesUs(40_000));
  }

  @Test
  void indicesOfAThirtyFpsVideoSampledAtTen() {
    int[] i = new FrameSampling(10, 4).frameIndices(300, 10_000_000);
    assertArrayEquals(new int[] {0, 3, 6, 9}, i);
  }

  @Test
  void timesOnAFrameBoundaryPickTheFrameStartingThere() {
    // 3 frames of 1 s: t = 1 s is the first instant of frame 1, not the last of frame 0.
    assertArrayEquals(new int[] {0, 1, 2}, new FrameSampling(1, 10).frameIndices(3, 3_000_000));
  }

  @Test
  void aSlowVideoGivesEachOfItsFramesOnce() {
    // 5 fps source sampled at up to 30 fps: 50 distinct frames, none repeated.
    int[] i = new FrameSampling(30, 1000).frameIndices(50, 10_000_000);
    assertEquals(50, i.length);
    for (int k = 0; k < 50; k++) {
      assertEquals(k, i[k]);
    }
  }

  @Test
  void indexTimesAndPlaybackInterval() {
    long[] t = FrameSampling.indexTimesUs(new int[] {0, 3, 6}, 300, 10_000_000);
    assertArrayEquals(new long[] {0, 100_000, 200_000}, t);
    assertEquals(100, FrameSampling.playbackIntervalMs(t, 40));
    assertEquals(40, FrameSampling.playbackIntervalMs(new long[] {0}, 40), "one frame: the fallback");
    assertEquals(33, FrameSampling.playbackIntervalMs(new FrameSampling(30, 10).timesUs(10_000_000), 40));
  }

  @Test
  void badArgumentsAreNamed() {
    assertEquals("maxFps must be finite and positive, got 0.0",
        assertThrows(IllegalArgumentException.class, () -> new FrameSampling(0, 10)).getMessage());
    assertEquals("maxFps must be finite and positive, got NaN",
        assertThrows(IllegalArgumentException.class, () -> new FrameSampling(Double.NaN, 10)).getMessage());
    assertEquals("maxFps must be finite and positive, got Infinity",
        assertThrows(IllegalArgumentException.class, () -> new FrameSampling(Double.POSITIVE_INFINITY, 10)).getMessage());
    assertEquals("maxFrames must be at least 2, got 1",
        assertThrows(IllegalArgumentException.class, () -> new FrameSampling(10, 1)).getMessage());
    FrameSampling s = new FrameSampling(10, 10);
    assertEquals("durationUs must be positive, got 0",
        assertThrows(IllegalArgumentException.class, () -> s.timesUs(0)).getMessage());
    assertEquals("frameCount must be positive, got -1",
        assertThrows(IllegalArgumentException.class, () -> s.frameIndices(-1, 1000)).getMessage());
    assertEquals("indices[1] = 300 is outside 0..299",
        assertThrows(IllegalArgumentException.class, () -> FrameSampling.indexTimesUs(new int[] {0, 300}, 300, 1000)).getMessage());
  }
}
