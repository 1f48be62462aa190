package org.cropmae.trainer.export;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.cropmae.runtime.io.AtomicFiles;

/**
 * Serialises an {@link Onnx.Model} in the protobuf wire format of {@code onnx.proto} (field numbers
 * of the public ONNX schema), without generated classes.
 *
 * <p>Nested messages are length-prefixed, so every message's size is computed before it is written;
 * the model is streamed once and large weight tensors are never copied into intermediate buffers.
 * Repeated scalars are written unpacked, the proto2 default of {@code onnx.proto}.
 */
public final class OnnxWriter {
  private OnnxWriter() {}

  // ModelProto
  private static final int MODEL_IR_VERSION = 1;
  private static final int MODEL_PRODUCER_NAME = 2;
  private static final int MODEL_PRODUCER_VERSION = 3;
  private static final int MODEL_DOC_STRING = 6;
  private static final int MODEL_GRAPH = 7;
  private static final int MODEL_OPSET_IMPORT = 8;
  private static final int MODEL_METADATA_PROPS = 14;
  // OperatorSetIdProto
  private static final int OPSET_DOMAIN = 1;
  private static final int OPSET_VERSION = 2;
  // StringStringEntryProto
  private static final int ENTRY_KEY = 1;
  private static final int ENTRY_VALUE = 2;
  // GraphProto
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_NAME = 2;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int GRAPH_INPUT = 11;
  private static final int GRAPH_OUTPUT = 12;
  // NodeProto
  private static final int NODE_INPUT = 1;
  private static final int NODE_OUTPUT = 2;
  private static final int NODE_NAME = 3;
  private static final int NODE_OP_TYPE = 4;
  private static final int NODE_ATTRIBUTE = 5;
  private static final int NODE_DOMAIN = 7;
  // AttributeProto
  private static final int ATTR_NAME = 1;
  private static final int ATTR_F = 2;
  private static final int ATTR_I = 3;
  private static final int ATTR_S = 4;
  private static final int ATTR_T = 5;
  private static final int ATTR_G = 6;
  private static final int ATTR_FLOATS = 7;
  private static final int ATTR_INTS = 8;
  private static final int ATTR_TYPE = 20;
  // TensorProto
  private static final int TENSOR_DIMS = 1;
  private static final int TENSOR_DATA_TYPE = 2;
  private static final int TENSOR_NAME = 8;
  private static final int TENSOR_RAW_DATA = 9;
  // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, TensorShapeProto.Dimension
  private static final int VALUE_INFO_NAME = 1;
  private static final int VALUE_INFO_TYPE = 2;
  private static final int TYPE_TENSOR_TYPE = 1;
  private static final int TENSOR_TYPE_ELEM_TYPE = 1;
  private static final int TENSOR_TYPE_SHAPE = 2;
  private static final int SHAPE_DIM = 1;
  private static final int DIM_VALUE = 1;
  private static final int DIM_PARAM = 2;

  /** Writes {@code model} to {@code file} atomically (temporary file, then rename). */
  public static void write(Onnx.Model model, Path file) throws IOException {
    int size = checkedSize(model);
    AtomicFiles.write(file, out -> emit(model, out, size));
  }

