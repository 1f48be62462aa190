package org.cropmae.runtime.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.io.ReferenceResources;
import org.cropmae.runtime.preprocess.ImageSize;
import org.cropmae.runtime.preprocess.ProtocolSize;
import org.cropmae.runtime.preprocess.Resize;
import org.cropmae.runtime.tensor.FloatGrid;
import org.junit.jupiter.api.Test;

class LabelSetTest {

  @Test
  void firstFrameLabelsResizedToTheGridMatchTheReference() {
    NpyArray masks = ReferenceResources.npy("prop_masks_true.npy"); // [12, 320, 480] uint8
    IndexMask first = IndexMask.frameOf(masks, 0, Palette.DAVIS);
    LabelSet set = LabelSet.of(first);
    assertArrayEquals(new int[] {0, 1, 2}, set.labels());

    ImageSize grid = new ImageSize(320, 480).featureGrid(16);
    FloatGrid label0 = LabelSet.toFeatureGrid(set.oneHot(first), grid.height(), grid.width());
    FloatGrid expected = FloatGrid.fromNpy(ReferenceResources.npy("prop_label0.npy")); // [20, 30, 3]
    assertEquals(expected.height(), label0.height());
    assertEquals(expected.width(), label0.width());
    assertEquals(expected.channels(), label0.channels());
    double err = 0;
    for (int i = 0; i < expected.values().length; i++) {
      err = Math.max(err, Math.abs(expected.values()[i] - label0.values()[i]));
    }
    System.out.println("prop_label0: max abs error " + err);
    assertTrue(err <= 1e-6, "max abs error " + err);
  }

  @Test
  void upsampledArgmaxOfTheExpectedSoftLabelsGivesTheExpectedMasks() {
    NpyArray soft = ReferenceResources.npy("prop_expected_soft.npy"); // [12, 20, 30, 3]
    NpyArray masks = ReferenceResources.npy("prop_expected_masks.npy"); // [12, 320, 480]
    LabelSet set = LabelSet.of(new int[] {0, 1, 2}, Palette.DAVIS);
    long same = 0, total = 0;
    for (int t = 0; t < soft.dim(0); t++) {
      IndexMask got = set.upsampleArgmax(FloatGrid.sliceOf(soft, t), 320, 480);
      byte[] want = IndexMask.frameOf(masks, t, Palette.DAVIS).indices();
      for (int i = 0; i < want.length; i++) {
        same += got.indices()[i] == want[i] ? 1 : 0;
      }
      total += want.length;
    }
    System.out.printf("prop_expected_masks: %d of %d pixels equal (%.4f%%)%n", same, total, 100.0 * same / total);
    // Measured: all 1,843,200 pixels equal.
    assertEquals(total, same);
  }

  @Test
  void argmaxTiesGoToTheLowestChannelAndMapToPaletteIndices() {
    LabelSet set = LabelSet.of(new int[] {0, 3, 7}, Palette.DAVIS);
    FloatGrid soft = new FloatGrid(1, 3, 3, new float[] {0.5f, 0.5f, 0f, 0.2f, 0.4f, 0.4f, 0f, 0f, 1f});
    IndexMask m = set.upsampleArgmax(soft, 1, 3);
    assertArrayEquals(new byte[] {0, 3, 7}, m.indices());
    assertEquals(Palette.DAVIS, m.palette());
  }

