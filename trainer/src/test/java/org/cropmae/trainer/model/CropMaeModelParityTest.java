package org.cropmae.trainer.model;

import org.cropmae.trainer.TestFixtures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.cropmae.runtime.io.NpyArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The training forward and backward pass against the official code's outputs on the reference
 * checkpoint ({@code train_*} fixtures: eval mode, fixed masking noise).
 */
class CropMaeModelParityTest {
  /** float32 forward; the fixtures come from the official model on CPU. */
  private static final double LOSS_REL_TOL = 1e-4;
  private static final double PRED_ABS_TOL = 1e-4;
  private static final double GRAD_REL_TOL = 1e-3;

  static Map<String, NpyArray> stateDict;
  static NpyArray views;
  static NpyArray noise;
  static String expected;
  static double loss;
  static float[] pred;
  static Shape predShape;
  static float[] mask;
  static Map<String, NpyArray> grads;

  @BeforeAll
  static void runOnce() throws IOException {
    stateDict = TestFixtures.referenceStateDict();
    views = Fixtures.npy("reference/train_views.npy");
    noise = Fixtures.npy("reference/train_noise.npy");
    expected = Fixtures.text("reference/train_expected.json");
    try (CropMaeModel model = CropMaeModel.fromStateDict(CropMaeConfig.tiny(), stateDict, Device.cpu());
        NDManager step = NDManager.newBaseManager(Device.cpu(), CropMaeModel.ENGINE);
        GradientCollector gc = Engine.getEngine(CropMaeModel.ENGINE).newGradientCollector()) {
      NDArray v = step.create(views.toFloatArray(), shape(views));
      NDArray n = step.create(noise.toFloatArray(), shape(noise));
      ForwardResult r = model.forward(v, n, false);
      gc.backward(r.loss());
      loss = r.lossValue();
      pred = r.pred().toFloatArray();
      predShape = r.pred().getShape();
      mask = r.mask().toFloatArray();
      grads = model.gradients();
    }
  }

  @AfterAll
  static void release() {
    grads = null;
  }

  @Test
  void lossMatchesReference() {
    double ref = Fixtures.jsonNumber(expected, "loss");
    double rel = Math.abs(loss - ref) / Math.abs(ref);
    System.out.printf("loss %.9f vs reference %.9f: relative error %.3e%n", loss, ref, rel);
    assertTrue(rel <= LOSS_REL_TOL, "loss " + loss + " vs " + ref + ": relative error " + rel);
  }

  @Test
  void predictionMatchesReference() throws IOException {
    NpyArray ref = Fixtures.npy("reference/train_pred.npy");
    assertEquals(shape(ref), predShape);
    double maxAbs = maxAbsDiff(pred, ref.toFloatArray());
    System.out.printf("pred [1,196,768]: max abs error %.3e%n", maxAbs);
    assertTrue(maxAbs <= PRED_ABS_TOL, "max abs error " + maxAbs);
  }

  @Test
  void maskMatchesReference() throws IOException {
    NpyArray ref = Fixtures.npy("reference/train_mask.npy");
    assertArrayEquals(ref.toFloatArray(), mask);
    assertEquals(194, (int) sum(mask), "0.985 of 196 patches removed, 2 kept");
  }

