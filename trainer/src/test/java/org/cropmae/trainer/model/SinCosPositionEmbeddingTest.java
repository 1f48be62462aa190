package org.cropmae.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.cropmae.runtime.io.NpyArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Against {@code get_2d_sincos_pos_embed(dim, 14, cls_token=True)} of the official
 * {@code pos_embed.py}, run with NumPy and rounded to float32 ({@code model/sincos_pos_embed_*.npy}).
 */
class SinCosPositionEmbeddingTest {

  @ParameterizedTest
  @CsvSource({"64", "384"})
  void matchesTheOfficialNumpyEmbedding(int dim) throws IOException {
    NpyArray ref = Fixtures.npy("model/sincos_pos_embed_d" + dim + "_g14.npy");
    float[] got = SinCosPositionEmbedding.create(dim, 14, true);
    assertEquals(197 * dim, ref.size());
    double max = CropMaeModelParityTest.maxAbsDiff(got, ref.toFloatArray());
    // Both round the same double values to float; only libm differences in sin/cos/pow remain.
    assertEquals(0, max, 1e-7, "max abs difference");
  }

  @ParameterizedTest
  @CsvSource({"6,14", "0,14", "64,0"})
  void rejectsBadSizes(int dim, int grid) {
    assertThrows(IllegalArgumentException.class, () -> SinCosPositionEmbedding.create(dim, grid, true));
  }
}
