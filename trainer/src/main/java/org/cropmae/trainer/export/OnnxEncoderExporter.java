package org.cropmae.trainer.export;

import static org.cropmae.trainer.export.Onnx.Attribute.ints;

import java.io.IOException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.onnx.EncoderContract;
import org.cropmae.trainer.export.Onnx.Attribute;
import org.cropmae.trainer.export.Onnx.DataType;
import org.cropmae.trainer.export.Onnx.Tensor;
import org.cropmae.trainer.export.Onnx.ValueInfo;

/**
 * Exports the CropMAE ViT encoder (the official evaluation model) from a PyTorch state dict to an
 * ONNX model following {@link EncoderContract}.
 *
 * <p>The graph reproduces the reference forward pass: a strided Conv patch embedding, the cls token
 * prepended, the position embedding added (the trained {@code g x g} grid used as is when the input
 * has exactly {@code g*g} patches and is square, otherwise resized inside the graph with bicubic
 * interpolation to the input's patch grid), pre-norm blocks (LayerNorm, multi-head self-attention
 * with qkv bias, LayerNorm, MLP with exact erf GELU), and a final LayerNorm.
 *
 * <p>Outputs: {@link EncoderContract#OUTPUT}, {@link EncoderContract#PATCH_OUTPUT} and
 * {@link EncoderContract#ATTENTION_OUTPUT}, the last block's softmax attention probabilities
 * {@code [batch, heads, tokens, tokens]}. The latter is the last block's Softmax node itself (named
 * {@code last_attention} rather than {@code blocks.<depth-1>/attn/softmax}), so exposing it adds no
 * node and no copy to the graph.
 *
 * <p>Opset 17: the oldest opset with a LayerNormalization operator, so the model loads in older
 * ONNX Runtime builds (Android, embedded) as well as 1.23. The Gelu operator only exists from
 * opset 20; GELU is written as {@code x * (erf(x / sqrt 2) + 1) * 0.5}, the pattern ONNX Runtime's
 * extended optimizations fuse into a single Gelu kernel.
 */
public final class OnnxEncoderExporter {
  private OnnxEncoderExporter() {}

  /** Default-domain opset of the exported graph. */
  public static final int OPSET = 17;
  /** IR version that goes with opset 17. */
  public static final long IR_VERSION = 8;
  /** {@code producer_name} of exported models. */
  public static final String PRODUCER = "cropmae-java";
  /** ImageNet RGB mean the official evaluation normalises with. */
  public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
  /** ImageNet RGB standard deviation the official evaluation normalises with. */
  public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

  /** Metadata the exporter derives from the weights; {@code extraMetadata} may not replace them. */
  private static final Set<String> STRUCTURAL_KEYS = Set.of(EncoderContract.ARCHITECTURE,
      EncoderContract.PATCH_SIZE, EncoderContract.EMBED_DIM, EncoderContract.DEPTH, EncoderContract.NUM_HEADS,
      EncoderContract.POS_GRID, EncoderContract.OPSET);

  /**
   * Exports the encoder to {@code out} atomically.
   *
   * @param stateDict PyTorch parameter names to tensors ({@code cls_token}, {@code pos_embed},
   *     {@code patch_embed.proj.*}, {@code blocks.<i>.*}, {@code norm.*}); other entries (the
   *     decoder) are ignored
   * @param arch the architecture, usually {@link EncoderArchitecture#infer}; every tensor shape is
   *     checked against it
   * @param out the {@code .onnx} file to write
   * @param extraMetadata additional {@code metadata_props}, e.g. {@link EncoderContract#SOURCE_SHA256}
   *     (see {@link org.cropmae.runtime.io.Sha256#of}); may override mean, std and producer, not the architecture keys
   * @return the metadata written
   * @throws IllegalArgumentException naming the tensor when one is missing, has the wrong shape or
   *     holds NaN/infinity, or when {@code extraMetadata} tries to replace an architecture key
   * @throws IOException when the file cannot be written
   */
  public static Map<String, String> export(
      Map<String, NpyArray> stateDict, EncoderArchitecture arch, Path out, Map<String, String> extraMetadata)
      throws IOException {
    Onnx.Model model = buildModel(stateDict, arch, extraMetadata);
    OnnxWriter.write(model, out);
    return model.metadata();
  }

