package org.cropmae.trainer.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.io.NpyDType;

/**
 * The CropMAE pre-training model (the official {@code SiameseMAE}) on DJL's PyTorch engine, written
 * as a functional forward pass over parameters named exactly as the official {@code state_dict()}.
 *
 * <p>A forward pass takes pairs of views {@code [B, 2, 3, S, S]}: view 0 is encoded whole (the
 * global view), view 1 (the local view) keeps {@link CropMaeConfig#numVisiblePatches()} random
 * patches. The decoder reconstructs every patch of view 1 from its visible tokens and mask tokens
 * while attending to view 0, and the loss is the pixel MSE on the removed patches.
 *
 * <p>Gradients: run {@link #forward} inside a DJL {@code GradientCollector} and call its
 * {@code backward(result.loss())}; PyTorch accumulates them into the trainable parameters (all but
 * the two fixed position embeddings). Not thread-safe.
 */
public final class CropMaeModel implements AutoCloseable {
  /** The DJL engine the model runs on. */
  public static final String ENGINE = "PyTorch";

  private final CropMaeConfig config;
  private final Device device;
  private final NDManager manager;
  private final List<StateDictLayout.Entry> layout;
  private final Map<String, NDArray> params;
  private final List<EncoderBlock> blocks = new ArrayList<>();
  private final List<DecoderBlock> decoderBlocks = new ArrayList<>();
  private final float eps;
  private boolean closed;

