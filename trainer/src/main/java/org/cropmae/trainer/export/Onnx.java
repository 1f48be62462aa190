package org.cropmae.trainer.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The subset of the ONNX IR ({@code onnx.proto}) this project writes, as immutable records.
 * {@link OnnxWriter} serialises them; there is no reader and no generated code.
 */
public final class Onnx {
  private Onnx() {}

  /** {@code TensorProto.DataType} values used here. */
  public enum DataType {
    FLOAT(1, 4),
    INT32(6, 4),
    INT64(7, 8),
    BOOL(9, 1),
    DOUBLE(11, 8);

    private final int code;
    private final int bytes;

    DataType(int code, int bytes) {
      this.code = code;
      this.bytes = bytes;
    }

    /** The {@code onnx.proto} enum number. */
    public int code() {
      return code;
    }

    /** Bytes per element. */
    public int bytes() {
      return bytes;
    }
  }

  /**
   * A constant tensor (an initializer or an attribute value), stored as little-endian
   * {@code raw_data}.
   *
   * @param name tensor name; empty inside an attribute
   * @param dataType element type
   * @param dims shape, outermost first; empty for a scalar
   * @param rawData {@code product(dims) * dataType.bytes()} little-endian bytes, owned by the record
   */
  public record Tensor(String name, DataType dataType, long[] dims, byte[] rawData) {
    public Tensor {
      Objects.requireNonNull(name, "name");
      dims = dims.clone();
      long n = 1;
      for (long d : dims) {
        if (d < 0) {
          throw new IllegalArgumentException("tensor '" + name + "': negative dimension in " + Arrays.toString(dims));
        }
        n = Math.multiplyExact(n, d);
      }
      if (n * dataType.bytes() != rawData.length) {
        throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(dims) + " of "
            + dataType + " needs " + n * dataType.bytes() + " bytes, got " + rawData.length);
      }
    }

    /** A float32 tensor of shape {@code dims}. */
    public static Tensor floats(String name, long[] dims, float... values) {
      ByteBuffer bb = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      bb.asFloatBuffer().put(values);
      return new Tensor(name, DataType.FLOAT, dims, bb.array());
    }

    /** A float64 tensor of shape {@code dims}. */
    public static Tensor doubles(String name, long[] dims, double... values) {
      ByteBuffer bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
      bb.asDoubleBuffer().put(values);
      return new Tensor(name, DataType.DOUBLE, dims, bb.array());
    }

    /** An int64 tensor of shape {@code dims}. */
    public static Tensor int64s(String name, long[] dims, long... values) {
      ByteBuffer bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
      bb.asLongBuffer().put(values);
      return new Tensor(name, DataType.INT64, dims, bb.array());
    }
  }

  /**
   * One tensor dimension of a declared type: a fixed size or a symbolic name ({@code dim_param}).
   *
   * @param value the size when {@code param} is null
   * @param param the symbolic name of a dynamic dimension, or null
   */
  public record Dim(long value, String param) {
    public static Dim of(long value) {
      return new Dim(value, null);
    }

    public static Dim of(String param) {
      return new Dim(-1, param);
    }
  }

  /**
   * A graph input or output: a name and a tensor type.
   *
   * @param shape the dimensions, or null for a tensor of unknown rank
   */
  public record ValueInfo(String name, DataType elemType, List<Dim> shape) {
    public ValueInfo {
      shape = shape == null ? null : List.copyOf(shape);
    }

    /** A tensor with dimensions given as {@link Long}/{@link Integer} sizes or {@link String} names. */
    public static ValueInfo tensor(String name, DataType elemType, Object... dims) {
      return new ValueInfo(name, elemType, Arrays.stream(dims).map(d -> {
        if (d instanceof Number n) {
          return Dim.of(n.longValue());
        }
        if (d instanceof String s) {
          return Dim.of(s);
        }
        throw new IllegalArgumentException("dimension must be a number or a name, got " + d);
      }).toList());
    }

    /** A float/int tensor of unknown rank (used for subgraph outputs). */
    public static ValueInfo anyShape(String name, DataType elemType) {
      return new ValueInfo(name, elemType, null);
    }
  }

  /** {@code AttributeProto.AttributeType} values used here. */
  public enum AttributeType {
    FLOAT(1),
    INT(2),
    STRING(3),
    TENSOR(4),
    GRAPH(5),
    FLOATS(6),
    INTS(7);

    private final int code;

    AttributeType(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  /**
   * A node attribute. {@code value} is a {@link Float}, {@link Long}, {@link String}, {@link Tensor},
   * {@link Graph}, {@code float[]} or {@code long[]} matching {@code type}.
   */
  public record Attribute(String name, AttributeType type, Object value) {
    public Attribute {
      boolean ok = switch (type) {
        case FLOAT -> value instanceof Float;
        case INT -> value instanceof Long;
        case STRING -> value instanceof String;
        case TENSOR -> value instanceof Tensor;
        case GRAPH -> value instanceof Graph;
        case FLOATS -> value instanceof float[];
        case INTS -> value instanceof long[];
      };
      if (!ok) {
        throw new IllegalArgumentException("attribute '" + name + "' of type " + type + " cannot hold " + value);
      }
    }

    public static Attribute of(String name, float v) {
      return new Attribute(name, AttributeType.FLOAT, v);
    }

    public static Attribute of(String name, long v) {
      return new Attribute(name, AttributeType.INT, v);
    }

    public static Attribute of(String name, String v) {
      return new Attribute(name, AttributeType.STRING, v);
    }

    public static Attribute of(String name, Tensor v) {
      return new Attribute(name, AttributeType.TENSOR, v);
    }

    public static Attribute of(String name, Graph v) {
      return new Attribute(name, AttributeType.GRAPH, v);
    }

    public static Attribute ints(String name, long... v) {
      return new Attribute(name, AttributeType.INTS, v.clone());
    }
  }

  /**
   * An operator application. An empty string in {@code inputs} skips an optional input.
   *
   * @param domain operator set domain; empty for the default ONNX domain
   */
  public record Node(
      String name, String opType, String domain, List<String> inputs, List<String> outputs, List<Attribute> attributes) {
    public Node {
      inputs = List.copyOf(inputs);
      outputs = List.copyOf(outputs);
      attributes = List.copyOf(attributes);
    }
  }

  /** A computation graph; nodes must be topologically sorted. */
  public record Graph(
      String name,
      List<Node> nodes,
      List<Tensor> initializers,
      List<ValueInfo> inputs,
      List<ValueInfo> outputs) {
    public Graph {
      nodes = List.copyOf(nodes);
      initializers = List.copyOf(initializers);
      inputs = List.copyOf(inputs);
      outputs = List.copyOf(outputs);
    }
  }

  /** An operator set import: {@code domain} ("" = ai.onnx) at {@code version}. */
  public record OpsetImport(String domain, long version) {}

  /**
   * A complete model.
   *
   * @param irVersion ONNX IR version (8 for opset 17)
   * @param metadata {@code metadata_props}, written in iteration order
   */
  public record Model(
      long irVersion,
      List<OpsetImport> opsets,
      String producerName,
      String producerVersion,
      String docString,
      Graph graph,
      Map<String, String> metadata) {
    public Model {
      opsets = List.copyOf(opsets);
      metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }
  }
}
