package org.cropmae.runtime.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.cropmae.runtime.io.Npy;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.tensor.FloatGrid;
import org.cropmae.runtime.onnx.OnnxAffinityBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parity with the official videowalk propagation on the reference fixture (prop_*.npy), for each affinity backend. */
class PropagationParityTest {
  /** Absolute tolerance on soft labels (float32 dot products summed in a different order). */
  private static final double TOLERANCE = 1e-4;

  private static NpyArray features;
  private static FloatGrid label0;
  private static NpyArray expected;
  private static PropagationConfig config;
  private static OnnxAffinityBackend onnx;

  @BeforeAll
  static void load() throws IOException {
    features = read("prop_features.npy");
    label0 = FloatGrid.fromNpy(read("prop_label0.npy"));
    expected = read("prop_expected_soft.npy");
    JsonNode json;
    try (InputStream in = PropagationParityTest.class.getResourceAsStream("/reference/prop_config.json")) {
      json = new ObjectMapper().readTree(in);
    }
    config = PropagationConfig.davis()
        .withContextLength(json.get("video_len").asInt())
        .withTopK(json.get("topk").asInt())
        .withTemperature(json.get("temperature").asDouble())
        .withRadius(json.get("radius").asDouble());
    onnx = OnnxAffinityBackend.create();
  }

  @AfterAll
  static void closeBackend() {
    onnx.close();
  }

  /** The backends by name (not as arguments: JUnit would close an AutoCloseable argument after one test). */
  static AffinityBackend backend(String name) {
    return name.equals("java") ? JavaAffinityBackend.INSTANCE : onnx;
  }

  static NpyArray read(String name) throws IOException {
    try (InputStream in = PropagationParityTest.class.getResourceAsStream("/reference/" + name)) {
      if (in == null) {
        throw new IOException("missing test resource /reference/" + name);
      }
      return Npy.read(in);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"java", "onnx"})
  void wholeVideoMatchesReference(String name) {
    AffinityBackend backend = backend(name);
    assertEquals(4, config.contextLength());
    assertEquals(5, config.topK());
    assertEquals(6.0, config.radius());
    List<FloatGrid> soft = LabelPropagator.builder(config).threads(2).backend(backend).propagate(features, label0);
    assertEquals(expected.dim(0), soft.size());
    double max = maxError(soft);
    System.out.printf("propagation parity (%s): max |error| = %.3g over %d frames%n", backend, max, soft.size());
    assertTrue(max <= TOLERANCE, "max error " + max);
  }

  @ParameterizedTest
  @ValueSource(strings = {"java", "onnx"})
  void streamingMatchesWholeVideoAndReference(String name) {
    AffinityBackend backend = backend(name);
    int frames = features.dim(0);
    float[] all = features.toFloatArray();
    int h = features.dim(1);
    int w = features.dim(2);
    int d = features.dim(3);
    int size = h * w * d;
    List<FloatGrid> whole = LabelPropagator.builder(config).threads(1).backend(backend).propagate(features, label0);
    List<FloatGrid> streamed = new ArrayList<>();
    streamed.add(label0);
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try (ComputePool pool = ComputePool.of(executor, 3);
        LabelPropagator p = LabelPropagator.builder(config).pool(pool).backend(backend)
            .start(new FloatGrid(h, w, d, Arrays.copyOfRange(all, 0, size)), label0)) {
      for (int t = 1; t < frames; t++) {
        assertEquals(t, p.nextFrameIndex());
        streamed.add(p.next(new FloatGrid(h, w, d, Arrays.copyOfRange(all, t * size, (t + 1) * size))));
      }
    } finally {
      executor.shutdownNow();
    }
    // Same arithmetic in the same order whatever the thread count: bit-identical.
    assertEquals(whole, streamed);
    assertTrue(maxError(streamed) <= TOLERANCE);
  }

  /**
   * The protocol is symmetric under swapping the grid axes, so the transposed video must give the
   * transposed reference output. The 30x20 grid makes the engine pick the other internal position
   * order than for 20x30, which this covers end to end.
   */
  @ParameterizedTest
  @ValueSource(strings = {"java", "onnx"})
  void transposedVideoMatchesTransposedReference(String name) {
    AffinityBackend backend = backend(name);
    assertTrue(RadiusPlan.create(20, 30, 6).transposed != RadiusPlan.create(30, 20, 6).transposed);
    int frames = features.dim(0);
    int h = features.dim(1);
    int w = features.dim(2);
    int d = features.dim(3);
    float[] all = features.toFloatArray();
    float[] swapped = new float[all.length];
    for (int t = 0; t < frames; t++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          System.arraycopy(all, ((t * h + y) * w + x) * d, swapped, ((t * w + x) * h + y) * d, d);
        }
      }
    }
    int c = label0.channels();
    float[] label = new float[h * w * c];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        System.arraycopy(label0.values(), (y * w + x) * c, label, (x * h + y) * c, c);
      }
    }
    List<FloatGrid> soft = LabelPropagator.builder(config).threads(2).backend(backend)
        .propagate(NpyArray.ofFloat32(new int[] {frames, w, h, d}, swapped), new FloatGrid(w, h, c, label));
    float[] exp = expected.toFloatArray();
    double max = 0;
    for (int t = 0; t < frames; t++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int k = 0; k < c; k++) {
            max = Math.max(max, Math.abs(soft.get(t).get(x, y, k) - exp[((t * h + y) * w + x) * c + k]));
          }
        }
      }
    }
    assertTrue(max <= TOLERANCE, "max error " + max);
  }

  private static double maxError(List<FloatGrid> soft) {
    float[] exp = expected.toFloatArray();
    int frameSize = expected.dim(1) * expected.dim(2) * expected.dim(3);
    double max = 0;
    for (int t = 0; t < soft.size(); t++) {
      float[] got = soft.get(t).values();
      assertEquals(frameSize, got.length);
      for (int i = 0; i < frameSize; i++) {
        max = Math.max(max, Math.abs(got[i] - exp[t * frameSize + i]));
      }
    }
    return max;
  }
}