  @ParameterizedTest
  @ValueSource(strings = {"patch_embed.proj.weight", "blocks.0.attn.qkv.weight",
      "decoder_blocks.0.multihead_attn.in_proj_weight", "decoder_pred.weight", "cls_token"})
  void gradientMatchesReference(String name) throws IOException {
    NpyArray ref = Fixtures.npy("reference/train_grad." + name + ".npy");
    NpyArray got = grads.get(name);
    assertArrayEquals(ref.shape(), got.shape(), name);
    float[] g = got.toFloatArray();
    float[] r = ref.toFloatArray();
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < g.length; i++) {
      diff += (double) (g[i] - r[i]) * (g[i] - r[i]);
      norm += (double) r[i] * r[i];
    }
    double rel = Math.sqrt(diff) / Math.sqrt(norm);
    double maxAbs = maxAbsDiff(g, r);
    double refNorm = Fixtures.jsonNumber(expected, name);
    double ourNorm = Math.sqrt(Arrays.stream(toDouble(g)).map(x -> x * x).sum());
    double normRel = Math.abs(ourNorm - refNorm) / refNorm;
    System.out.printf("grad %s: relative error %.3e, max abs %.3e, norm %.9f vs %.9f (rel %.3e)%n",
        name, rel, maxAbs, ourNorm, refNorm, normRel);
    assertTrue(rel <= GRAD_REL_TOL, name + ": relative error " + rel);
    assertTrue(normRel <= GRAD_REL_TOL, name + ": norm " + ourNorm + " vs " + refNorm);
  }

  @Test
  void fixedPositionEmbeddingsGetNoGradient() {
    assertTrue(!grads.containsKey("pos_embed") && !grads.containsKey("decoder_pos_embed"));
    assertEquals(stateDict.size() - 2, grads.size(), "every other parameter is trainable");
  }

  @Test
  void evalLossMatchesReference() {
    double got = CropMaeModel.evalLoss(CropMaeConfig.tiny(), stateDict, views, noise);
    double ref = Fixtures.jsonNumber(expected, "loss");
    assertTrue(Math.abs(got - ref) / ref <= LOSS_REL_TOL, "evalLoss " + got + " vs " + ref);
  }

  @Test
  void batchOfTwoMatchesEachSample() throws IOException {
    // The same pair twice, with the reference noise and its reverse: sample 0 must reproduce the
    // reference, and the two samples must not leak into each other.
    float[] v = views.toFloatArray();
    float[] v2 = new float[2 * v.length];
    System.arraycopy(v, 0, v2, 0, v.length);
    System.arraycopy(v, 0, v2, v.length, v.length);
    float[] n = noise.toFloatArray();
    float[] n2 = new float[2 * n.length];
    for (int i = 0; i < n.length; i++) {
      n2[i] = n[i];
      n2[n.length + i] = 1 - n[i];
    }
    try (CropMaeModel model = CropMaeModel.fromStateDict(CropMaeConfig.tiny(), stateDict, Device.cpu());
        NDManager step = NDManager.newBaseManager(Device.cpu(), CropMaeModel.ENGINE)) {
      ForwardResult r = model.forward(step.create(v2, new Shape(2, 2, 3, 224, 224)),
          step.create(n2, new Shape(2, 196)), false);
      float[] p = r.pred().toFloatArray();
      float[] first = Arrays.copyOf(p, pred.length);
      assertTrue(maxAbsDiff(first, Fixtures.npy("reference/train_pred.npy").toFloatArray()) <= PRED_ABS_TOL);
      float[] m = r.mask().toFloatArray();
      assertArrayEquals(mask, Arrays.copyOf(m, 196));
      assertEquals(194, (int) sum(Arrays.copyOfRange(m, 196, 392)));
      float[] secondMask = Arrays.copyOfRange(m, 196, 392);
      assertTrue(!Arrays.equals(mask, secondMask), "reversed noise keeps other patches");

      // One sample's loss alone, with the reversed noise.
      ForwardResult single = model.forward(step.create(v, shape(views)),
          step.create(Arrays.copyOfRange(n2, 196, 392), new Shape(1, 196)), false);
      double expectedMean = (loss + single.lossValue()) / 2; // both samples remove 194 patches
      assertEquals(expectedMean, r.lossValue(), 1e-5 * expectedMean);
    }
  }

  static Shape shape(NpyArray a) {
    return new Shape(Arrays.stream(a.shape()).asLongStream().toArray());
  }

  static double maxAbsDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs((double) a[i] - b[i]));
    }
    return m;
  }

  private static double sum(float[] a) {
    double s = 0;
    for (float x : a) {
      s += x;
    }
    return s;
  }

  private static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }
}
