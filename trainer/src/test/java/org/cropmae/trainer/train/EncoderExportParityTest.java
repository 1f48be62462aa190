package org.cropmae.trainer.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.cropmae.runtime.io.Npy;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.onnx.EncoderOptions;
import org.cropmae.runtime.onnx.EncoderOutput;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.cropmae.trainer.checkpoint.TorchCheckpoint;
import org.cropmae.trainer.model.CropMaeConfig;
import org.cropmae.trainer.model.CropMaeModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The encoder a training run exports: the DJL model's {@link CropMaeModel#encodeImages} against
 * the official evaluation model's outputs, and the exported ONNX encoder against the DJL model.
 */
class EncoderExportParityTest {
  /** Float32 features after LayerNorm, different kernels: the 1e-4 (absolute). */
  private static final double TOLERANCE = 1e-4;

  @TempDir Path dir;

  @ParameterizedTest(name = "official fixture {0}")
  @CsvSource({"224x224", "320x480"})
  void djlEncoderMatchesTheOfficialEvaluationModel(String size) throws Exception {
    TorchCheckpoint ckpt = TorchCheckpoint.read(resource("checkpoint.pth"));
    CropMaeConfig config = CropMaeConfig.fromCheckpoint(ckpt, null);
    NpyArray input = Npy.read(resource("encoder_input_" + size + ".npy"));
    float[] expected = Npy.read(resource("encoder_output_" + size + ".npy")).toFloatArray();
    try (CropMaeModel model = CropMaeModel.fromStateDict(config, ckpt.stateDictFloat32(), Device.cpu());
        NDManager m = NDManager.newBaseManager(Device.cpu(), CropMaeModel.ENGINE)) {
      int[] s = input.shape();
      float[] got = model.encodeImages(m.create(input.toFloatArray(), new Shape(s[0], s[1], s[2], s[3]))).toFloatArray();
      double err = maxAbsDiff(got, expected);
      System.out.printf("DJL encoder vs official %s: max abs diff %.3g%n", size, err);
      assertTrue(err <= TOLERANCE, size + ": max abs diff " + err);
    }
  }

  @Test
  void exportedOnnxMatchesTheDjlEncoderAtTwoResolutions() throws IOException {
    CropMaeConfig config = CropMaeConfig.tiny();
    Map<String, NpyArray> sd = randomStateDict(config, 5);
    Path onnx = dir.resolve("encoder.onnx");
    Trainer.exportEncoder(sd, config, onnx, null);
    EncoderOptions cpu = EncoderOptions.defaults().withExecutionProvider(EncoderOptions.ExecutionProvider.CPU);
    try (CropMaeModel model = CropMaeModel.fromStateDict(config, sd, Device.cpu());
        NDManager m = NDManager.newBaseManager(Device.cpu(), CropMaeModel.ENGINE);
        OnnxEncoder encoder = OnnxEncoder.open(onnx, cpu)) {
      for (int[] hw : new int[][] {{224, 224}, {160, 256}}) {
        int h = hw[0];
        int w = hw[1];
        float[] x = new float[2 * 3 * h * w];
        SplittableRandom rng = new SplittableRandom(h);
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) (rng.nextDouble() * 4 - 2);
        }
        NDArray djl = model.encodeImages(m.create(x, new Shape(2, 3, h, w)));
        float[] want = djl.toFloatArray();
        EncoderOutput out = encoder.encode(x, 2, h, w);
        int tokens = 1 + (h / 16) * (w / 16);
        double err = 0;
        for (int b = 0; b < 2; b++) {
          float[] cls = out.clsToken(b);
          float[] patches = out.patchFeatures().get(b).values();
          int base = b * tokens * config.embedDim();
          for (int c = 0; c < cls.length; c++) {
            err = Math.max(err, Math.abs(cls[c] - want[base + c]));
          }
          for (int k = 0; k < patches.length; k++) {
            err = Math.max(err, Math.abs(patches[k] - want[base + cls.length + k]));
          }
        }
        System.out.printf("ONNX export vs DJL encoder %dx%d: max abs diff %.3g%n", h, w, err);
        assertTrue(err <= TOLERANCE, h + "x" + w + ": max abs diff " + err);
      }
    }
  }

  /** Every tensor random: weights N(0, 0.05), LayerNorm scales 1 + N(0, 0.1), position embedding N(0, 1). */
  static Map<String, NpyArray> randomStateDict(CropMaeConfig config, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Map<String, NpyArray> sd = new LinkedHashMap<>();
    for (Map.Entry<String, int[]> e : config.stateDictShapes().entrySet()) {
      int n = 1;
      for (int d : e.getValue()) {
        n *= d;
      }
      float[] v = new float[n];
      boolean norm = e.getKey().contains("norm") && e.getKey().endsWith(".weight");
      double std = e.getKey().contains("pos_embed") ? 1 : norm ? 0.1 : 0.05;
      for (int i = 0; i < n; i++) {
        v[i] = (float) ((norm ? 1 : 0) + std * gaussian(rng));
      }
      sd.put(e.getKey(), NpyArray.ofFloat32(e.getValue(), v));
    }
    return sd;
  }

  private static double gaussian(SplittableRandom rng) {
    return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    assertTrue(a.length == b.length, "lengths " + a.length + " vs " + b.length);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(EncoderExportParityTest.class.getResource("/reference/" + name).toURI());
  }
}