  /** The serialised model. */
  public static byte[] toByteArray(Onnx.Model model) {
    int size = checkedSize(model);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
    try {
      emit(model, bytes, size);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Writes the serialised model to {@code out}; the stream is flushed, not closed. */
  public static void writeTo(Onnx.Model model, OutputStream out) throws IOException {
    emit(model, out, checkedSize(model));
  }

  private static int checkedSize(Onnx.Model model) {
    long size = modelSize(model);
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("model of " + size + " bytes exceeds the 2 GiB protobuf limit");
    }
    return (int) size;
  }

  private static void emit(Onnx.Model model, OutputStream out, int size) throws IOException {
    CodedOutputStream o = CodedOutputStream.newInstance(out, 1 << 16);
    writeModel(o, model);
    o.flush();
    if (o.getTotalBytesWritten() != size) {
      throw new IllegalStateException("wrote " + o.getTotalBytesWritten() + " bytes, computed " + size);
    }
  }

  // ---- sizes (long: a model may approach 2 GiB) ----

  private static long nested(int field, long bodySize) {
    return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt64SizeNoTag(bodySize) + bodySize;
  }

  private static long stringSize(int field, String s) {
    return CodedOutputStream.computeStringSize(field, s);
  }

  private static long modelSize(Onnx.Model m) {
    long n = CodedOutputStream.computeInt64Size(MODEL_IR_VERSION, m.irVersion())
        + stringSize(MODEL_PRODUCER_NAME, m.producerName())
        + stringSize(MODEL_PRODUCER_VERSION, m.producerVersion())
        + (m.docString().isEmpty() ? 0 : stringSize(MODEL_DOC_STRING, m.docString()))
        + nested(MODEL_GRAPH, graphSize(m.graph()));
    for (Onnx.OpsetImport op : m.opsets()) {
      n += nested(MODEL_OPSET_IMPORT, opsetSize(op));
    }
    for (Map.Entry<String, String> e : m.metadata().entrySet()) {
      n += nested(MODEL_METADATA_PROPS, entrySize(e));
    }
    return n;
  }

  private static long opsetSize(Onnx.OpsetImport op) {
    return stringSize(OPSET_DOMAIN, op.domain()) + CodedOutputStream.computeInt64Size(OPSET_VERSION, op.version());
  }

  private static long entrySize(Map.Entry<String, String> e) {
    return stringSize(ENTRY_KEY, e.getKey()) + stringSize(ENTRY_VALUE, e.getValue());
  }

  private static long graphSize(Onnx.Graph g) {
    long n = stringSize(GRAPH_NAME, g.name());
    for (Onnx.Node node : g.nodes()) {
      n += nested(GRAPH_NODE, nodeSize(node));
    }
    for (Onnx.Tensor t : g.initializers()) {
      n += nested(GRAPH_INITIALIZER, tensorSize(t));
    }
    for (Onnx.ValueInfo v : g.inputs()) {
      n += nested(GRAPH_INPUT, valueInfoSize(v));
    }
    for (Onnx.ValueInfo v : g.outputs()) {
      n += nested(GRAPH_OUTPUT, valueInfoSize(v));
    }
    return n;
  }

  private static long nodeSize(Onnx.Node node) {
    long n = stringSize(NODE_NAME, node.name()) + stringSize(NODE_OP_TYPE, node.opType());
    if (!node.domain().isEmpty()) {
      n += stringSize(NODE_DOMAIN, node.domain());
    }
    for (String s : node.inputs()) {
      n += stringSize(NODE_INPUT, s);
    }
    for (String s : node.outputs()) {
      n += stringSize(NODE_OUTPUT, s);
    }
    for (Onnx.Attribute a : node.attributes()) {
      n += nested(NODE_ATTRIBUTE, attributeSize(a));
    }
    return n;
  }

  private static long attributeSize(Onnx.Attribute a) {
    long n = stringSize(ATTR_NAME, a.name()) + CodedOutputStream.computeEnumSize(ATTR_TYPE, a.type().code());
    switch (a.type()) {
      case FLOAT -> n += CodedOutputStream.computeFloatSize(ATTR_F, (Float) a.value());
      case INT -> n += CodedOutputStream.computeInt64Size(ATTR_I, (Long) a.value());
      case STRING -> n += stringSize(ATTR_S, (String) a.value());
      case TENSOR -> n += nested(ATTR_T, tensorSize((Onnx.Tensor) a.value()));
      case GRAPH -> n += nested(ATTR_G, graphSize((Onnx.Graph) a.value()));
      case FLOATS -> n += (long) ((float[]) a.value()).length * CodedOutputStream.computeFloatSize(ATTR_FLOATS, 0f);
      case INTS -> {
        for (long v : (long[]) a.value()) {
          n += CodedOutputStream.computeInt64Size(ATTR_INTS, v);
        }
      }
    }
    return n;
  }

  private static long tensorSize(Onnx.Tensor t) {
    long n = CodedOutputStream.computeInt32Size(TENSOR_DATA_TYPE, t.dataType().code());
    for (long d : t.dims()) {
      n += CodedOutputStream.computeInt64Size(TENSOR_DIMS, d);
    }
    if (!t.name().isEmpty()) {
      n += stringSize(TENSOR_NAME, t.name());
    }
    return n + nested(TENSOR_RAW_DATA, t.rawData().length);
  }

  private static long valueInfoSize(Onnx.ValueInfo v) {
    return stringSize(VALUE_INFO_NAME, v.name()) + nested(VALUE_INFO_TYPE, typeSize(v));
  }

  private static long typeSize(Onnx.ValueInfo v) {
    return nested(TYPE_TENSOR_TYPE, tensorTypeSize(v));
  }

  private static long tensorTypeSize(Onnx.ValueInfo v) {
    long n = CodedOutputStream.computeInt32Size(TENSOR_TYPE_ELEM_TYPE, v.elemType().code());
    if (v.shape() != null) {
      n += nested(TENSOR_TYPE_SHAPE, shapeSize(v));
    }
    return n;
  }

  private static long shapeSize(Onnx.ValueInfo v) {
    long n = 0;
    for (Onnx.Dim d : v.shape()) {
      n += nested(SHAPE_DIM, dimSize(d));
    }
    return n;
  }

  private static long dimSize(Onnx.Dim d) {
    return d.param() != null
        ? stringSize(DIM_PARAM, d.param())
        : CodedOutputStream.computeInt64Size(DIM_VALUE, d.value());
  }

  // ---- writing, field for field in the order the sizes were computed ----

  private static void header(CodedOutputStream o, int field, long size) throws IOException {
    o.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    o.writeUInt64NoTag(size);
  }

  private static void writeModel(CodedOutputStream o, Onnx.Model m) throws IOException {
    o.writeInt64(MODEL_IR_VERSION, m.irVersion());
    o.writeString(MODEL_PRODUCER_NAME, m.producerName());
    o.writeString(MODEL_PRODUCER_VERSION, m.producerVersion());
    if (!m.docString().isEmpty()) {
      o.writeString(MODEL_DOC_STRING, m.docString());
    }
    header(o, MODEL_GRAPH, graphSize(m.graph()));
    writeGraph(o, m.graph());
    for (Onnx.OpsetImport op : m.opsets()) {
      header(o, MODEL_OPSET_IMPORT, opsetSize(op));
      o.writeString(OPSET_DOMAIN, op.domain());
      o.writeInt64(OPSET_VERSION, op.version());
    }
    for (Map.Entry<String, String> e : m.metadata().entrySet()) {
      header(o, MODEL_METADATA_PROPS, entrySize(e));
      o.writeString(ENTRY_KEY, e.getKey());
      o.writeString(ENTRY_VALUE, e.getValue());
    }
  }

  private static void writeGraph(CodedOutputStream o, Onnx.Graph g) throws IOException {
    o.writeString(GRAPH_NAME, g.name());
    for (Onnx.Node node : g.nodes()) {
      header(o, GRAPH_NODE, nodeSize(node));
      writeNode(o, node);
    }
    for (Onnx.Tensor t : g.initializers()) {
      header(o, GRAPH_INITIALIZER, tensorSize(t));
      writeTensor(o, t);
    }
    for (Onnx.ValueInfo v : g.inputs()) {
      header(o, GRAPH_INPUT, valueInfoSize(v));
      writeValueInfo(o, v);
    }
    for (Onnx.ValueInfo v : g.outputs()) {
      header(o, GRAPH_OUTPUT, valueInfoSize(v));
      writeValueInfo(o, v);
    }
  }

  private static void writeNode(CodedOutputStream o, Onnx.Node node) throws IOException {
    o.writeString(NODE_NAME, node.name());
    o.writeString(NODE_OP_TYPE, node.opType());
    if (!node.domain().isEmpty()) {
      o.writeString(NODE_DOMAIN, node.domain());
    }
    for (String s : node.inputs()) {
      o.writeString(NODE_INPUT, s);
    }
    for (String s : node.outputs()) {
      o.writeString(NODE_OUTPUT, s);
    }
    for (Onnx.Attribute a : node.attributes()) {
      header(o, NODE_ATTRIBUTE, attributeSize(a));
      writeAttribute(o, a);
    }
  }

  private static void writeAttribute(CodedOutputStream o, Onnx.Attribute a) throws IOException {
    o.writeString(ATTR_NAME, a.name());
    o.writeEnum(ATTR_TYPE, a.type().code());
    switch (a.type()) {
      case FLOAT -> o.writeFloat(ATTR_F, (Float) a.value());
      case INT -> o.writeInt64(ATTR_I, (Long) a.value());
      case STRING -> o.writeString(ATTR_S, (String) a.value());
      case TENSOR -> {
        Onnx.Tensor t = (Onnx.Tensor) a.value();
        header(o, ATTR_T, tensorSize(t));
        writeTensor(o, t);
      }
      case GRAPH -> {
        Onnx.Graph g = (Onnx.Graph) a.value();
        header(o, ATTR_G, graphSize(g));
        writeGraph(o, g);
      }
      case FLOATS -> {
        for (float v : (float[]) a.value()) {
          o.writeFloat(ATTR_FLOATS, v);
        }
      }
      case INTS -> {
        for (long v : (long[]) a.value()) {
          o.writeInt64(ATTR_INTS, v);
        }
      }
    }
  }

  private static void writeTensor(CodedOutputStream o, Onnx.Tensor t) throws IOException {
    o.writeInt32(TENSOR_DATA_TYPE, t.dataType().code());
    for (long d : t.dims()) {
      o.writeInt64(TENSOR_DIMS, d);
    }
    if (!t.name().isEmpty()) {
      o.writeString(TENSOR_NAME, t.name());
    }
    o.writeByteArray(TENSOR_RAW_DATA, t.rawData());
  }

  private static void writeValueInfo(CodedOutputStream o, Onnx.ValueInfo v) throws IOException {
    o.writeString(VALUE_INFO_NAME, v.name());
    header(o, VALUE_INFO_TYPE, typeSize(v));
    header(o, TYPE_TENSOR_TYPE, tensorTypeSize(v));
    o.writeInt32(TENSOR_TYPE_ELEM_TYPE, v.elemType().code());
    if (v.shape() != null) {
      header(o, TENSOR_TYPE_SHAPE, shapeSize(v));
      for (Onnx.Dim d : v.shape()) {
        header(o, SHAPE_DIM, dimSize(d));
        if (d.param() != null) {
          o.writeString(DIM_PARAM, d.param());
        } else {
          o.writeInt64(DIM_VALUE, d.value());
        }
      }
    }
  }
}