  private CropMaeModel(CropMaeConfig config, Device device) {
    this.config = config;
    this.device = device;
    this.manager = NDManager.newBaseManager(device, ENGINE);
    this.layout = StateDictLayout.of(config);
    this.eps = (float) config.layerNormEps();
    Map<String, NDArray> p = new LinkedHashMap<>();
    try {
      for (StateDictLayout.Entry e : layout) {
        NDArray a = initial(e);
        a.setName(e.name());
        if (e.trainable()) {
          a.setRequiresGradient(true);
        }
        p.put(e.name(), a);
      }
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
    this.params = Collections.unmodifiableMap(p);
    for (int i = 0; i < config.depth(); i++) {
      blocks.add(new EncoderBlock(params, "blocks." + i + ".", config.numHeads(), eps));
    }
    for (int i = 0; i < config.decoderDepth(); i++) {
      decoderBlocks.add(new DecoderBlock(
          params, "decoder_blocks." + i + ".", config.decoderNumHeads(), eps, (float) config.decoderDropout()));
    }
  }

  /**
   * A model with the official initialisation: fixed sin-cos position embeddings, Xavier-uniform
   * linear and patch-embedding weights, zero biases, unit LayerNorm scales, {@code N(0, 0.02²)} cls
   * and mask tokens. Random values come from the engine's generator; seed it with
   * {@code Engine.getEngine("PyTorch").setRandomSeed(seed)} for reproducible runs.
   *
   * @param device where parameters live and computation runs, e.g. from {@link ComputeDevice#resolve}
   */
  public static CropMaeModel create(CropMaeConfig config, Device device) {
    if (config == null || device == null) {
      throw new IllegalArgumentException("config and device must not be null");
    }
    return new CropMaeModel(config, device);
  }

  /** {@link #create} followed by {@link #loadStateDict}; the model is closed if the weights are rejected. */
  public static CropMaeModel fromStateDict(CropMaeConfig config, Map<String, NpyArray> stateDict, Device device) {
    CropMaeModel model = create(config, device);
    try {
      model.loadStateDict(stateDict);
      return model;
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * The loss of one forward pass in evaluation mode (no dropout) on the CPU, for inspecting a
   * checkpoint ({@code cropmae debug loss}).
   *
   * @param stateDict official parameter names to float tensors
   * @param views {@code [B, 2, 3, S, S]} float, ImageNet-normalised; view 0 unmasked, view 1 masked
   * @param noise {@code [B, L]} float masking noise (lowest values kept), or null to draw it
   * @throws IllegalArgumentException naming the argument or tensor that is inconsistent with
   *     {@code config} or holds NaN/infinity
   */
  public static double evalLoss(
      CropMaeConfig config, Map<String, NpyArray> stateDict, NpyArray views, NpyArray noise) {
    float[] viewValues = finiteFloats("views", views);
    float[] noiseValues = noise == null ? null : finiteFloats("noise", noise);
    try (CropMaeModel model = fromStateDict(config, stateDict, Device.cpu());
        NDManager step = model.manager.newSubManager()) {
      NDArray v = step.create(viewValues, shapeOf(views));
      NDArray n = noise == null ? null : step.create(noiseValues, shapeOf(noise));
      return model.forward(v, n, false).lossValue();
    }
  }

  /** The architecture and loss settings. */
  public CropMaeConfig config() {
    return config;
  }

  /** Where the parameters live. */
  public Device device() {
    return device;
  }

  /**
   * The live parameters by official name in {@code state_dict()} order (for the optimizer). Those
   * with {@code hasGradient()} are trained; {@code pos_embed} and {@code decoder_pos_embed} are fixed.
   */
  public Map<String, NDArray> parameters() {
    checkOpen();
    return params;
  }

  /**
   * Copies every parameter into a host-side state dict with the official keys, order and shapes.
   *
   * @return {@code name -> float32 tensor}, insertion-ordered
   */
  public Map<String, NpyArray> stateDict() {
    checkOpen();
    Map<String, NpyArray> out = new LinkedHashMap<>();
    for (StateDictLayout.Entry e : layout) {
      out.put(e.name(), NpyArray.ofFloat32(e.shape(), params.get(e.name()).toFloatArray()));
    }
    return out;
  }

  /**
   * Copies the accumulated gradients of the trainable parameters to the host (zeros for a
   * parameter that no backward pass has reached).
   *
   * @return {@code name -> float32 tensor} in {@code state_dict()} order, fixed parameters omitted
   */
  public Map<String, NpyArray> gradients() {
    checkOpen();
    Map<String, NpyArray> out = new LinkedHashMap<>();
    for (StateDictLayout.Entry e : layout) {
      if (e.trainable()) {
        try (NDArray g = params.get(e.name()).getGradient()) {
          out.put(e.name(), NpyArray.ofFloat32(e.shape(), g.toFloatArray()));
        }
      }
    }
    return out;
  }

  /**
   * Replaces every parameter with the tensors of an official state dict (strict, like PyTorch's
   * {@code load_state_dict}): all keys of {@link CropMaeConfig#stateDictShapes()} and nothing else,
   * same shapes, float32 or float64 values, all finite. Nothing is changed when a tensor is rejected.
   *
   * @throws IllegalArgumentException naming the first missing, unexpected, misshapen or non-finite tensor
   */
  public void loadStateDict(Map<String, NpyArray> stateDict) {
    checkOpen();
    if (stateDict == null) {
      throw new IllegalArgumentException("state dict must not be null");
    }
    for (String key : stateDict.keySet()) {
      if (!params.containsKey(key)) {
        throw new IllegalArgumentException("state dict: unexpected key '" + key + "' (not a parameter of "
            + describe() + ")");
      }
    }
    Map<String, float[]> values = new LinkedHashMap<>();
    for (StateDictLayout.Entry e : layout) {
      NpyArray a = stateDict.get(e.name());
      if (a == null) {
        throw new IllegalArgumentException("state dict: missing key '" + e.name() + "' for " + describe());
      }
      if (!Arrays.equals(a.shape(), e.shape())) {
        throw new IllegalArgumentException("state dict: '" + e.name() + "' has shape " + Arrays.toString(a.shape())
            + " but " + describe() + " expects " + Arrays.toString(e.shape()));
      }
      values.put(e.name(), finiteFloats("state dict '" + e.name() + "'", a));
    }
    for (Map.Entry<String, float[]> v : values.entrySet()) {
      params.get(v.getKey()).set(v.getValue());
    }
  }

  /**
   * One forward pass of the official {@code SiameseMAE.forward(imgs, mask_ratio)}.
   *
   * <p>Every intermediate and result array is attached to {@code views}' manager: create the views
   * in a per-step sub-manager and close it once the backward pass and optimizer step are done.
   *
   * @param views {@code [B, 2, 3, S, S]} float32, ImageNet-normalised; view 0 is encoded whole, view 1
   *     is masked and reconstructed. Moved to {@link #device()} if elsewhere.
   * @param noise {@code [B, L]} float32 masking noise: per sample, the patches with the
   *     {@link CropMaeConfig#numVisiblePatches()} smallest values (PyTorch {@code argsort} order) are
   *     kept. Null draws {@code U[0, 1)} noise from the engine's generator.
   * @param training true enables the decoder's dropout (the official {@code model.train()})
   * @throws IllegalArgumentException when {@code views} or {@code noise} has the wrong shape or type
   */
  public ForwardResult forward(NDArray views, NDArray noise, boolean training) {
    checkOpen();
    int s = config.imageSize();
    int numPatches = config.numPatches();
    if (views == null) {
      throw new IllegalArgumentException("views must not be null");
    }
    Shape vs = views.getShape();
    if (vs.dimension() != 5 || vs.get(1) != 2 || vs.get(2) != CropMaeConfig.IN_CHANNELS || vs.get(3) != s
        || vs.get(4) != s || vs.get(0) < 1) {
      throw new IllegalArgumentException("views: expected shape [B, 2, 3, " + s + ", " + s + "], got " + vs);
    }
    requireFloat32("views", views);
    long b = vs.get(0);
    NDManager m = views.getManager();
    views = views.toDevice(device, false);
    if (noise == null) {
      noise = m.randomUniform(0f, 1f, new Shape(b, numPatches)).toDevice(device, false);
    } else {
      if (!noise.getShape().equals(new Shape(b, numPatches))) {
        throw new IllegalArgumentException(
            "noise: expected shape [" + b + ", " + numPatches + "], got " + noise.getShape());
      }
      requireFloat32("noise", noise);
      noise = noise.toDevice(device, false);
    }

    NDArray globalView = views.get(":, 0");
    NDArray localView = views.get(":, 1");
    NDArray memory = encode(patchTokens(globalView));

    // random_masking: argsort the noise, keep the first numVisible of the shuffled order.
    int keep = config.numVisiblePatches();
    NDArray idsShuffle = noise.argSort(1);
    NDArray idsRestore = idsShuffle.argSort(1);
    NDArray idsKeep = idsShuffle.get(":, :{}", keep);
    NDArray tokens = patchTokens(localView);
    NDArray visible = tokens.gather(idsKeep.expandDims(2).broadcast(b, keep, config.embedDim()), 1);
    NDArray mask = idsRestore.gte(keep).toType(DataType.FLOAT32, false);

    NDArray pred = decode(memory, encode(visible), idsRestore, training);
    NDArray loss = loss(localView, pred, mask);
    return new ForwardResult(loss, pred, mask);
  }

  /**
   * Encoder features as the official evaluation model ({@code downstreams/propagation}) computes
   * them, for any input size: patch embedding, position embedding (the trained grid when the input
   * is square with exactly {@code L} patches, otherwise resized bicubically as the reference's
   * {@code interpolate_pos_encoding}: scale factors {@code (h + 0.1) / g} and {@code (w + 0.1) / g}
   * driving PyTorch's bicubic sampling, a = -0.75, half-pixel centres, clamped borders), cls token,
   * blocks and final norm. No masking, no decoder, no dropout.
   *
   * @param images {@code [B, 3, H, W]} float32, ImageNet-normalised; H and W multiples of the
   *     patch size. Moved to {@link #device()} if elsewhere; results attach to its manager.
   * @return {@code [B, 1 + (H/p)(W/p), D]}: cls token first, then patches row-major
   * @throws IllegalArgumentException when the shape or type does not fit
   */
  public NDArray encodeImages(NDArray images) {
    return encode(embedImages(images));
  }

  /**
   * The self-attention weights of the last encoder block on the tokens {@link #encodeImages} runs
   * (same embedding and position-embedding resizing), e.g. to draw where the cls token looks.
   *
   * @param images {@code [B, 3, H, W]} as for {@link #encodeImages}
   * @return {@code [B, heads, T, T]} with {@code T = 1 + (H/p)(W/p)}, tokens ordered cls first then
   *     patches row-major; softmax over the last axis (each row sums to 1): row 0 is the cls token's
   *     attention
   * @throws IllegalArgumentException when the shape or type does not fit
   */
  public NDArray lastBlockAttention(NDArray images) {
    NDArray x = withClsToken(embedImages(images));
    for (int i = 0; i < blocks.size() - 1; i++) {
      x = blocks.get(i).forward(x);
    }
    return blocks.get(blocks.size() - 1).attentionWeights(x);
  }

  /** Validated images to patch tokens with their (resized) position embedding: {@code [B, N, D]}. */
  private NDArray embedImages(NDArray images) {
    checkOpen();
    int p = config.patchSize();
    Shape s = images == null ? null : images.getShape();
    if (s == null || s.dimension() != 4 || s.get(1) != CropMaeConfig.IN_CHANNELS || s.get(2) % p != 0
        || s.get(3) % p != 0 || s.get(0) < 1 || s.get(2) < p || s.get(3) < p) {
      throw new IllegalArgumentException("images: expected shape [B, 3, H, W] with H and W positive multiples of "
          + p + ", got " + s);
    }
    requireFloat32("images", images);
    images = images.toDevice(device, false);
    NDManager m = images.getManager();
    long b = s.get(0);
    int h = (int) (s.get(2) / p);
    int w = (int) (s.get(3) / p);
    NDArray x = Conv2d.conv2d(images, params.get("patch_embed.proj.weight"), params.get("patch_embed.proj.bias"),
        new Shape(p, p)).singletonOrThrow();
    x = x.reshape(b, config.embedDim(), (long) h * w).transpose(0, 2, 1);
    NDArray pos = params.get("pos_embed").get(m, new NDIndex("0, 1:"));
    if (!(h * w == config.numPatches() && s.get(2) == s.get(3))) {
      int g = config.gridSize();
      float[] weights = PositionEmbeddingResize.matrix(g, h, w);
      pos = m.create(weights, new Shape((long) h * w, (long) g * g)).toDevice(device, false).matMul(pos);
    }
    return x.add(pos.expandDims(0));
  }

  /** Patch embedding plus the patches' position embedding: {@code [B, 3, S, S] -> [B, L, D]}. */
  private NDArray patchTokens(NDArray image) {
    int p = config.patchSize();
    long b = image.getShape().get(0);
    NDArray x = Conv2d.conv2d(image, params.get("patch_embed.proj.weight"), params.get("patch_embed.proj.bias"),
        new Shape(p, p)).singletonOrThrow();
    x = x.reshape(b, config.embedDim(), config.numPatches()).transpose(0, 2, 1);
    return x.add(params.get("pos_embed").get(image.getManager(), new NDIndex(":, 1:")));
  }

  /** Prepends the cls token, runs the blocks and the final norm: {@code [B, N, D] -> [B, 1+N, D]}. */
  private NDArray encode(NDArray tokens) {
    NDArray x = withClsToken(tokens);
    for (EncoderBlock blk : blocks) {
      x = blk.forward(x);
    }
    return Layers.layerNorm(x, params.get("norm.weight"), params.get("norm.bias"), eps);
  }

  /** Prepends the cls token (with its position embedding): {@code [B, N, D] -> [B, 1+N, D]}. */
  private NDArray withClsToken(NDArray tokens) {
    long b = tokens.getShape().get(0);
    NDArray cls = params.get("pos_embed").get(tokens.getManager(), new NDIndex(":, :1")).add(params.get("cls_token"))
        .broadcast(b, 1, config.embedDim());
    return NDArrays.concat(new NDList(cls, tokens), 1);
  }

  /**
   * @param memory encoded global view {@code [B, 1+L, D]}
   * @param latent encoded visible patches of the local view {@code [B, 1+keep, D]}
   * @param idsRestore {@code [B, L]} position of each patch in the shuffled order
   * @return predicted pixels {@code [B, L, p*p*3]}
   */
  private NDArray decode(NDArray memory, NDArray latent, NDArray idsRestore, boolean training) {
    NDManager m = latent.getManager();
    long b = latent.getShape().get(0);
    long dd = config.decoderEmbedDim();
    int numPatches = config.numPatches();
    NDArray embedW = params.get("decoder_embed.weight");
    NDArray embedB = params.get("decoder_embed.bias");
    NDArray mem = Layers.linear(memory, embedW, embedB);
    NDArray x = Layers.linear(latent, embedW, embedB);

    // Mask tokens after the visible tokens, then unshuffled to the patches' grid positions.
    long removed = numPatches + 1 - x.getShape().get(1);
    NDArray maskTokens = params.get("mask_token").get(m, new NDIndex(":")).broadcast(b, removed, dd);
    NDArray patches = NDArrays.concat(new NDList(x.get(":, 1:"), maskTokens), 1)
        .gather(idsRestore.expandDims(2).broadcast(b, numPatches, dd), 1);
    x = NDArrays.concat(new NDList(x.get(":, :1"), patches), 1).add(params.get("decoder_pos_embed"));

    for (DecoderBlock blk : decoderBlocks) {
      x = blk.forward(x, mem, training);
    }
    x = Layers.layerNorm(x, params.get("decoder_norm.weight"), params.get("decoder_norm.bias"), eps);
    x = Layers.linear(x, params.get("decoder_pred.weight"), params.get("decoder_pred.bias"));
    return x.get(":, 1:");
  }

  /**
   * {@code forward_loss}: MSE between the prediction and the patchified local view (normalised per
   * patch with the unbiased variance and eps 1e-6 when {@code normPixLoss}), averaged over each
   * patch's values, then over the removed patches.
   */
  private NDArray loss(NDArray image, NDArray pred, NDArray mask) {
    int p = config.patchSize();
    int g = config.gridSize();
    long b = image.getShape().get(0);
    int n = config.patchDim();
    NDArray target = image.reshape(b, CropMaeConfig.IN_CHANNELS, g, p, g, p).transpose(0, 2, 4, 3, 5, 1)
        .reshape(b, config.numPatches(), n);
    if (config.normPixLoss()) {
      NDArray centered = target.sub(target.mean(new int[] {2}, true));
      NDArray var = centered.square().sum(new int[] {2}, true).div(n - 1);
      target = centered.div(var.add(1e-6).sqrt());
    }
    NDArray perPatch = pred.sub(target).square().mean(new int[] {2});
    return perPatch.mul(mask).sum().div(mask.sum());
  }

  private NDArray initial(StateDictLayout.Entry e) {
    int[] shape = e.shape();
    Shape s = new Shape(Arrays.stream(shape).asLongStream().toArray());
    return switch (e.init()) {
      case ZEROS -> manager.zeros(s);
      case ONES -> manager.ones(s);
      case NORMAL_002 -> manager.randomNormal(0f, 0.02f, s, DataType.FLOAT32);
      case XAVIER_UNIFORM -> {
        long fanOut = shape[0];
        long fanIn = s.size() / fanOut;
        float bound = (float) Math.sqrt(6.0 / (fanIn + fanOut));
        yield manager.randomUniform(-bound, bound, s);
      }
      case SINCOS -> manager.create(
          SinCosPositionEmbedding.create(shape[2], config.gridSize(), true), s);
    };
  }

  private String describe() {
    return "CropMAE model (embed " + config.embedDim() + ", depth " + config.depth() + ", decoder embed "
        + config.decoderEmbedDim() + ", depth " + config.decoderDepth() + ", image " + config.imageSize()
        + ", patch " + config.patchSize() + ")";
  }

  private static void requireFloat32(String name, NDArray a) {
    if (a.getDataType() != DataType.FLOAT32) {
      throw new IllegalArgumentException(name + ": expected float32, got " + a.getDataType());
    }
  }

  private static Shape shapeOf(NpyArray a) {
    return new Shape(Arrays.stream(a.shape()).asLongStream().toArray());
  }

  private static float[] finiteFloats(String name, NpyArray a) {
    if (a == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    if (a.dtype() != NpyDType.FLOAT32 && a.dtype() != NpyDType.FLOAT64) {
      throw new IllegalArgumentException(name + ": expected float32 or float64, got " + a.dtype());
    }
    float[] v = a.toFloatArray();
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new IllegalArgumentException(name + ": element " + i + " is " + v[i] + " (NaN or infinity)");
      }
    }
    return v;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("CropMAE model is closed");
    }
  }

  /** Frees the parameters (and anything else attached to the model's manager). Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      manager.close();
    }
  }
}
