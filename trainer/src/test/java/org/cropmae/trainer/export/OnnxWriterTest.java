package org.cropmae.trainer.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cropmae.runtime.onnx.EncoderOptions;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.cropmae.trainer.export.Onnx.Attribute;
import org.cropmae.trainer.export.Onnx.DataType;
import org.cropmae.trainer.export.Onnx.ValueInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-written protobuf writer produces models ONNX Runtime loads and runs as specified. */
class OnnxWriterTest {
  @TempDir Path dir;

  /** {@code y = transpose(a + b + bias)}, inputs {@code [n, 3]} with a dynamic first dimension. */
  static Onnx.Model tinyAddModel() {
    GraphBuilder g = new GraphBuilder("tiny");
    String a = g.input(ValueInfo.tensor("a", DataType.FLOAT, "n", 3));
    String b = g.input(ValueInfo.tensor("b", DataType.FLOAT, "n", 3));
    String bias = g.initializer(Onnx.Tensor.floats("bias", new long[] {3}, 10f, 20f, 30f));
    String sum = g.op("sum", "Add", g.op("ab", "Add", a, b), bias);
    g.op("y", "Transpose", List.of(Attribute.ints("perm", 1, 0)), sum);
    g.output(ValueInfo.tensor("y", DataType.FLOAT, 3, "n"));
    return new Onnx.Model(8, List.of(new Onnx.OpsetImport("", 17)), "test", "0", "", g.build(), Map.of("k", "v"));
  }

  @Test
  void tinyModelRunsInOnnxRuntime() throws OrtException {
    byte[] bytes = OnnxWriter.toByteArray(tinyAddModel());
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(bytes, new OrtSession.SessionOptions());
        OnnxTensor a = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {1, 2, 3, 4, 5, 6}), new long[] {2, 3});
        OnnxTensor b = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {.5f, .5f, .5f, 1, 1, 1}), new long[] {2, 3});
        OrtSession.Result r = s.run(Map.of("a", a, "b", b))) {
      OnnxTensor y = (OnnxTensor) r.get("y").orElseThrow();
      assertArrayEquals(new long[] {3, 2}, y.getInfo().getShape());
      float[] out = new float[6];
      y.getFloatBuffer().get(out);
      assertArrayEquals(new float[] {11.5f, 15f, 22.5f, 26f, 33.5f, 37f}, out);
      assertEquals("v", s.getMetadata().getCustomMetadataValue("k").orElseThrow());
      assertEquals("test", s.getMetadata().getProducerName());
      TensorInfo in = (TensorInfo) s.getInputInfo().get("a").getInfo();
      assertEquals("n", in.getDimensionNames()[0]);
    }
  }

  @Test
  void nonEncoderModelIsRejected() throws IOException {
    Path file = dir.resolve("add.onnx");
    OnnxWriter.write(tinyAddModel(), file);
    IOException e = assertThrows(IOException.class, () -> OnnxEncoder.open(file, cpu()));
    assertEquals(file + ": not a CropMAE encoder (expected input 'pixel_values' [N,3,H,W], found "
        + "'a' float [n,3], 'b' float [n,3])", e.getMessage());
  }

  @Test
  void encoderWithoutMetadataIsRejected() throws IOException {
    Onnx.Model full = OnnxEncoderExporter.buildModel(
        RandomEncoderWeights.create(TinyArch.ARCH, 1), TinyArch.ARCH, Map.of());
    Map<String, String> meta = new java.util.LinkedHashMap<>(full.metadata());
    meta.remove("cropmae.patch_size");
    Onnx.Model stripped = new Onnx.Model(full.irVersion(), full.opsets(), full.producerName(),
        full.producerVersion(), full.docString(), full.graph(), meta);
    Path file = dir.resolve("stripped.onnx");
    OnnxWriter.write(stripped, file);
    IOException e = assertThrows(IOException.class, () -> OnnxEncoder.open(file, cpu()));
    assertEquals(file + ": not a CropMAE encoder (expected metadata key 'cropmae.patch_size', found keys "
        + "[cropmae.architecture, cropmae.depth, cropmae.embed_dim, cropmae.mean, cropmae.num_heads, "
        + "cropmae.opset, cropmae.pos_embed_grid, cropmae.producer, cropmae.std])", e.getMessage());
  }

  @Test
  void encoderWithWrongOutputIsRejected() throws IOException {
    GraphBuilder g = new GraphBuilder("identity");
    g.input(ValueInfo.tensor("pixel_values", DataType.FLOAT, "n", 3, "h", "w"));
    g.op("features", "Identity", "pixel_values");
    g.output(ValueInfo.tensor("features", DataType.FLOAT, "n", 3, "h", "w"));
    Path file = dir.resolve("identity.onnx");
    OnnxWriter.write(new Onnx.Model(8, List.of(new Onnx.OpsetImport("", 17)), "test", "0", "", g.build(), Map.of()), file);
    IOException e = assertThrows(IOException.class, () -> OnnxEncoder.open(file, cpu()));
    assertEquals(file + ": not a CropMAE encoder (expected output 'last_hidden_state' [N,1+h*w,D], found "
        + "'features' float [n,3,h,w])", e.getMessage());
  }

  @Test
  void truncatedModelIsNotLoadable() throws IOException {
    byte[] bytes = OnnxWriter.toByteArray(tinyAddModel());
    Path file = dir.resolve("truncated.onnx");
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    IOException e = assertThrows(IOException.class, () -> OnnxEncoder.open(file, cpu()));
    assertEquals(true, e.getMessage().startsWith(file + ": not a loadable ONNX model ("), e.getMessage());
  }

  @Test
  void builderRefusesUndefinedAndDuplicateNames() {
    GraphBuilder g = new GraphBuilder("g");
    g.input(ValueInfo.tensor("x", DataType.FLOAT, 1));
    IllegalArgumentException undefined = assertThrows(IllegalArgumentException.class, () -> g.op("y", "Relu", "nope"));
    assertEquals("graph 'g': node 'y' reads undefined 'nope'", undefined.getMessage());
    g.op("y", "Relu", "x");
    IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> g.op("y", "Relu", "x"));
    assertEquals("graph 'g': value name 'y' is empty or already used", dup.getMessage());
    IllegalArgumentException output = assertThrows(IllegalArgumentException.class,
        () -> g.output(ValueInfo.tensor("z", DataType.FLOAT, 1)));
    assertEquals("graph 'g': output 'z' is not produced", output.getMessage());
  }

  @Test
  void tensorRejectsDataOfTheWrongSize() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Onnx.Tensor.floats("w", new long[] {2, 2}, 1f, 2f, 3f));
    assertEquals("tensor 'w': shape [2, 2] of FLOAT needs 16 bytes, got 12", e.getMessage());
  }

  static EncoderOptions cpu() {
    return EncoderOptions.defaults().withExecutionProvider(EncoderOptions.ExecutionProvider.CPU).withThreads(1, 1);
  }
}
