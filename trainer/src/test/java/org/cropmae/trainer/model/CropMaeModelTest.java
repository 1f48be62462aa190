package org.cropmae.trainer.model;

import org.cropmae.trainer.TestFixtures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cropmae.runtime.io.NpyArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour of {@link CropMaeModel} beyond the reference numbers: initialisation, I/O, modes, errors. */
class CropMaeModelTest {
  static final CropMaeConfig TINY = CropMaeConfig.tiny();
  static Map<String, NpyArray> reference;
  static NpyArray views;
  static NpyArray noise;

  CropMaeModel model;
  NDManager step;

  @BeforeAll
  static void load() throws IOException {
    reference = TestFixtures.referenceStateDict();
    views = Fixtures.npy("reference/train_views.npy");
    noise = Fixtures.npy("reference/train_noise.npy");
  }

  @BeforeEach
  void open() {
    model = CropMaeModel.fromStateDict(TINY, reference, Device.cpu());
    step = NDManager.newBaseManager(Device.cpu(), CropMaeModel.ENGINE);
  }

  @AfterEach
  void close() {
    step.close();
    model.close();
  }

  NDArray views() {
    return step.create(views.toFloatArray(), CropMaeModelParityTest.shape(views));
  }

  NDArray noise() {
    return step.create(noise.toFloatArray(), CropMaeModelParityTest.shape(noise));
  }

  @Test
  void stateDictRoundTripsExactlyInOfficialOrder() {
    Map<String, NpyArray> sd = model.stateDict();
    assertEquals(CropMaeConfigTest.officialOrder(3, 2), new ArrayList<>(sd.keySet()));
    for (var e : sd.entrySet()) {
      assertEquals(reference.get(e.getKey()), e.getValue(), e.getKey());
    }
  }

  @Test
  void freshModelFollowsTheOfficialInitialisation() {
    try (CropMaeModel fresh = CropMaeModel.create(TINY, Device.cpu())) {
      Map<String, NpyArray> sd = fresh.stateDict();
      assertArrayEquals(SinCosPositionEmbedding.create(128, 14, true), sd.get("pos_embed").toFloatArray());
      assertArrayEquals(SinCosPositionEmbedding.create(64, 14, true), sd.get("decoder_pos_embed").toFloatArray());
      for (var e : sd.entrySet()) {
        String k = e.getKey();
        float[] v = e.getValue().toFloatArray();
        int[] s = e.getValue().shape();
        if (k.endsWith("bias")) {
          assertEquals(0, maxAbs(v), k);
        } else if (k.contains("norm") && k.endsWith("weight")) {
          for (float x : v) {
            assertEquals(1f, x, k);
          }
        } else if (k.endsWith("weight")) {
          // xavier_uniform: U(-b, b) with b = sqrt(6 / (fan_in + fan_out)), std b / sqrt(3).
          int fanOut = s[0];
          int fanIn = v.length / fanOut;
          double bound = Math.sqrt(6.0 / (fanIn + fanOut));
          // The samples are float32: one drawn next to the bound may round to the float just above
          // the double bound (it failed CI once), so compare with the bound rounded up to float.
          assertTrue(maxAbs(v) <= Math.nextUp((float) bound), k + ": max " + maxAbs(v) + " > bound " + bound);
          assertEquals(bound / Math.sqrt(3), std(v), 0.05 * bound / Math.sqrt(3), k);
        }
      }
      // cls (128 values) and mask (64) tokens: N(0, 0.02²).
      assertEquals(0.02, std(sd.get("cls_token").toFloatArray()), 0.006);
      assertEquals(0.02, std(sd.get("mask_token").toFloatArray()), 0.008);
      // A fresh model trains: every trainable parameter receives a gradient.
      try (NDManager m = NDManager.newBaseManager(Device.cpu(), CropMaeModel.ENGINE);
          GradientCollector gc = Engine.getEngine(CropMaeModel.ENGINE).newGradientCollector()) {
        NDArray v = m.randomNormal(new Shape(2, 2, 3, 224, 224));
        ForwardResult r = fresh.forward(v, null, true);
        gc.backward(r.loss());
        assertTrue(Double.isFinite(r.lossValue()));
      }
      Map<String, NpyArray> grads = fresh.gradients();
      assertEquals(sd.size() - 2, grads.size());
      for (var g : grads.entrySet()) {
        assertTrue(maxAbs(g.getValue().toFloatArray()) > 0, g.getKey() + " got no gradient");
      }
      assertFalse(fresh.parameters().get("pos_embed").hasGradient());
    }
  }

  @Test
  void evalModeIsDeterministicAndTrainingAppliesDropout() {
    double eval1 = model.forward(views(), noise(), false).lossValue();
    double eval2 = model.forward(views(), noise(), false).lossValue();
    assertEquals(eval1, eval2);
    double train = model.forward(views(), noise(), true).lossValue();
    assertNotEquals(eval1, train, "decoder dropout changes the loss in training mode");
  }