  @Test
  void upsamplingIsBilinearBeforeTheArgmax() {
    // 1x2 soft maps -> 1x8: the columns sample x = -0.375 .. 1.375, interpolation weights of the
    // right-hand value t = 0, 0, .125, .375, .625, .875, 1, 1.
    LabelSet set = LabelSet.of(new int[] {1, 2}, Palette.DAVIS);
    // Crossing one-hots: channel 1 overtakes channel 0 between columns 3 and 4.
    FloatGrid soft = new FloatGrid(1, 2, 2, new float[] {1f, 0f, 0f, 1f});
    assertArrayEquals(new byte[] {1, 1, 1, 1, 2, 2, 2, 2}, set.upsampleArgmax(soft, 1, 8).indices());
    // Channel 0 falls .6 -> 0 (.6 .6 .525 .375 .225 .075 0 0), channel 1 is flat .2: label 2 wins
    // from column 5. Argmax on the grid followed by nearest upsampling would switch at column 4.
    soft = new FloatGrid(1, 2, 2, new float[] {0.6f, 0.2f, 0f, 0.2f});
    assertArrayEquals(new byte[] {1, 1, 1, 1, 1, 2, 2, 2}, set.upsampleArgmax(soft, 1, 8).indices());
    // With channel 1 flat at .4, label 2 wins from column 3 (.375 < .4).
    soft = new FloatGrid(1, 2, 2, new float[] {0.6f, 0.4f, 0f, 0.4f});
    assertArrayEquals(new byte[] {1, 1, 1, 2, 2, 2, 2, 2}, set.upsampleArgmax(soft, 1, 8).indices());
  }

  @Test
  void davisPipelineFromAnnotationToFeatureGrid() throws IOException {
    IndexMask gt = PalettePng.read(ReferenceResources.path("davis/Annotations/480p/blobs-c/00000.png"));
    LabelSet set = LabelSet.of(gt);
    assertArrayEquals(new int[] {0, 1, 2, 3}, set.labels());
    ImageSize input = ProtocolSize.DAVIS.inputSize(gt.height(), gt.width());
    IndexMask resized = Resize.nearest(gt, input.height(), input.width());
    ImageSize grid = input.featureGrid(16);
    FloatGrid onGrid = LabelSet.toFeatureGrid(set.oneHot(resized), grid.height(), grid.width());
    assertEquals(30, onGrid.height());
    assertEquals(55, onGrid.width());
    assertEquals(4, onGrid.channels());
    // Bilinear weights sum to one, so every cell still holds a distribution over the labels.
    for (int p = 0; p < onGrid.positions(); p++) {
      float sum = 0;
      for (int c = 0; c < 4; c++) {
        sum += onGrid.values()[p * 4 + c];
      }
      assertEquals(1f, sum, 1e-6f, "cell " + p);
    }
    // Each object keeps some mass on the grid.
    for (int c = 1; c < 4; c++) {
      float mass = 0;
      for (int p = 0; p < onGrid.positions(); p++) {
        mass += onGrid.values()[p * 4 + c];
      }
      assertTrue(mass > 10, "label " + set.label(c) + " mass " + mass);
    }
  }

  @Test
  void oneHotMarksTheChannelOfEachIndex() {
    LabelSet set = LabelSet.of(new int[] {0, 5}, Palette.DAVIS);
    FloatGrid oh = set.oneHot(new IndexMask(1, 3, new byte[] {5, 0, 5}, Palette.DAVIS));
    assertArrayEquals(new float[] {0, 1, 1, 0, 0, 1}, oh.values());
    assertEquals(1, set.channelOf(5));
    assertEquals(-1, set.channelOf(4));
    assertEquals(-1, set.channelOf(300));
  }

  @Test
  void refusesLabelsOutsideTheSetAndBadInput() {
    LabelSet set = LabelSet.of(new IndexMask(1, 2, new byte[] {0, 1}, Palette.DAVIS));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> set.oneHot(new IndexMask(2, 2, new byte[] {0, 1, 1, 4}, Palette.DAVIS)));
    assertEquals("mask: index 4 at (y=1, x=1) is not in the first frame's label set [0, 1]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> set.upsampleArgmax(FloatGrid.zeros(2, 2, 3), 4, 4));
    assertEquals("soft: has 3 channels, the label set has 2 labels", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> set.upsampleArgmax(new FloatGrid(1, 1, 2, new float[] {0f, Float.NaN}), 2, 2));
    assertTrue(e.getMessage().startsWith("soft: NaN"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LabelSet.of(new int[] {2, 1}, Palette.DAVIS));
    assertTrue(e.getMessage().contains("strictly ascending"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LabelSet.of(new int[] {0, 3}, Palette.ofRgb(new byte[6])));
    assertTrue(e.getMessage().contains("outside the palette"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LabelSet.of(new int[0], Palette.DAVIS));
  }
}
