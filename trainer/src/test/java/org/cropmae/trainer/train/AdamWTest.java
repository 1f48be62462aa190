package org.cropmae.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.trainer.model.CropMaeConfig;
import org.cropmae.trainer.model.CropMaeModel;
import org.junit.jupiter.api.Test;

/** {@link AdamW} against torch.optim.AdamW's update written out in double precision. */
class AdamWTest {
  private static final double LR = 1e-2;
  private static final double WD = 0.05;
  private static final double B1 = 0.9;
  private static final double B2 = 0.95;
  private static final double EPS = 1e-8;

  @Test
  void twoStepsMatchTheHandComputedUpdate() {
    float[] w0 = {0.5f, -1.25f, 2.0f, 0.003f};
    float[] b0 = {0.1f, -0.2f};
    // Gradients of sum(c * p): exactly c; two different steps.
    float[][] cw = {{0.3f, -2.0f, 1e-3f, 5.0f}, {-0.7f, 0.25f, 4.0f, -1e-4f}};
    float[][] cb = {{1.5f, -0.5f}, {0.0f, 2.0f}};
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), CropMaeModel.ENGINE)) {
      NDArray w = m.create(w0, new Shape(2, 2));
      NDArray b = m.create(b0, new Shape(2));
      w.setRequiresGradient(true);
      b.setRequiresGradient(true);
      Map<String, NDArray> params = new LinkedHashMap<>();
      params.put("layer.weight", w);
      params.put("layer.bias", b);
      double[] ew = toDouble(w0);
      double[] eb = toDouble(b0);
      double[][] stateW = new double[2][4];
      double[][] stateB = new double[2][2];
      try (AdamW opt = new AdamW(params, LR, WD, B1, B2, EPS)) {
        assertEquals(List.of("layer.bias"), opt.group(0));
        assertEquals(List.of("layer.weight"), opt.group(1));
        for (int t = 1; t <= 2; t++) {
          try (NDManager step = m.newSubManager();
              GradientCollector gc = Engine.getEngine(CropMaeModel.ENGINE).newGradientCollector()) {
            NDArray loss = w.mul(step.create(cw[t - 1], new Shape(2, 2))).sum()
                .add(b.mul(step.create(cb[t - 1], new Shape(2))).sum());
            gc.backward(loss);
          }
          opt.step();
          opt.zeroGrad();
          expected(ew, cw[t - 1], stateW, t, WD);
          expected(eb, cb[t - 1], stateB, t, 0);
          assertClose(ew, w.toFloatArray(), "weight after step " + t);
          assertClose(eb, b.toFloatArray(), "bias after step " + t);
        }
        assertEquals(2, opt.stepCount());
        // zeroGrad really clears the gradient.
        for (float g : w.getGradient().toFloatArray()) {
          assertEquals(0f, g);
        }
      }
    }
  }

  /** torch's _single_tensor_adamw in double precision. */
  private static void expected(double[] p, float[] g, double[][] state, int t, double wd) {
    for (int i = 0; i < p.length; i++) {
      p[i] *= 1 - LR * wd;
      state[0][i] += (1 - B1) * (g[i] - state[0][i]);
      state[1][i] = state[1][i] * B2 + (1 - B2) * g[i] * g[i];
      double denom = Math.sqrt(state[1][i]) / Math.sqrt(1 - Math.pow(B2, t)) + EPS;
      p[i] -= LR / (1 - Math.pow(B1, t)) * state[0][i] / denom;
    }
  }

  private static void assertClose(double[] want, float[] got, String what) {
    for (int i = 0; i < want.length; i++) {
      // float32 arithmetic against double: a few ulps (measured max 6.6e-8 relative, under one ulp).
      double tol = 4e-7 * Math.max(1e-3, Math.abs(want[i]));
      assertEquals(want[i], got[i], tol, what + " [" + i + "]");
    }
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  @Test
  void officialGroupsOfTheCropMaeModel() {
    try (CropMaeModel model = CropMaeModel.create(CropMaeConfig.tiny(), Device.cpu());
        AdamW opt = new AdamW(model.parameters(), 1e-4, 0.05, 0.9, 0.95, 1e-8)) {
      List<String> decay = opt.group(1);
      List<String> noDecay = opt.group(0);
      // timm's rule with no skip list: the tokens are rank 3 and decayed; fixed embeddings excluded.
      assertTrue(decay.contains("cls_token") && decay.contains("mask_token"));
      assertTrue(decay.contains("blocks.0.attn.qkv.weight") && decay.contains("decoder_blocks.0.self_attn.in_proj_weight"));
      assertTrue(noDecay.contains("norm.weight") && noDecay.contains("blocks.0.attn.qkv.bias")
          && noDecay.contains("decoder_blocks.1.self_attn.in_proj_bias") && noDecay.contains("patch_embed.proj.bias"));
      assertFalse(decay.contains("pos_embed") || noDecay.contains("pos_embed") || noDecay.contains("decoder_pos_embed"));
      assertEquals(model.parameters().size() - 2, decay.size() + noDecay.size());
      // Official order: the no-decay group first, each in state_dict order.
      assertEquals("patch_embed.proj.bias", noDecay.get(0));
      assertEquals("cls_token", decay.get(0));
    }
  }

  @Test
  void stateDictRoundTripsAndRejectsOtherGroups() {
    try (CropMaeModel model = CropMaeModel.create(CropMaeConfig.tiny(), Device.cpu());
        AdamW opt = new AdamW(model.parameters(), 1e-4, 0.05, 0.9, 0.95, 1e-8)) {
      Map<String, Object> sd = opt.stateDict();
      assertTrue(((Map<?, ?>) sd.get("state")).isEmpty(), "no state before the first step");
      Map<String, Object> bad = new LinkedHashMap<>(sd);
      bad.put("param_groups", List.of(Map.of("params", List.of(0L, 1L), "lr", 1e-3)));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> opt.loadStateDict(bad, o -> (NpyArray) o));
      assertTrue(e.getMessage().contains("parameter groups of sizes [2]"), e.getMessage());
    }
  }
}
