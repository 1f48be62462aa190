package org.cropmae.runtime.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cropmae.runtime.budget.BudgetExceededException;
import org.cropmae.runtime.budget.ComputeBudget;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.Palette;
import org.cropmae.runtime.preprocess.ImageNormalization;
import org.cropmae.runtime.preprocess.NormalizedImage;
import org.cropmae.runtime.preprocess.ProtocolSize;
import org.cropmae.runtime.propagation.JavaAffinityBackend;
import org.cropmae.runtime.propagation.PropagationConfig;
import org.cropmae.runtime.tensor.FloatGrid;
import org.junit.jupiter.api.Test;

/** What {@link MaskPropagator} refuses before it encodes anything. */
class MaskPropagatorInputTest {
  private static final PropagationConfig CONFIG = PropagationConfig.davis().withInputSize(new ProtocolSize.Fixed(32, 48));
  private static final RgbImage FRAME = new RgbImage(48, 32, new byte[48 * 32 * 3]);

  /** Raw patch features that count how often they were asked to encode, with a chosen budget. */
  private static final class CountingFeatures implements FrameFeatures {
    final RawPatchFeatures raw = new RawPatchFeatures(16);
    final ComputeBudget budget;
    int encoded;
    int checked;

    CountingFeatures(ComputeBudget budget) {
      this.budget = budget;
    }

    @Override
    public int patchSize() {
      return raw.patchSize();
    }

    @Override
    public int featureDim() {
      return raw.featureDim();
    }

    @Override
    public ImageNormalization normalization() {
      return raw.normalization();
    }

    @Override
    public ComputeBudget budget() {
      return budget;
    }

    @Override
    public void checkFrame(String what, int height, int width) {
      checked++;
      budget.checkEncode(what, 1, height, width, 16, 1);
    }

    @Override
    public FloatGrid features(NormalizedImage image) {
      encoded++;
      return raw.features(image);
    }
  }

  private static IndexMask mask(int value) {
    byte[] m = new byte[32 * 48];
    java.util.Arrays.fill(m, (byte) value);
    return new IndexMask(32, 48, m, Palette.DAVIS);
  }

  @Test
  void anAllBackgroundFirstMaskIsRefused() {
    CountingFeatures f = new CountingFeatures(ComputeBudget.defaults());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MaskPropagator.builder(f, CONFIG).backend(JavaAffinityBackend.INSTANCE).start(FRAME, mask(0)));
    assertEquals("the first mask is all background (index 0): nothing to propagate; draw at least one object on a"
        + " background of index 0", e.getMessage());
    assertEquals(0, f.encoded);
  }

  @Test
  void aFirstMaskOfOneObjectEverywhereIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MaskPropagator.builder(
        new CountingFeatures(ComputeBudget.defaults()), CONFIG).backend(JavaAffinityBackend.INSTANCE).start(FRAME, mask(3)));
    assertTrue(e.getMessage().startsWith("the first mask is index 3 everywhere: nothing to propagate"), e.getMessage());
  }

  @Test
  void theEncoderBudgetIsCheckedAtTheProtocolSizeBeforeEncoding() {
    // 32x48 at patch 16 is 1 + 2*3 = 7 tokens.
    CountingFeatures f = new CountingFeatures(ComputeBudget.defaults().withMaxTokens(6));
    IndexMask m = mask(0);
    m.indices()[0] = 1;
    BudgetExceededException e = assertThrows(BudgetExceededException.class,
        () -> MaskPropagator.builder(f, CONFIG).backend(JavaAffinityBackend.INSTANCE).start(FRAME, m));
    assertTrue(e.getMessage().startsWith("frame 0 at input size 32x48: a 32x48 input is 7 tokens"), e.getMessage());
    assertEquals(1, f.checked);
    assertEquals(0, f.encoded);
  }

  @Test
  void aHugeContextIsRefusedBeforeAnythingIsAllocated() {
    CountingFeatures f = new CountingFeatures(ComputeBudget.defaults());
    IndexMask m = mask(0);
    m.indices()[0] = 1;
    BudgetExceededException e = assertThrows(BudgetExceededException.class, () -> MaskPropagator.builder(f,
        CONFIG.withContextLength(Integer.MAX_VALUE)).backend(JavaAffinityBackend.INSTANCE).start(FRAME, m));
    assertTrue(e.getMessage().startsWith("video: context 2147483647 on a 2x3 feature grid with 768 channels and 2 labels"),
        e.getMessage());
    assertEquals(0, f.encoded);
  }
}
