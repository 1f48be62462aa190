package org.cropmae.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.trainer.checkpoint.TorchCheckpoint;
import org.junit.jupiter.api.Test;

/**
 * {@link CropMaeModel#lastBlockAttention} on the reference checkpoint: a one-block model's weights
 * against a plain-Java softmax(q k^T / sqrt(d)) of the embedded reference input, and the full
 * model's weights as row-stochastic {@code [B, H, T, T]} at the fixture resolutions.
 */
class LastBlockAttentionTest {
  /** Float32 softmax of different matmul kernels, values in [0, 1]: absolute. */
  private static final double TOLERANCE = 1e-5;

  @Test
  void oneBlockMatchesAPlainJavaAttention() throws Exception {
    TorchCheckpoint ckpt = TorchCheckpoint.read(Fixtures.path("reference/checkpoint.pth"));
    Map<String, NpyArray> full = ckpt.stateDictFloat32();
    CropMaeConfig config = CropMaeConfig.fromCheckpoint(ckpt, null).toBuilder().depth(1).build();
    Map<String, NpyArray> sd = new LinkedHashMap<>();
    full.forEach((k, v) -> {
      if (!k.startsWith("blocks.") || k.startsWith("blocks.0.")) {
        sd.put(k, v);
      }
    });
    NpyArray input = Fixtures.npy("reference/encoder_input_224x224.npy");
    float[] want = plainAttention(full, input.toFloatArray(), 224, 16, config.embedDim(), config.numHeads(),
        config.layerNormEps());
    try (CropMaeModel model = CropMaeModel.fromStateDict(config, sd, Device.cpu());
        NDManager m = NDManager.newBaseManager(Device.cpu(), CropMaeModel.ENGINE)) {
      NDArray a = model.lastBlockAttention(m.create(input.toFloatArray(), new Shape(1, 3, 224, 224)));
      assertArrayEquals(new long[] {1, config.numHeads(), 197, 197}, a.getShape().getShape());
      float[] got = a.toFloatArray();
      double err = 0;
      for (int i = 0; i < got.length; i++) {
        err = Math.max(err, Math.abs(got[i] - want[i]));
      }
      System.out.printf("last-block attention vs plain Java: max abs diff %.3g%n", err);
      assertTrue(err <= TOLERANCE, "max abs diff " + err);
    }
  }

  @Test
  void fullModelRowsSumToOneAtBothFixtureSizes() throws Exception {
    TorchCheckpoint ckpt = TorchCheckpoint.read(Fixtures.path("reference/checkpoint.pth"));
    CropMaeConfig config = CropMaeConfig.fromCheckpoint(ckpt, null);
    try (CropMaeModel model = CropMaeModel.fromStateDict(config, ckpt.stateDictFloat32(), Device.cpu());
        NDManager m = NDManager.newBaseManager(Device.cpu(), CropMaeModel.ENGINE)) {
      for (String size : new String[] {"224x224", "320x480"}) {
        NpyArray input = Fixtures.npy("reference/encoder_input_" + size + ".npy");
        int[] s = input.shape();
        int t = 1 + (s[2] / 16) * (s[3] / 16);
        NDArray a = model.lastBlockAttention(m.create(input.toFloatArray(), new Shape(s[0], s[1], s[2], s[3])));
        assertArrayEquals(new long[] {1, config.numHeads(), t, t}, a.getShape().getShape(), size);
        float[] w = a.toFloatArray();
        for (int row = 0; row < w.length / t; row++) {
          double sum = 0;
          for (int j = 0; j < t; j++) {
            assertTrue(w[row * t + j] >= 0, size);
            sum += w[row * t + j];
          }
          assertTrue(Math.abs(sum - 1) < 1e-4, size + " row " + row + " sums to " + sum);
        }
      }
    }
  }

  /** Patch embedding, position embedding, cls token, LayerNorm, qkv and softmax in doubles. */
  private static float[] plainAttention(Map<String, NpyArray> sd, float[] img, int size, int p, int d, int heads,
      double eps) {
    int g = size / p;
    int t = 1 + g * g;
    float[] pw = sd.get("patch_embed.proj.weight").toFloatArray();
    float[] pb = sd.get("patch_embed.proj.bias").toFloatArray();
    float[] pos = sd.get("pos_embed").toFloatArray();
    float[] cls = sd.get("cls_token").toFloatArray();
    double[][] x = new double[t][d];
    for (int c = 0; c < d; c++) {
      x[0][c] = cls[c] + pos[c];
    }
    for (int py = 0; py < g; py++) {
      for (int px = 0; px < g; px++) {
        int tok = 1 + py * g + px;
        for (int c = 0; c < d; c++) {
          double v = pb[c];
          for (int ch = 0; ch < 3; ch++) {
            for (int i = 0; i < p; i++) {
              for (int j = 0; j < p; j++) {
                v += pw[((c * 3 + ch) * p + i) * p + j] * img[(ch * size + py * p + i) * size + px * p + j];
              }
            }
          }
          x[tok][c] = v + pos[tok * d + c];
        }
      }
    }
    float[] nw = sd.get("blocks.0.norm1.weight").toFloatArray();
    float[] nb = sd.get("blocks.0.norm1.bias").toFloatArray();
    float[] qw = sd.get("blocks.0.attn.qkv.weight").toFloatArray();
    float[] qb = sd.get("blocks.0.attn.qkv.bias").toFloatArray();
    double[][] qkv = new double[t][3 * d];
    for (int tok = 0; tok < t; tok++) {
      double mean = 0;
      for (double v : x[tok]) {
        mean += v / d;
      }
      double var = 0;
      for (double v : x[tok]) {
        var += (v - mean) * (v - mean) / d;
      }
      double[] n = new double[d];
      for (int c = 0; c < d; c++) {
        n[c] = (x[tok][c] - mean) / Math.sqrt(var + eps) * nw[c] + nb[c];
      }
      for (int o = 0; o < 3 * d; o++) {
        double v = qb[o];
        for (int c = 0; c < d; c++) {
          v += qw[o * d + c] * n[c];
        }
        qkv[tok][o] = v;
      }
    }
    int hd = d / heads;
    float[] out = new float[heads * t * t];
    for (int h = 0; h < heads; h++) {
      for (int i = 0; i < t; i++) {
        double[] logits = new double[t];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < t; j++) {
          double v = 0;
          for (int c = 0; c < hd; c++) {
            v += qkv[i][h * hd + c] * qkv[j][d + h * hd + c];
          }
          logits[j] = v / Math.sqrt(hd);
          max = Math.max(max, logits[j]);
        }
        double sum = 0;
        for (int j = 0; j < t; j++) {
          logits[j] = Math.exp(logits[j] - max);
          sum += logits[j];
        }
        for (int j = 0; j < t; j++) {
          out[(h * t + i) * t + j] = (float) (logits[j] / sum);
        }
      }
    }
    return out;
  }
}
