package org.cropmae.trainer.export;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Assembles an {@link Onnx.Graph} node by node. Each node's single output is named after the node,
 * so the graph reads like the module tree it comes from ({@code blocks.0/attn/qkv}); names must be
 * unique, which is checked, and nodes must be added in execution order.
 */
public final class GraphBuilder {
  private final String name;
  private final List<Onnx.Node> nodes = new ArrayList<>();
  private final List<Onnx.Tensor> initializers = new ArrayList<>();
  private final List<Onnx.ValueInfo> inputs = new ArrayList<>();
  private final List<Onnx.ValueInfo> outputs = new ArrayList<>();
  private final Set<String> names = new HashSet<>();

  public GraphBuilder(String name) {
    this.name = name;
  }

  private String claim(String value) {
    if (value.isEmpty() || !names.add(value)) {
      throw new IllegalArgumentException("graph '" + name + "': value name '" + value + "' is empty or already used");
    }
    return value;
  }

  /** Declares a graph input and returns its name. */
  public String input(Onnx.ValueInfo info) {
    inputs.add(info);
    return claim(info.name());
  }

  /** Declares a graph output; {@code info.name()} must be produced by a node or be an input. */
  public void output(Onnx.ValueInfo info) {
    if (!names.contains(info.name())) {
      throw new IllegalArgumentException("graph '" + name + "': output '" + info.name() + "' is not produced");
    }
    outputs.add(info);
  }

  /** Adds a constant tensor and returns its name. */
  public String initializer(Onnx.Tensor tensor) {
    initializers.add(tensor);
    return claim(tensor.name());
  }

  /** A 1-D int64 constant. */
  public String ints(String valueName, long... values) {
    return initializer(Onnx.Tensor.int64s(valueName, new long[] {values.length}, values));
  }

  /** A scalar (rank 0) int64 constant. */
  public String scalar(String valueName, long value) {
    return initializer(Onnx.Tensor.int64s(valueName, new long[0], value));
  }

  /** A scalar (rank 0) float32 constant. */
  public String scalar(String valueName, float value) {
    return initializer(Onnx.Tensor.floats(valueName, new long[0], value));
  }

  /** A scalar (rank 0) float64 constant. */
  public String scalar(String valueName, double value) {
    return initializer(Onnx.Tensor.doubles(valueName, new long[0], value));
  }

  /** Names a value produced outside this graph (a subgraph's outer scope) as known. */
  public String outerScope(String valueName) {
    names.add(valueName);
    return valueName;
  }

  /** Adds a node of the default domain with one output named {@code nodeName}; returns that name. */
  public String op(String nodeName, String opType, List<Onnx.Attribute> attributes, String... opInputs) {
    for (String in : opInputs) {
      if (!in.isEmpty() && !names.contains(in)) {
        throw new IllegalArgumentException("graph '" + name + "': node '" + nodeName + "' reads undefined '" + in + "'");
      }
    }
    nodes.add(new Onnx.Node(nodeName, opType, "", List.of(opInputs), List.of(nodeName), attributes));
    return claim(nodeName);
  }

  /** {@link #op(String, String, List, String...)} without attributes. */
  public String op(String nodeName, String opType, String... opInputs) {
    return op(nodeName, opType, List.of(), opInputs);
  }

  public Onnx.Graph build() {
    return new Onnx.Graph(name, nodes, initializers, inputs, outputs);
  }
}