  @Test
  void drawnNoiseKeepsTwoPatchesPerSample() {
    NDArray v = views().repeat(0, 3);
    float[] mask = model.forward(v, null, false).mask().toFloatArray();
    assertEquals(3 * 196, mask.length);
    for (int b = 0; b < 3; b++) {
      int removed = 0;
      for (int i = 0; i < 196; i++) {
        float x = mask[b * 196 + i];
        assertTrue(x == 0 || x == 1);
        removed += (int) x;
      }
      assertEquals(194, removed);
    }
  }

  @Test
  void forwardLeavesNothingInTheModel() {
    int before = model.parameters().size();
    try (NDManager m = step.newSubManager()) {
      NDArray v = m.create(views.toFloatArray(), CropMaeModelParityTest.shape(views));
      model.forward(v, null, false);
      assertTrue(m.getManagedArrays().size() > 10, "activations live in the caller's manager");
    }
    assertEquals(before, model.parameters().size());
  }

  @Test
  void rejectsBadInputs() {
    assertMessage("views: expected shape [B, 2, 3, 224, 224]",
        () -> model.forward(step.zeros(new Shape(1, 3, 224, 224)), null, false));
    assertMessage("views: expected shape",
        () -> model.forward(step.zeros(new Shape(1, 2, 3, 112, 112)), null, false));
    assertMessage("views: expected float32",
        () -> model.forward(step.zeros(new Shape(1, 2, 3, 224, 224), DataType.FLOAT64), null, false));
    assertMessage("noise: expected shape [1, 196]",
        () -> model.forward(views(), step.zeros(new Shape(1, 195)), false));
    assertMessage("noise: expected float32",
        () -> model.forward(views(), step.zeros(new Shape(1, 196), DataType.INT32), false));
  }

  @Test
  void evalLossRejectsNonFiniteInput() {
    float[] v = views.toFloatArray();
    v[17] = Float.NaN;
    NpyArray bad = NpyArray.ofFloat32(views.shape(), v);
    assertMessage("views: element 17 is NaN", () -> CropMaeModel.evalLoss(TINY, reference, bad, noise));
    NpyArray intNoise = NpyArray.ofInt32(new int[] {1, 196}, new int[196]);
    assertMessage("noise: expected float32 or float64", () -> CropMaeModel.evalLoss(TINY, reference, views, intNoise));
  }

  @Test
  void loadRejectsInconsistentStateDictsAndKeepsTheWeights() {
    Map<String, NpyArray> missing = new LinkedHashMap<>(reference);
    missing.remove("decoder_blocks.1.norm3.bias");
    assertMessage("missing key 'decoder_blocks.1.norm3.bias'", () -> model.loadStateDict(missing));

    Map<String, NpyArray> extra = new LinkedHashMap<>(reference);
    extra.put("head.weight", NpyArray.ofFloat32(new int[] {1}, new float[1]));
    assertMessage("unexpected key 'head.weight'", () -> model.loadStateDict(extra));

    Map<String, NpyArray> wrongShape = new LinkedHashMap<>(reference);
    wrongShape.put("decoder_pred.bias", NpyArray.ofFloat32(new int[] {767}, new float[767]));
    assertMessage("'decoder_pred.bias' has shape [767]", () -> model.loadStateDict(wrongShape));

    Map<String, NpyArray> nan = zeros(reference);
    float[] cls = new float[128];
    cls[5] = Float.POSITIVE_INFINITY;
    nan.put("cls_token", NpyArray.ofFloat32(new int[] {1, 1, 128}, cls));
    assertMessage("state dict 'cls_token': element 5 is Infinity", () -> model.loadStateDict(nan));

    Map<String, NpyArray> ints = new LinkedHashMap<>(reference);
    ints.put("norm.bias", NpyArray.ofInt32(new int[] {128}, new int[128]));
    assertMessage("'norm.bias': expected float32 or float64", () -> model.loadStateDict(ints));

    // All rejected before any parameter changed (the NaN case had zeros everywhere else).
    assertEquals(reference.get("decoder_pred.weight"), model.stateDict().get("decoder_pred.weight"));
    assertEquals(reference.get("blocks.0.attn.qkv.weight"), model.stateDict().get("blocks.0.attn.qkv.weight"));
  }

  @Test
  void closedModelRefusesWork() {
    model.close();
    assertThrows(IllegalStateException.class, () -> model.stateDict());
    assertThrows(IllegalStateException.class, () -> model.forward(views(), null, false));
    model.close();
  }

  private static Map<String, NpyArray> zeros(Map<String, NpyArray> sd) {
    Map<String, NpyArray> out = new LinkedHashMap<>();
    sd.forEach((k, a) -> out.put(k, NpyArray.ofFloat32(a.shape(), new float[a.size()])));
    return out;
  }

  private static double maxAbs(float[] v) {
    double m = 0;
    for (float x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  private static double std(float[] v) {
    double mean = 0;
    for (float x : v) {
      mean += x;
    }
    mean /= v.length;
    double s = 0;
    for (float x : v) {
      s += (x - mean) * (x - mean);
    }
    return Math.sqrt(s / v.length);
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable ex) {
    var e = assertThrows(IllegalArgumentException.class, ex);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
