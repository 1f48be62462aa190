package org.cropmae.trainer.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Gradients stay correct when the garbage collector runs between the forward and the backward
 * pass and the freed native memory is reused: no operand of a differentiable op may be a
 * temporary that DJL frees early (a Java number turned into a tensor over a Java buffer).
 */
class ScalarLifetimeTest {
  @Test
  void gradientsSurviveGarbageCollectionBeforeBackward() {
    CropMaeConfig c = CropMaeConfig.builder().imageSize(32).patchSize(8).embedDim(32).depth(1).numHeads(2)
        .decoderEmbedDim(16).decoderDepth(1).decoderNumHeads(2).decoderFfnDim(32).maskRatio(0.75).build();
    float[] views = new float[2 * 2 * 3 * 32 * 32];
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < views.length; i++) {
      views[i] = (float) rng.nextGaussian();
    }
    float[] noise = new float[2 * 16];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (float) rng.nextDouble();
    }
    Engine engine = Engine.getEngine(CropMaeModel.ENGINE);
    float[][] grads = new float[2][];
    for (int run = 0; run < 2; run++) {
      try (CropMaeModel model = CropMaeModel.create(c, Device.cpu());
          NDManager m = NDManager.newBaseManager(Device.cpu(), CropMaeModel.ENGINE)) {
        engine.setRandomSeed(3);
        model.loadStateDict(seeded(c));
        try (GradientCollector gc = engine.newGradientCollector()) {
          ForwardResult r = model.forward(m.create(views, new Shape(2, 2, 3, 32, 32)), m.create(noise, new Shape(2, 16)),
              true);
          if (run == 1) {
            scribbleFreedMemory();
          }
          gc.backward(r.loss());
        }
        grads[run] = model.parameters().get("blocks.0.attn.qkv.weight").getGradient().toFloatArray();
      }
    }
    for (int i = 0; i < grads[0].length; i++) {
      assertTrue(grads[0][i] == grads[1][i], "gradient " + i + " changed after GC: " + grads[0][i] + " vs " + grads[1][i]);
    }
  }

  private static java.util.Map<String, org.cropmae.runtime.io.NpyArray> seeded(CropMaeConfig c) {
    java.util.Map<String, org.cropmae.runtime.io.NpyArray> sd = new java.util.LinkedHashMap<>();
    SplittableRandom rng = new SplittableRandom(9);
    for (var e : c.stateDictShapes().entrySet()) {
      int n = 1;
      for (int d : e.getValue()) {
        n *= d;
      }
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = (float) (rng.nextGaussian() * 0.1);
      }
      sd.put(e.getKey(), org.cropmae.runtime.io.NpyArray.ofFloat32(e.getValue(), v));
    }
    return sd;
  }

  /** Collects unreachable direct buffers, then fills freshly allocated native memory with NaN bytes. */
  private static void scribbleFreedMemory() {
    for (int k = 0; k < 3; k++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<ByteBuffer> hold = new ArrayList<>(); // kept until return so the memory stays scribbled
    for (int i = 0; i < 20000; i++) {
      ByteBuffer b = ByteBuffer.allocateDirect(8);
      b.putLong(0, -1L);
      hold.add(b);
    }
  }
}
