package org.cropmae.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Path;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.io.Npy;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.io.desktop.ImageFiles;
import org.junit.jupiter.api.Test;

/**
 * The whole view pipeline on a JPEG against the reference's operations: the expected views were
 * computed once by {@code src/test/resources/pillow/generate_views.py} with Pillow (decode,
 * {@code convert("RGB")}, crop, bilinear resize, flip, as torchvision's v2 transforms run them on
 * PIL images) and numpy float32 for {@code ToDtype(scale=True)} and {@code Normalize}. Crop boxes
 * and flips are scripted here to the ones the script used. Tolerance: zero (bit-identical).
 */
class ViewPipelineParityTest {

  @Test
  void decodeCropsFlipsAndNormalisationMatchTheReferenceBitForBit() throws Exception {
    Path jpeg = Path.of(getClass().getResource("/pillow/views_src_120x90.jpg").toURI());
    RgbImage image = ImageFiles.readRgb(jpeg);
    RgbImage pillowDecoded;
    NpyArray expected;
    try (InputStream in = getClass().getResourceAsStream("/pillow/views_src_decoded.npy")) {
      pillowDecoded = RgbImage.fromNpy(Npy.read(in));
    }
    try (InputStream in = getClass().getResourceAsStream("/pillow/views_expected_64.npy")) {
      expected = Npy.read(in);
    }
    // javax.imageio and Pillow's libjpeg-turbo decode this baseline 4:2:0 JPEG identically.
    assertEquals(pillowDecoded, image);

    // Global crop of 120x90: area 0.55 * 10800 = 5940 px, square -> 77x77 at top 5, left 20.
    // Local crop of the 64x64 global view: 0.3 * 4096 = 1228.8 px -> 35x35 at top 3, left 17.
    // Flip draws: 0.7 (global kept), 0.2 (local flipped).
    ScriptedRandom rng = new ScriptedRandom().uniform(0.5, 0.5).integer(5).integer(20).uniform(0.0, 0.5).integer(3)
        .integer(17).uniform(0.7, 0.2);
    ViewSampler sampler = new ViewSampler(ViewConfig.builder().inputSize(64).build());
    float[] out = sampler.sample(image, rng);
    assertTrue(rng.exhausted());

    assertArrayEquals(new int[] {2, 3, 64, 64}, expected.shape());
    float[] want = expected.toFloatArray();
    double maxAbs = 0;
    int differing = 0;
    for (int i = 0; i < want.length; i++) {
      maxAbs = Math.max(maxAbs, Math.abs(want[i] - out[i]));
      differing += Float.floatToRawIntBits(want[i]) == Float.floatToRawIntBits(out[i]) ? 0 : 1;
    }
    assertEquals(0, differing, "values differing from the reference (max abs difference " + maxAbs + ")");
  }
}
