package org.cropmae.runtime.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The one-node ONNX model {@link OnnxAffinityBackend} runs: {@code products = Gemm(queries, keys,
 * transB=1)}, i.e. {@code products[m, n] = sum_d queries[m, d] * keys[n, d]}, float32, all three
 * dimensions symbolic. Keys are taken row-major {@code [n, D]} (transposed by the Gemm) so that any
 * contiguous range of key positions is a contiguous slice of the key buffer.
 *
 * <p>The bytes are a hand-encoded {@code onnx.ModelProto} (IR version 8, default opset 17): the
 * model is too small to justify a protobuf dependency or the trainer's general writer, and a test
 * runs it in ONNX Runtime against the definition.
 */
final class AffinityModel {
  static final String QUERIES = "queries";
  static final String KEYS = "keys";
  static final String PRODUCTS = "products";

  // Field numbers from onnx.proto3.
  private static final int MODEL_IR_VERSION = 1;
  private static final int MODEL_PRODUCER_NAME = 2;
  private static final int MODEL_GRAPH = 7;
  private static final int MODEL_OPSET_IMPORT = 8;
  private static final int OPSET_DOMAIN = 1;
  private static final int OPSET_VERSION = 2;
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_NAME = 2;
  private static final int GRAPH_INPUT = 11;
  private static final int GRAPH_OUTPUT = 12;
  private static final int NODE_INPUT = 1;
  private static final int NODE_OUTPUT = 2;
  private static final int NODE_OP_TYPE = 4;
  private static final int NODE_ATTRIBUTE = 5;
  private static final int ATTRIBUTE_NAME = 1;
  private static final int ATTRIBUTE_I = 3;
  private static final int ATTRIBUTE_TYPE = 20;
  private static final int ATTRIBUTE_TYPE_INT = 2;
  private static final int VALUE_INFO_NAME = 1;
  private static final int VALUE_INFO_TYPE = 2;
  private static final int TYPE_TENSOR = 1;
  private static final int TENSOR_ELEM_TYPE = 1;
  private static final int TENSOR_SHAPE = 2;
  private static final int ELEM_TYPE_FLOAT = 1;
  private static final int SHAPE_DIM = 1;
  private static final int DIM_PARAM = 2;
  // Protobuf wire types.
  private static final int VARINT = 0;
  private static final int LENGTH_DELIMITED = 2;

  private AffinityModel() {}

  /** The serialised model. */
  static byte[] bytes() {
    byte[] gemm = message(m -> {
      string(m, NODE_INPUT, QUERIES);
      string(m, NODE_INPUT, KEYS);
      string(m, NODE_OUTPUT, PRODUCTS);
      string(m, NODE_OP_TYPE, "Gemm");
      bytes(m, NODE_ATTRIBUTE, message(a -> {
        string(a, ATTRIBUTE_NAME, "transB");
        varint(a, ATTRIBUTE_I, 1);
        varint(a, ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_INT);
      }));
    });
    byte[] graph = message(g -> {
      bytes(g, GRAPH_NODE, gemm);
      string(g, GRAPH_NAME, "affinity");
      bytes(g, GRAPH_INPUT, matrix(QUERIES, "m", "d"));
      bytes(g, GRAPH_INPUT, matrix(KEYS, "n", "d"));
      bytes(g, GRAPH_OUTPUT, matrix(PRODUCTS, "m", "n"));
    });
    return message(m -> {
      varint(m, MODEL_IR_VERSION, 8);
      string(m, MODEL_PRODUCER_NAME, "cropmae-runtime");
      bytes(m, MODEL_GRAPH, graph);
      bytes(m, MODEL_OPSET_IMPORT, message(o -> {
        string(o, OPSET_DOMAIN, "");
        varint(o, OPSET_VERSION, 17);
      }));
    });
  }

  /** A float32 {@code ValueInfoProto} with symbolic dimensions {@code [rows, cols]}. */
  private static byte[] matrix(String name, String rows, String cols) {
    byte[] shape = message(s -> {
      bytes(s, SHAPE_DIM, message(d -> string(d, DIM_PARAM, rows)));
      bytes(s, SHAPE_DIM, message(d -> string(d, DIM_PARAM, cols)));
    });
    byte[] tensor = message(t -> {
      varint(t, TENSOR_ELEM_TYPE, ELEM_TYPE_FLOAT);
      bytes(t, TENSOR_SHAPE, shape);
    });
    return message(v -> {
      string(v, VALUE_INFO_NAME, name);
      bytes(v, VALUE_INFO_TYPE, message(t -> bytes(t, TYPE_TENSOR, tensor)));
    });
  }

  private static byte[] message(Consumer<ByteArrayOutputStream> fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    fields.accept(out);
    return out.toByteArray();
  }

  private static void varint(ByteArrayOutputStream out, int field, long value) {
    rawVarint(out, (long) field << 3 | VARINT);
    rawVarint(out, value);
  }

  private static void string(ByteArrayOutputStream out, int field, String value) {
    bytes(out, field, value.getBytes(StandardCharsets.UTF_8));
  }

  private static void bytes(ByteArrayOutputStream out, int field, byte[] value) {
    rawVarint(out, (long) field << 3 | LENGTH_DELIMITED);
    rawVarint(out, value.length);
    out.write(value, 0, value.length);
  }

  private static void rawVarint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) (value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.write((int) value);
  }
}
