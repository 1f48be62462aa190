package org.cropmae.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cropmae.runtime.preprocess.ProtocolSize;
import org.cropmae.runtime.propagation.AffinityKernel;
import org.cropmae.runtime.propagation.AffinityKernelContract;
import org.cropmae.runtime.propagation.JavaAffinityBackend;
import org.cropmae.runtime.propagation.LabelPropagator;
import org.cropmae.runtime.propagation.PropagationConfig;
import org.cropmae.runtime.tensor.FloatGrid;
import org.junit.jupiter.api.Test;

class OnnxAffinityBackendTest {

  @Test
  void meetsTheKernelContract() {
    try (OnnxAffinityBackend backend = OnnxAffinityBackend.create()) {
      AffinityKernelContract.checkAll(backend);
    }
    // Several intra-op threads per product, small blocks: same contract.
    try (OnnxAffinityBackend backend = OnnxAffinityBackend.create(new OnnxAffinityBackend.Options(2, 8))) {
      assertEquals(8, backend.preferredRows());
      AffinityKernelContract.checkAll(backend);
    }
  }

  @Test
  void modelIsOneTransposedGemmWithSymbolicSizes() throws Exception {
    byte[] bytes = AffinityModel.bytes();
    assertTrue(bytes.length < 300, "a tiny model, got " + bytes.length + " bytes");
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(bytes, so)) {
      Map<String, NodeInfo> in = session.getInputInfo();
      assertEquals(List.of("queries", "keys"), List.copyOf(in.keySet()));
      assertMatrix(in.get("queries"), "m", "d");
      assertMatrix(in.get("keys"), "n", "d");
      assertEquals(List.of("products"), List.copyOf(session.getOutputInfo().keySet()));
      assertMatrix(session.getOutputInfo().get("products"), "m", "n");
    }
  }

  private static void assertMatrix(NodeInfo node, String rows, String cols) {
    TensorInfo t = (TensorInfo) node.getInfo();
    assertEquals(OnnxJavaType.FLOAT, t.type);
    assertEquals(List.of(rows, cols), List.of(t.getDimensionNames()));
  }

  @Test
  void optionsAreValidated() {
    assertEquals(new OnnxAffinityBackend.Options(1, 256), OnnxAffinityBackend.Options.defaults());
    assertEquals("intraOpThreads must be >= 0 (0 = ONNX Runtime default), got -1",
        assertThrows(IllegalArgumentException.class,
            () -> OnnxAffinityBackend.Options.defaults().withIntraOpThreads(-1)).getMessage());
    assertEquals("preferredRows must be at least 1, got 0",
        assertThrows(IllegalArgumentException.class,
            () -> OnnxAffinityBackend.Options.defaults().withPreferredRows(0)).getMessage());
  }

  @Test
  void closedBackendOpensNothing() {
    OnnxAffinityBackend backend = OnnxAffinityBackend.create();
    backend.close();
    backend.close();
    assertEquals("the ONNX Runtime affinity backend is closed", assertThrows(IllegalStateException.class,
        () -> backend.open(new AffinityKernel.Shape(1, 4, 4, 4, 1))).getMessage());
  }

  /**
   * A random video whose blocks of queries need several key runs each (16-query blocks inside the
   * rows of a 40x40 grid, radius 3: one run per key row): ONNX Runtime and the Java kernel agree
   * to float32 rounding.
   */
  @Test
  void propagationAgreesWithTheJavaKernel() {
    Random r = new Random(21);
    int h = 40;
    int w = 40;
    int d = 16;
    List<FloatGrid> video = new java.util.ArrayList<>();
    for (int t = 0; t < 6; t++) {
      float[] v = new float[h * w * d];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) r.nextGaussian();
      }
      video.add(new FloatGrid(h, w, d, v));
    }
    float[] labels = new float[h * w * 3];
    for (int p = 0; p < h * w; p++) {
      labels[p * 3 + r.nextInt(3)] = 1f;
    }
    FloatGrid label0 = new FloatGrid(h, w, 3, labels);
    PropagationConfig config = new PropagationConfig(3, 5, 0.7, 3, new ProtocolSize.Fixed(h * 16, w * 16));
    List<FloatGrid> java = LabelPropagator.builder(config).threads(2).backend(JavaAffinityBackend.INSTANCE)
        .propagate(video, label0);
    List<FloatGrid> onnx;
    try (OnnxAffinityBackend backend = OnnxAffinityBackend.create(OnnxAffinityBackend.Options.defaults()
        .withPreferredRows(16))) {
      onnx = LabelPropagator.builder(config).threads(2).backend(backend).propagate(video, label0);
    }
    double max = 0;
    for (int t = 0; t < video.size(); t++) {
      float[] a = java.get(t).values();
      float[] b = onnx.get(t).values();
      for (int i = 0; i < a.length; i++) {
        max = Math.max(max, Math.abs(a[i] - b[i]));
      }
    }
    assertTrue(max < 1e-5, "max |java - onnx| = " + max);
  }
}