  /** Builds the model in memory (see {@link #export}). */
  public static Onnx.Model buildModel(
      Map<String, NpyArray> stateDict, EncoderArchitecture arch, Map<String, String> extraMetadata) {
    Map<String, String> meta = metadata(arch, extraMetadata);
    Onnx.Graph graph = new GraphWriter(stateDict, arch).build();
    return new Onnx.Model(IR_VERSION, List.of(new Onnx.OpsetImport("", OPSET)), PRODUCER, producerVersion(),
        "CropMAE ViT encoder " + arch.name(), graph, meta);
  }

  private static String producerVersion() {
    String v = OnnxEncoderExporter.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }

  private static Map<String, String> metadata(EncoderArchitecture arch, Map<String, String> extra) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put(EncoderContract.ARCHITECTURE, arch.name());
    meta.put(EncoderContract.PATCH_SIZE, Integer.toString(arch.patchSize()));
    meta.put(EncoderContract.EMBED_DIM, Integer.toString(arch.embedDim()));
    meta.put(EncoderContract.DEPTH, Integer.toString(arch.depth()));
    meta.put(EncoderContract.NUM_HEADS, Integer.toString(arch.numHeads()));
    meta.put(EncoderContract.POS_GRID, Integer.toString(arch.posGridSize()));
    meta.put(EncoderContract.MEAN, join(IMAGENET_MEAN));
    meta.put(EncoderContract.STD, join(IMAGENET_STD));
    meta.put(EncoderContract.OPSET, Integer.toString(OPSET));
    meta.put(EncoderContract.PRODUCER, PRODUCER + " " + producerVersion());
    for (Map.Entry<String, String> e : extra.entrySet()) {
      if (e.getKey() == null || e.getKey().isBlank() || e.getValue() == null) {
        throw new IllegalArgumentException("extraMetadata: blank key or null value (" + e.getKey() + ")");
      }
      if (STRUCTURAL_KEYS.contains(e.getKey())) {
        throw new IllegalArgumentException("extraMetadata: '" + e.getKey() + "' is derived from the weights and cannot be set");
      }
      meta.put(e.getKey(), e.getValue());
    }
    return meta;
  }

  private static String join(float[] v) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      sb.append(i > 0 ? "," : "").append(v[i]);
    }
    return sb.toString();
  }

  /** Emits the encoder graph for one state dict. */
  private static final class GraphWriter {
    private final Map<String, NpyArray> sd;
    private final EncoderArchitecture arch;
    private final GraphBuilder g = new GraphBuilder("cropmae_vit_encoder");
    private final int d;

    GraphWriter(Map<String, NpyArray> stateDict, EncoderArchitecture arch) {
      this.sd = stateDict;
      this.arch = arch;
      this.d = arch.embedDim();
    }

    /** The tensor {@code key} as float32, checked to have {@code shape} and finite values. */
    private float[] weight(String key, int... shape) {
      NpyArray a = sd.get(key);
      if (a == null) {
        throw new IllegalArgumentException("state dict: missing '" + key + "' (architecture " + arch.name() + ")");
      }
      if (!Arrays.equals(a.shape(), shape)) {
        throw new IllegalArgumentException("state dict: '" + key + "' has shape " + Arrays.toString(a.shape())
            + ", expected " + Arrays.toString(shape) + " for architecture " + arch.name());
      }
      float[] v = a.toFloatArray();
      for (int i = 0; i < v.length; i++) {
        if (!Float.isFinite(v[i])) {
          throw new IllegalArgumentException("state dict: '" + key + "' holds " + v[i] + " at flat index " + i);
        }
      }
      return v;
    }

    private String param(String key, int... shape) {
      return g.initializer(Tensor.floats(key, dims(shape), weight(key, shape)));
    }

    /** A torch Linear weight {@code [out, in]} stored transposed as {@code [in, out]} for MatMul. */
    private String linearWeight(String key, int outDim, int inDim, int scaledColumns, float scale) {
      float[] w = weight(key, outDim, inDim);
      float[] t = new float[w.length];
      for (int o = 0; o < outDim; o++) {
        float s = o < scaledColumns ? scale : 1f;
        for (int i = 0; i < inDim; i++) {
          t[i * outDim + o] = w[o * inDim + i] * s;
        }
      }
      return g.initializer(Tensor.floats(key + ".T", dims(inDim, outDim), t));
    }

    private String linearBias(String key, int outDim, int scaledColumns, float scale) {
      float[] b = weight(key, outDim);
      for (int o = 0; o < scaledColumns; o++) {
        b[o] *= scale;
      }
      return g.initializer(Tensor.floats(scaledColumns > 0 ? key + ".scaled" : key, dims(outDim), b));
    }

    private String linear(String name, String x, String key, int outDim, int inDim) {
      String mm = g.op(name + "/matmul", "MatMul", x, linearWeight(key + ".weight", outDim, inDim, 0, 1f));
      return g.op(name, "Add", mm, linearBias(key + ".bias", outDim, 0, 1f));
    }

    private String layerNorm(String name, String x, String key) {
      return g.op(name, "LayerNormalization",
          List.of(Attribute.of("axis", -1L), Attribute.of("epsilon", (float) arch.layerNormEps())),
          x, param(key + ".weight", d), param(key + ".bias", d));
    }

    Onnx.Graph build() {
      int p = arch.patchSize();
      String x = g.input(ValueInfo.tensor(EncoderContract.INPUT, DataType.FLOAT, "batch", 3, "height", "width"));

      // Patch embedding: Conv with kernel = stride = patch, then [B, D, h, w] -> [B, h*w, D].
      String conv = g.op("patch_embed/proj", "Conv",
          List.of(ints("kernel_shape", p, p), ints("strides", p, p)),
          x, param("patch_embed.proj.weight", d, 3, p, p), param("patch_embed.proj.bias", d));
      String convShape = g.op("patch_embed/shape", "Shape", conv);
      Attribute axis0 = Attribute.of("axis", 0L);
      String batch = g.op("patch_embed/batch", "Gather", List.of(axis0), convShape, g.ints("const/index_0", 0));
      String gridHw = g.op("patch_embed/grid_hw", "Gather", List.of(axis0), convShape, g.ints("const/index_2_3", 2, 3));
      String flat = g.op("patch_embed/flatten", "Reshape", conv, g.ints("const/shape_0_d_m1", 0, d, -1));
      String tokens = g.op("patch_embed/tokens", "Transpose", List.of(ints("perm", 0, 2, 1)), flat);

      String clsShape = g.op("cls/shape", "Concat", List.of(axis0), batch, g.ints("const/one_one", 1, 1));
      String cls = g.op("cls/expand", "Expand", param("cls_token", 1, 1, d), clsShape);
      String seq = g.op("tokens", "Concat", List.of(Attribute.of("axis", 1L)), cls, tokens);
      String h = g.op("pos_embed/add", "Add", seq, positionEmbedding(x, gridHw));

      for (int i = 0; i < arch.depth(); i++) {
        h = block(i, h, i == arch.depth() - 1);
      }
      String out = g.op(EncoderContract.OUTPUT, "LayerNormalization",
          List.of(Attribute.of("axis", -1L), Attribute.of("epsilon", (float) arch.layerNormEps())),
          h, param("norm.weight", d), param("norm.bias", d));
      g.output(ValueInfo.tensor(EncoderContract.OUTPUT, DataType.FLOAT, "batch", "tokens", d));

      String patches = g.op("patch_features/slice", "Slice", out, g.ints("const/start_1", 1),
          g.ints("const/end_max", Long.MAX_VALUE), g.ints("const/axis_1", 1));
      String gridShape = g.op("patch_features/shape", "Concat", List.of(axis0), batch, gridHw, g.ints("const/d", d));
      g.op(EncoderContract.PATCH_OUTPUT, "Reshape", patches, gridShape);
      g.output(ValueInfo.tensor(EncoderContract.PATCH_OUTPUT, DataType.FLOAT, "batch", "grid_height", "grid_width", d));
      g.output(ValueInfo.tensor(EncoderContract.ATTENTION_OUTPUT, DataType.FLOAT, "batch", arch.numHeads(), "tokens", "tokens"));
      return g.build();
    }

    /**
     * The position embedding for the input's patch grid, {@code [1, 1 + h*w, D]}.
     *
     * <p>As the reference: the trained grid unchanged when the input has exactly {@code g*g} patches
     * and its pixel height equals its width; otherwise the {@code g x g} grid resized bicubically
     * (a = -0.75, half-pixel centres, borders clamped) with the scale factors
     * {@code ((h + 0.1) / g, (w + 0.1) / g)} themselves driving the coordinate mapping
     * ({@code src = (dst + 0.5) / scale - 0.5}), which differs from resizing to the size {@code h x w}.
     * ONNX Resize with explicit {@code scales} and {@code half_pixel} computes exactly that; the fast
     * path needs an If because even a 14x14 target is not the identity at scale 14.1/14.
     */
    private String positionEmbedding(String pixels, String gridHw) {
      int grid = arch.posGridSize();
      int n = grid * grid;
      float[] pos = weight("pos_embed", 1, 1 + n, d);
      String posCls = g.initializer(Tensor.floats("pos_embed.cls", dims(1, 1, d), Arrays.copyOfRange(pos, 0, d)));
      String posPatch = g.initializer(Tensor.floats("pos_embed.patches", dims(1, n, d), Arrays.copyOfRange(pos, d, (1 + n) * d)));
      // [1, N, D] token-major -> [1, D, g, g] channel-major for Resize.
      float[] nchw = new float[n * d];
      for (int t = 0; t < n; t++) {
        for (int c = 0; c < d; c++) {
          nchw[c * n + t] = pos[(1 + t) * d + c];
        }
      }
      String posGrid = g.initializer(Tensor.floats("pos_embed.grid", dims(1, d, grid, grid), nchw));

      Attribute axis0 = Attribute.of("axis", 0L);
      String shape = g.op("pos_embed/input_shape", "Shape", pixels);
      String height = g.op("pos_embed/height", "Gather", List.of(axis0), shape, constScalar(2));
      String width = g.op("pos_embed/width", "Gather", List.of(axis0), shape, constScalar(3));
      String npatch = g.op("pos_embed/npatch", "ReduceProd", List.of(Attribute.of("keepdims", 0L)), gridHw);
      String sameCount = g.op("pos_embed/npatch_eq", "Equal", npatch, g.scalar("const/trained_npatch", (long) n));
      String square = g.op("pos_embed/square", "Equal", height, width);
      String trained = g.op("pos_embed/is_trained_grid", "And", sameCount, square);

      GraphBuilder same = new GraphBuilder("pos_embed_trained_grid");
      same.op("pos_embed/trained", "Identity", same.outerScope(posPatch));
      same.output(ValueInfo.anyShape("pos_embed/trained", DataType.FLOAT));

      GraphBuilder resize = new GraphBuilder("pos_embed_resized");
      resize.outerScope(gridHw);
      resize.outerScope(posGrid);
      // Scales in float64 then rounded once to float32, as PyTorch derives them in double precision.
      String grid64 = resize.op("pos_embed/resize/grid_f64", "Cast", List.of(Attribute.of("to", (long) DataType.DOUBLE.code())), gridHw);
      String plus = resize.op("pos_embed/resize/grid_plus", "Add", grid64, resize.scalar("pos_embed/resize/tenth", 0.1d));
      String scale64 = resize.op("pos_embed/resize/scale_f64", "Div", plus, resize.scalar("pos_embed/resize/trained_grid", (double) grid));
      String scale = resize.op("pos_embed/resize/scale", "Cast", List.of(Attribute.of("to", (long) DataType.FLOAT.code())), scale64);
      String scales = resize.op("pos_embed/resize/scales", "Concat", List.of(axis0),
          resize.initializer(Tensor.floats("pos_embed/resize/unit", dims(2), 1f, 1f)), scale);
      String resized = resize.op("pos_embed/resize", "Resize", List.of(
          Attribute.of("mode", "cubic"),
          Attribute.of("cubic_coeff_a", -0.75f),
          Attribute.of("coordinate_transformation_mode", "half_pixel"),
          Attribute.of("exclude_outside", 0L)), posGrid, "", scales);
      String flat = resize.op("pos_embed/resize/flatten", "Reshape", resized,
          resize.ints("pos_embed/resize/shape", 1, d, -1));
      String tokens = resize.op("pos_embed/resized", "Transpose", List.of(ints("perm", 0, 2, 1)), flat);
      resize.output(ValueInfo.anyShape(tokens, DataType.FLOAT));

      String patchPos = g.op("pos_embed/patches", "If",
          List.of(Attribute.of("then_branch", same.build()), Attribute.of("else_branch", resize.build())), trained);
      return g.op("pos_embed", "Concat", List.of(Attribute.of("axis", 1L)), posCls, patchPos);
    }

    /**
     * Transformer block {@code i}; the last one names its attention probabilities
     * {@link EncoderContract#ATTENTION_OUTPUT} so that they can be a graph output.
     */
    private String block(int i, String x, boolean last) {
      String k = "blocks." + i;
      String n = k + "/";
      int heads = arch.numHeads();
      int dh = d / heads;
      // The attention scale is folded into the q columns of qkv: exact for the official head width
      // 64 (scale 1/8), and it saves a pass over the [B, heads, T, dh] queries.
      float scale = (float) (1.0 / Math.sqrt(dh));

      String y = layerNorm(n + "norm1", x, k + ".norm1");
      String qkv = g.op(n + "attn/qkv", "Add",
          g.op(n + "attn/qkv/matmul", "MatMul", y, linearWeight(k + ".attn.qkv.weight", 3 * d, d, d, scale)),
          linearBias(k + ".attn.qkv.bias", 3 * d, d, scale));
      String split = g.op(n + "attn/qkv/heads", "Reshape", qkv, headsShape(heads, dh));
      String perm = g.op(n + "attn/qkv/permute", "Transpose", List.of(ints("perm", 2, 0, 3, 1, 4)), split);
      Attribute axis0 = Attribute.of("axis", 0L);
      String q = g.op(n + "attn/q", "Gather", List.of(axis0), perm, constScalar(0));
      String kk = g.op(n + "attn/k", "Gather", List.of(axis0), perm, constScalar(1));
      String v = g.op(n + "attn/v", "Gather", List.of(axis0), perm, constScalar(2));
      String kt = g.op(n + "attn/k_t", "Transpose", List.of(ints("perm", 0, 1, 3, 2)), kk);
      String scores = g.op(n + "attn/scores", "MatMul", q, kt);
      String probs = g.op(last ? EncoderContract.ATTENTION_OUTPUT : n + "attn/softmax", "Softmax", List.of(Attribute.of("axis", -1L)), scores);
      String ctx = g.op(n + "attn/context", "MatMul", probs, v);
      String merged = g.op(n + "attn/merge", "Reshape",
          g.op(n + "attn/context_t", "Transpose", List.of(ints("perm", 0, 2, 1, 3)), ctx), tokensShape());
      String attn = linear(n + "attn/proj", merged, k + ".attn.proj", d, d);
      x = g.op(n + "residual1", "Add", x, attn);

      y = layerNorm(n + "norm2", x, k + ".norm2");
      int hidden = arch.mlpHiddenDim();
      String f = linear(n + "mlp/fc1", y, k + ".mlp.fc1", hidden, d);
      String erf = g.op(n + "mlp/gelu/erf", "Erf", g.op(n + "mlp/gelu/div", "Div", f, constFloat("const/sqrt2", (float) Math.sqrt(2))));
      String gelu = g.op(n + "mlp/gelu", "Mul",
          g.op(n + "mlp/gelu/mul", "Mul", f, g.op(n + "mlp/gelu/add", "Add", erf, constFloat("const/one", 1f))),
          constFloat("const/half", 0.5f));
      String f2 = linear(n + "mlp/fc2", gelu, k + ".mlp.fc2", d, hidden);
      return g.op(n + "residual2", "Add", x, f2);
    }

    private final Map<String, String> constants = new LinkedHashMap<>();

    private String constFloat(String name, float v) {
      return constants.computeIfAbsent(name, key -> g.scalar(key, v));
    }

    private String constScalar(long v) {
      return constants.computeIfAbsent("const/scalar_" + v, key -> g.scalar(key, v));
    }

    private String headsShape(int heads, int dh) {
      return constants.computeIfAbsent("const/shape_qkv_heads", key -> g.ints(key, 0, 0, 3, heads, dh));
    }

    private String tokensShape() {
      return constants.computeIfAbsent("const/shape_0_0_d", key -> g.ints(key, 0, 0, d));
    }

    private static long[] dims(int... shape) {
      long[] out = new long[shape.length];
      for (int i = 0; i < shape.length; i++) {
        out[i] = shape[i];
      }
      return out;
    }
  }
}
