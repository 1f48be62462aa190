package org.cropmae.trainer.export;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.cropmae.runtime.io.NpyArray;

/**
 * A synthetic encoder state dict with the official parameter names and shapes, for benchmarks and
 * tests that need a model of a given size but not trained weights.
 */
public final class RandomEncoderWeights {
  private RandomEncoderWeights() {}

  /**
   * Weights drawn from {@code N(0, 0.02²)} (the ViT initialisation scale), LayerNorm scales around 1.
   *
   * @return {@code parameter name -> float32 tensor}, deterministic for a given {@code seed}
   */
  public static Map<String, NpyArray> create(EncoderArchitecture arch, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int d = arch.embedDim();
    int p = arch.patchSize();
    int g = arch.posGridSize();
    int m = arch.mlpHiddenDim();
    Map<String, NpyArray> sd = new LinkedHashMap<>();
    sd.put("cls_token", normal(rnd, 0, 0.02, 1, 1, d));
    sd.put("pos_embed", normal(rnd, 0, 0.02, 1, 1 + g * g, d));
    sd.put("patch_embed.proj.weight", normal(rnd, 0, 0.02, d, 3, p, p));
    sd.put("patch_embed.proj.bias", normal(rnd, 0, 0.02, d));
    for (int i = 0; i < arch.depth(); i++) {
      String k = "blocks." + i + ".";
      sd.put(k + "norm1.weight", normal(rnd, 1, 0.02, d));
      sd.put(k + "norm1.bias", normal(rnd, 0, 0.02, d));
      sd.put(k + "attn.qkv.weight", normal(rnd, 0, 0.02, 3 * d, d));
      sd.put(k + "attn.qkv.bias", normal(rnd, 0, 0.02, 3 * d));
      sd.put(k + "attn.proj.weight", normal(rnd, 0, 0.02, d, d));
      sd.put(k + "attn.proj.bias", normal(rnd, 0, 0.02, d));
      sd.put(k + "norm2.weight", normal(rnd, 1, 0.02, d));
      sd.put(k + "norm2.bias", normal(rnd, 0, 0.02, d));
      sd.put(k + "mlp.fc1.weight", normal(rnd, 0, 0.02, m, d));
      sd.put(k + "mlp.fc1.bias", normal(rnd, 0, 0.02, m));
      sd.put(k + "mlp.fc2.weight", normal(rnd, 0, 0.02, d, m));
      sd.put(k + "mlp.fc2.bias", normal(rnd, 0, 0.02, d));
    }
    sd.put("norm.weight", normal(rnd, 1, 0.02, d));
    sd.put("norm.bias", normal(rnd, 0, 0.02, d));
    return sd;
  }

  private static NpyArray normal(SplittableRandom rnd, double mean, double std, int... shape) {
    int n = 1;
    for (int s : shape) {
      n *= s;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (mean + std * gaussian(rnd));
    }
    return NpyArray.ofFloat32(shape, v);
  }

  /** Box-Muller; {@code SplittableRandom} has no Gaussian on Java 17. */
  private static double gaussian(SplittableRandom rnd) {
    double u = 1.0 - rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
  }
}
