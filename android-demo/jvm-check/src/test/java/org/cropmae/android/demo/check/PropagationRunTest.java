package org.cropmae.android.demo.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.cropmae.android.demo.logic.PropagationRun;
import org.cropmae.android.demo.logic.RunSettings;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.Palette;
import org.cropmae.runtime.onnx.EncoderOptions;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app's propagation path end to end on the JVM (desktop ONNX Runtime, CPU): the bundled encoder
 * copied out as the app copies its asset, the demo clip, its first mask, {@link PropagationRun}.
 * The encoder is the untrained placeholder, so this checks the wiring (sizes, labels, order,
 * cancellation, errors), not accuracy; accuracy is the runtime's parity tests' business.
 */
class PropagationRunTest {
  @TempDir static Path cache;
  private static OnnxEncoder encoder;
  private static List<RgbImage> frames;
  private static IndexMask first;

  @BeforeAll
  static void open() throws IOException {
    encoder = OnnxEncoder.open(DemoClip.encoder(cache), RunSettings.defaults().withThreads(2).encoderOptions());
    frames = DemoClip.frames();
    first = DemoClip.mask(0);
  }

  @AfterAll
  static void close() {
    encoder.close();
  }

  private static RunSettings settings() {
    return new RunSettings(EncoderOptions.ExecutionProvider.CPU, RunSettings.FAST, 2);
  }

  @Test
  void everyFrameGetsAMaskOfItsSizeWithTheFirstFramesLabels() {
    List<Integer> reported = new ArrayList<>();
    List<IndexMask> masks = PropagationRun.run(encoder, settings(), frames, first, (t, n, m) -> {
      assertEquals(DemoClip.FRAMES, n);
      reported.add(t);
    }, () -> false);
    assertEquals(DemoClip.FRAMES, masks.size());
    assertSame(first, masks.get(0));
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), reported);
    for (IndexMask m : masks) {
      assertEquals(first.height(), m.height());
      assertEquals(first.width(), m.width());
      assertEquals(Palette.DAVIS, m.palette());
      assertTrue(m.maxIndex() <= 2, "only the first mask's labels 0, 1, 2; got " + m.maxIndex());
    }
  }

  @Test
  void cancellingStopsBetweenFrames() {
    List<Integer> reported = new ArrayList<>();
    CancellationException e = assertThrows(CancellationException.class,
        () -> PropagationRun.run(encoder, settings(), frames, first, (t, n, m) -> reported.add(t), () -> reported.size() == 4));
    assertEquals("propagation cancelled at frame 4 of 12", e.getMessage());
    assertEquals(List.of(0, 1, 2, 3), reported);
  }

  @Test
  void badInputIsNamed() {
    IndexMask empty = new IndexMask(first.height(), first.width(), new byte[first.height() * first.width()], Palette.DAVIS);
    assertEquals("the first mask has no object: paint at least one", assertThrows(IllegalArgumentException.class,
        () -> PropagationRun.run(encoder, settings(), frames, empty, null, () -> false)).getMessage());
    IndexMask small = new IndexMask(2, 3, new byte[6], Palette.DAVIS);
    assertEquals("the mask is 2x3 but the frames are " + first.height() + "x" + first.width() + " (height x width)",
        assertThrows(IllegalArgumentException.class,
            () -> PropagationRun.run(encoder, settings(), frames, small, null, () -> false)).getMessage());
    assertEquals("longerSide 488 is not a multiple of the encoder's patch size 16", assertThrows(IllegalArgumentException.class,
        () -> PropagationRun.run(encoder, settings().withLongerSide(488), frames, first, null, () -> false)).getMessage());
    assertEquals("frames is empty: decode a video first", assertThrows(IllegalArgumentException.class,
        () -> PropagationRun.run(encoder, settings(), List.of(), first, null, () -> false)).getMessage());
  }
}
