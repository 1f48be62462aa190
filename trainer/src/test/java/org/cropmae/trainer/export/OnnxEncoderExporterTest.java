package org.cropmae.trainer.export;

import org.cropmae.trainer.TestFixtures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.onnx.EncoderInfo;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Architecture inference, state-dict checks, metadata and the optional patch_features output. */
class OnnxEncoderExporterTest {
  @TempDir Path dir;

  @Test
  void infersReferenceArchitecture() throws IOException {
    EncoderArchitecture a = EncoderArchitecture.infer(TestFixtures.referenceStateDict());
    assertEquals(new EncoderArchitecture("vit-p16-embed128-depth3-heads2", 16, 128, 3, 2, 512, 14, 1e-6), a);
  }

  @Test
  void officialNamesAndHeadOverride() {
    assertEquals("vits16", EncoderArchitecture.vits16().name());
    assertEquals(6, EncoderArchitecture.vits16().numHeads());
    // Only the tensors inference reads (zeros): a ViT-B/16 state dict by shape.
    Map<String, NpyArray> b16 = new LinkedHashMap<>();
    b16.put("cls_token", NpyArray.ofFloat32(new int[] {1, 1, 768}, new float[768]));
    b16.put("patch_embed.proj.weight", NpyArray.ofFloat32(new int[] {768, 3, 16, 16}, new float[768 * 3 * 256]));
    b16.put("pos_embed", NpyArray.ofFloat32(new int[] {1, 197, 768}, new float[197 * 768]));
    b16.put("blocks.0.mlp.fc1.weight", NpyArray.ofFloat32(new int[] {3072, 768}, new float[3072 * 768]));
    for (int i = 0; i < 12; i++) {
      b16.put("blocks." + i + ".norm1.weight", NpyArray.ofFloat32(new int[] {768}, new float[768]));
    }
    assertEquals(EncoderArchitecture.vitb16(), EncoderArchitecture.infer(b16));
    EncoderArchitecture custom = EncoderArchitecture.vits16().withNumHeads(12);
    assertEquals("vit-p16-embed384-depth12-heads12", custom.name());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EncoderArchitecture.vits16().withNumHeads(5));
    assertEquals("architecture vit-p16-embed384-depth12-heads5: embed dim 384 is not divisible by 5 heads", e.getMessage());
  }

  @Test
  void headCountNotInferableWithoutOfficialHeadWidth() {
    Map<String, NpyArray> sd = RandomEncoderWeights.create(TinyArch.ARCH, 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EncoderArchitecture.infer(sd));
    assertEquals("state dict: embed dim 32 is not a multiple of 64, so the head count cannot be inferred; "
        + "give the architecture explicitly", e.getMessage());
  }

  @Test
  void inferRejectsNonEncoderStateDict() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EncoderArchitecture.infer(Map.of()));
    assertEquals("state dict: missing 'cls_token'", e.getMessage());
  }

  @Test
  void missingWrongShapeAndNonFiniteTensorsAreNamed() {
    Map<String, NpyArray> sd = new LinkedHashMap<>(RandomEncoderWeights.create(TinyArch.ARCH, 0));
    sd.remove("blocks.0.mlp.fc2.bias");
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> OnnxEncoderExporter.buildModel(sd, TinyArch.ARCH, Map.of()));
    assertEquals("state dict: missing 'blocks.0.mlp.fc2.bias' (architecture tiny)", missing.getMessage());

    sd.put("blocks.0.mlp.fc2.bias", NpyArray.ofFloat32(new int[] {31}, new float[31]));
    IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
        () -> OnnxEncoderExporter.buildModel(sd, TinyArch.ARCH, Map.of()));
    assertEquals("state dict: 'blocks.0.mlp.fc2.bias' has shape [31], expected [32] for architecture tiny", shape.getMessage());

    float[] nan = new float[32];
    nan[5] = Float.NaN;
    sd.put("blocks.0.mlp.fc2.bias", NpyArray.ofFloat32(new int[] {32}, nan));
    IllegalArgumentException finite = assertThrows(IllegalArgumentException.class,
        () -> OnnxEncoderExporter.buildModel(sd, TinyArch.ARCH, Map.of()));
    assertEquals("state dict: 'blocks.0.mlp.fc2.bias' holds NaN at flat index 5", finite.getMessage());
  }

  @Test
  void architectureMetadataCannotBeOverridden() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxEncoderExporter.buildModel(
        RandomEncoderWeights.create(TinyArch.ARCH, 0), TinyArch.ARCH, Map.of("cropmae.patch_size", "8")));
    assertEquals("extraMetadata: 'cropmae.patch_size' is derived from the weights and cannot be set", e.getMessage());
  }

  @Test
  void metadataIsReadBackByTheRuntime() throws IOException {
    Path file = dir.resolve("tiny.onnx");
    String sha = "ab".repeat(32);
    Map<String, String> written = OnnxEncoderExporter.export(RandomEncoderWeights.create(TinyArch.ARCH, 3),
        TinyArch.ARCH, file, Map.of("cropmae.source_sha256", sha));
    assertEquals(sha, written.get("cropmae.source_sha256"));
    try (OnnxEncoder encoder = OnnxEncoder.open(file, OnnxWriterTest.cpu())) {
      EncoderInfo info = encoder.info();
      assertEquals("tiny", info.architecture());
      assertEquals(8, info.patchSize());
      assertEquals(32, info.embedDim());
      assertEquals(1, info.depth());
      assertEquals(2, info.numHeads());
      assertArrayEquals(new float[] {0.485f, 0.456f, 0.406f}, info.mean());
      assertArrayEquals(new float[] {0.229f, 0.224f, 0.225f}, info.std());
      assertEquals("4", info.metadata().get("cropmae.pos_embed_grid"));
      assertEquals("17", info.metadata().get("cropmae.opset"));
      assertEquals(sha, info.metadata().get("cropmae.source_sha256"));
      assertEquals("CPU", info.executionProvider());
    }
    // No temporary file is left next to the model.
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void sha256OfAFile() throws IOException {
    Path f = dir.resolve("abc.txt");
    Files.writeString(f, "abc");
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", org.cropmae.runtime.io.Sha256.of(f));
  }

  @Test
  void patchFeaturesOutputIsTheGridOfPatchTokens() throws IOException, OrtException {
    Onnx.Model model = OnnxEncoderExporter.buildModel(RandomEncoderWeights.create(TinyArch.ARCH, 5), TinyArch.ARCH, Map.of());
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int h = 24;
    int w = 40;
    float[] x = new float[2 * 3 * h * w];
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(9);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rnd.nextDouble() * 4 - 2);
    }
    try (OrtSession s = env.createSession(OnnxWriter.toByteArray(model), new OrtSession.SessionOptions());
        OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {2, 3, h, w});
        OrtSession.Result r = s.run(Map.of("pixel_values", in))) {
      OnnxTensor all = (OnnxTensor) r.get("last_hidden_state").orElseThrow();
      OnnxTensor grid = (OnnxTensor) r.get("patch_features").orElseThrow();
      assertArrayEquals(new long[] {2, 1 + 3 * 5, 32}, all.getInfo().getShape());
      assertArrayEquals(new long[] {2, 3, 5, 32}, grid.getInfo().getShape());
      FloatBuffer a = all.getFloatBuffer();
      FloatBuffer g = grid.getFloatBuffer();
      for (int b = 0; b < 2; b++) {
        for (int t = 0; t < 15; t++) {
          for (int c = 0; c < 32; c++) {
            assertEquals(a.get((b * 16 + 1 + t) * 32 + c), g.get((b * 15 + t) * 32 + c), 0f);
          }
        }
      }
      // The two images differ, so a batch mix-up would show.
      assertFalse(a.get(32 + 1) == a.get(16 * 32 + 32 + 1));
    }
  }

  @Test
  void encodeRejectsBadInputNamingTheArgument() throws IOException {
    Path file = dir.resolve("tiny.onnx");
    OnnxEncoderExporter.export(RandomEncoderWeights.create(TinyArch.ARCH, 3), TinyArch.ARCH, file, Map.of());
    try (OnnxEncoder encoder = OnnxEncoder.open(file, OnnxWriterTest.cpu())) {
      IllegalArgumentException height = assertThrows(IllegalArgumentException.class,
          () -> encoder.encode(new float[3 * 20 * 16], 1, 20, 16));
      assertEquals("height 20 is not a positive multiple of the patch size 8 (tiny.onnx)", height.getMessage());
      IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
          () -> encoder.encode(new float[3 * 16 * 12], 1, 16, 12));
      assertEquals("width 12 is not a positive multiple of the patch size 8 (tiny.onnx)", width.getMessage());
      IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
          () -> encoder.encode(new float[100], 1, 16, 16));
      assertEquals("chw holds 100 values, expected n*3*height*width = 768", length.getMessage());
      IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
          () -> encoder.encode(new float[0], 0, 16, 16));
      assertEquals("n must be at least 1, got 0", count.getMessage());
      float[] nan = new float[2 * 3 * 16 * 16];
      nan[800] = Float.NaN;
      IllegalArgumentException finite = assertThrows(IllegalArgumentException.class,
          () -> encoder.encode(nan, 2, 16, 16));
      assertEquals("chw[800] is NaN (image 1)", finite.getMessage());
      IllegalArgumentException grids = assertThrows(IllegalArgumentException.class,
          () -> encoder.encode(java.util.List.of(org.cropmae.runtime.tensor.FloatGrid.zeros(16, 16, 3),
              org.cropmae.runtime.tensor.FloatGrid.zeros(16, 24, 3))));
      assertEquals("images[1] is 16x24x3, expected 16x16x3 like images[0]", grids.getMessage());
    }
    encoderIsClosed(file);
  }

  private void encoderIsClosed(Path file) throws IOException {
    OnnxEncoder encoder = OnnxEncoder.open(file, OnnxWriterTest.cpu());
    encoder.close();
    encoder.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> encoder.encode(new float[768], 1, 16, 16));
    assertTrue(e.getMessage().endsWith("tiny.onnx is closed"), e.getMessage());
  }
}
