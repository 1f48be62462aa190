package org.cropmae.runtime.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.cropmae.runtime.EngineException;
import org.cropmae.runtime.MalformedModelException;
import org.cropmae.runtime.budget.BudgetExceededException;
import org.cropmae.runtime.budget.ComputeBudget;
import org.cropmae.runtime.tensor.FloatGrid;

/**
 * A CropMAE ViT encoder exported to ONNX (see {@link EncoderContract}), run with ONNX Runtime.
 *
 * <p>Images go in normalised with the model's mean/std ({@link EncoderInfo#mean()}) as float32
 * {@code [N, 3, H, W]}; features come out as one {@code [h, w, D]} grid per image plus the cls tokens.
 * {@link #lastAttention} returns the last block's attention probabilities when the model has that
 * (optional) output. {@link #encode} may be called from several threads at once (ONNX Runtime sessions are
 * thread-safe). Close the encoder to free the native session.
 */
public final class OnnxEncoder implements AutoCloseable {
  // java.util.logging rather than System.Logger: Android has no System.getLogger (NoSuchMethodError
  // when this class loads), while JUL exists there and reaches logcat.
  private static final Logger LOG = Logger.getLogger(OnnxEncoder.class.getName());

  private final OrtEnvironment env;
  private final OrtSession session;
  private final OrtSession.SessionOptions sessionOptions;
  private final EncoderInfo info;
  private final ComputeBudget budget;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Runs hold it shared; {@link #close()} takes it exclusively, so it waits for the runs in flight. */
  private final java.util.concurrent.locks.ReentrantReadWriteLock sessionLock =
      new java.util.concurrent.locks.ReentrantReadWriteLock();

  private OnnxEncoder(OrtEnvironment env, OrtSession session, OrtSession.SessionOptions options, EncoderInfo info,
      ComputeBudget budget) {
    this.budget = budget;
    this.env = env;
    this.session = session;
    this.sessionOptions = options;
    this.info = info;
  }

  /**
   * Opens an encoder model.
   *
   * <p>With {@link EncoderOptions.ExecutionProvider#AUTO} the session runs on CUDA when this ONNX
   * Runtime build offers it and it initialises, otherwise on the CPU; one INFO line on the
   * {@code java.util.logging} logger of this class says which. CUDA, NNAPI and XNNPACK are
   * required when named: they fail rather than fall back.
   *
   * @throws IOException naming {@code model} when the file is missing, is not an ONNX model, is not
   *     a CropMAE encoder (wrong inputs, outputs or metadata), or the execution provider asked for
   *     is not offered by this ONNX Runtime build or fails to start
   */
  public static OnnxEncoder open(Path model, EncoderOptions options) throws IOException {
    if (!Files.isRegularFile(model)) {
      throw new IOException(model + ": no such file");
    }
    return open(model, null, options);
  }

  /**
   * Opens an encoder model held in memory (for example one exported from a checkpoint without
   * touching the disk, or an Android asset); otherwise as {@link #open(Path, EncoderOptions)}.
   *
   * @param onnx the serialised ONNX model
   * @param source what error messages and {@link EncoderInfo#model()} name the model by (for example
   *     the checkpoint it was converted from); it is not read
   */
  public static OnnxEncoder open(byte[] onnx, Path source, EncoderOptions options) throws IOException {
    java.util.Objects.requireNonNull(onnx, "onnx");
    java.util.Objects.requireNonNull(source, "source");
    return open(source, onnx, options);
  }

  private static OnnxEncoder open(Path model, byte[] bytes, EncoderOptions options) throws IOException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    EnumSet<OrtProvider> available = OrtEnvironment.getAvailableProviders();
    EncoderOptions.ExecutionProvider requested = options.executionProvider();
    EncoderOptions.ExecutionProvider chosen = requested == EncoderOptions.ExecutionProvider.AUTO
        ? EncoderOptions.ExecutionProvider.CUDA : requested;
    String fallbackReason = null;
    OrtProvider needed = ortProvider(chosen);
    if (needed != null && !available.contains(needed)) {
      if (requested != EncoderOptions.ExecutionProvider.AUTO) {
        throw new IOException(model + ": execution provider " + chosen + " requested but this ONNX Runtime offers only "
            + available + " (" + artifactHint(chosen) + ")");
      }
      chosen = EncoderOptions.ExecutionProvider.CPU;
      fallbackReason = "CUDA not offered by this ONNX Runtime build";
    }
    if (chosen != EncoderOptions.ExecutionProvider.CPU) {
      try {
        return create(env, model, bytes, options, chosen, null);
      } catch (OrtException e) {
        if (requested != EncoderOptions.ExecutionProvider.AUTO) {
          throw new IOException(model + ": " + chosen + " execution provider failed to start: " + OnnxErrors.firstLine(e.getMessage()), e);
        }
        fallbackReason = "CUDA failed to start: " + OnnxErrors.firstLine(e.getMessage());
      }
    }
    try {
      return create(env, model, bytes, options, EncoderOptions.ExecutionProvider.CPU, fallbackReason);
    } catch (OrtException e) {
      throw new MalformedModelException(model + ": not a loadable ONNX model (" + OnnxErrors.firstLine(e.getMessage()) + ")", e);
    }
  }

  /** The ONNX Runtime provider behind {@code provider}, or {@code null} for the CPU (always present). */
  private static OrtProvider ortProvider(EncoderOptions.ExecutionProvider provider) {
    return switch (provider) {
      case AUTO, CUDA -> OrtProvider.CUDA;
      case NNAPI -> OrtProvider.NNAPI;
      case XNNPACK -> OrtProvider.XNNPACK;
      case CPU -> null;
    };
  }

  private static String artifactHint(EncoderOptions.ExecutionProvider provider) {
    return switch (provider) {
      case NNAPI -> "NNAPI needs the onnxruntime-android artifact on Android 8.1 or later";
      case XNNPACK -> "XNNPACK needs the onnxruntime-android artifact";
      default -> "use the onnxruntime_gpu artifact";
    };
  }

  private static OnnxEncoder create(OrtEnvironment env, Path model, byte[] bytes, EncoderOptions options,
      EncoderOptions.ExecutionProvider provider, String fallbackReason) throws OrtException, IOException {
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    OrtSession session = null;
    try {
      if (provider == EncoderOptions.ExecutionProvider.XNNPACK) {
        // XNNPACK brings its own pool: ONNX Runtime's would only compete with it for the cores.
        int threads = options.intraOpThreads() > 0 ? options.intraOpThreads() : Runtime.getRuntime().availableProcessors();
        so.addConfigEntry("session.intra_op.allow_spinning", "0");
        so.setIntraOpNumThreads(1);
        so.addXnnpack(Map.of("intra_op_num_threads", Integer.toString(threads)));
      } else if (options.intraOpThreads() > 0) {
        so.setIntraOpNumThreads(options.intraOpThreads());
      }
      if (options.interOpThreads() > 0) {
        so.setInterOpNumThreads(options.interOpThreads());
      }
      so.setOptimizationLevel(switch (options.optimizationLevel()) {
        case DISABLED -> OrtSession.SessionOptions.OptLevel.NO_OPT;
        case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
        case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
        case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
      });
      if (provider == EncoderOptions.ExecutionProvider.CUDA) {
        so.addCUDA(options.cudaDeviceId());
      } else if (provider == EncoderOptions.ExecutionProvider.NNAPI) {
        so.addNnapi();
      }
      session = bytes != null ? env.createSession(bytes, so) : env.createSession(model.toString(), so);
      String name = provider.name();
      EncoderInfo info = validate(model, session, name);
      LOG.info("Encoder " + model.getFileName() + " (" + info.architecture()
          + "): ONNX Runtime " + env.getVersion() + " on "
          + (provider == EncoderOptions.ExecutionProvider.CUDA ? "CUDA device " + options.cudaDeviceId() : name)
          + (fallbackReason == null ? "" : " (" + fallbackReason + ")"));
      OnnxEncoder encoder = new OnnxEncoder(env, session, so, info, options.budget());
      session = null;
      so = null;
      return encoder;
    } finally {
      if (session != null) {
        session.close();
      }
      if (so != null) {
        so.close();
      }
    }
  }

  /** Checks the session against {@link EncoderContract} and reads the metadata. */
  private static EncoderInfo validate(Path model, OrtSession session, String provider)
      throws OrtException, IOException {
    String notEncoder = model + ": not a CropMAE encoder (expected ";
    Map<String, NodeInfo> inputs = session.getInputInfo();
    NodeInfo input = inputs.get(EncoderContract.INPUT);
    if (inputs.size() != 1 || !isFloatTensor(input, 4) || shapeOf(input)[1] != 3) {
      throw new MalformedModelException(notEncoder + "input '" + EncoderContract.INPUT + "' [N,3,H,W], found "
          + describe(inputs.values()) + ")");
    }
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    NodeInfo output = outputs.get(EncoderContract.OUTPUT);
    if (!isFloatTensor(output, 3)) {
      throw new MalformedModelException(notEncoder + "output '" + EncoderContract.OUTPUT + "' [N,1+h*w,D], found "
          + describe(outputs.values()) + ")");
    }
    NodeInfo attention = outputs.get(EncoderContract.ATTENTION_OUTPUT);
    if (attention != null && !isFloatTensor(attention, 4)) {
      throw new MalformedModelException(notEncoder + "optional output '" + EncoderContract.ATTENTION_OUTPUT
          + "' to be float [N,heads,T,T], found " + describe(List.of(attention)) + ")");
    }
    Map<String, String> meta = session.getMetadata().getCustomMetadata();
    for (String key : EncoderContract.REQUIRED_METADATA) {
      if (!meta.containsKey(key)) {
        throw new MalformedModelException(notEncoder + "metadata key '" + key + "', found keys " + new TreeSet<>(meta.keySet()) + ")");
      }
    }
    int patch = positiveInt(model, meta, EncoderContract.PATCH_SIZE);
    int dim = positiveInt(model, meta, EncoderContract.EMBED_DIM);
    int depth = positiveInt(model, meta, EncoderContract.DEPTH);
    int heads = positiveInt(model, meta, EncoderContract.NUM_HEADS);
    long declaredDim = shapeOf(output)[2];
    if (declaredDim >= 0 && declaredDim != dim) {
      throw new MalformedModelException(model + ": output '" + EncoderContract.OUTPUT + "' has width " + declaredDim
          + " but metadata " + EncoderContract.EMBED_DIM + " says " + dim);
    }
    long declaredHeads = attention == null ? -1 : shapeOf(attention)[1];
    if (declaredHeads >= 0 && declaredHeads != heads) {
      throw new MalformedModelException(model + ": output '" + EncoderContract.ATTENTION_OUTPUT + "' has " + declaredHeads
          + " heads but metadata " + EncoderContract.NUM_HEADS + " says " + heads);
    }
    return new EncoderInfo(model, meta.get(EncoderContract.ARCHITECTURE), patch, dim, depth, heads,
        triple(model, meta, EncoderContract.MEAN), triple(model, meta, EncoderContract.STD), meta, provider,
        attention != null);
  }

  private static boolean isFloatTensor(NodeInfo node, int rank) {
    return node != null && node.getInfo() instanceof TensorInfo t && t.type == OnnxJavaType.FLOAT
        && t.getShape().length == rank;
  }

  private static long[] shapeOf(NodeInfo node) {
    return ((TensorInfo) node.getInfo()).getShape();
  }

  private static String describe(java.util.Collection<NodeInfo> nodes) {
    if (nodes.isEmpty()) {
      return "none";
    }
    return nodes.stream().map(n -> {
      ValueInfo v = n.getInfo();
      if (v instanceof TensorInfo t) {
        String[] names = t.getDimensionNames();
        long[] shape = t.getShape();
        StringBuilder sb = new StringBuilder("'" + n.getName() + "' " + t.type.toString().toLowerCase() + " [");
        for (int i = 0; i < shape.length; i++) {
          sb.append(i > 0 ? "," : "");
          sb.append(shape[i] >= 0 ? Long.toString(shape[i])
              : names != null && i < names.length && !names[i].isEmpty() ? names[i] : "?");
        }
        return sb.append(']').toString();
      }
      return "'" + n.getName() + "' " + v;
    }).collect(Collectors.joining(", "));
  }

  private static int positiveInt(Path model, Map<String, String> meta, String key) throws IOException {
    String v = meta.get(key).strip();
    try {
      int n = Integer.parseInt(v);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IOException(model + ": metadata " + key + " must be a positive integer, found '" + v + "'");
  }

  private static float[] triple(Path model, Map<String, String> meta, String key) throws IOException {
    String[] parts = meta.get(key).split(",");
    float[] out = new float[parts.length];
    try {
      for (int i = 0; i < parts.length; i++) {
        out[i] = Float.parseFloat(parts[i].strip());
      }
    } catch (NumberFormatException e) {
      out = new float[0];
    }
    if (out.length != 3) {
      throw new IOException(model + ": metadata " + key + " must be 3 comma-separated numbers, found '" + meta.get(key) + "'");
    }
    return out;
  }

  /** The model's declared architecture, normalisation and the execution provider in use. */
  public EncoderInfo info() {
    return info;
  }

  /**
   * Encodes a batch of images.
   *
   * @param chw {@code n} normalised images, float32 {@code [n, 3, height, width]} row-major
   * @param n number of images, at least 1
   * @param height image height in pixels, a positive multiple of the patch size
   * @param width image width in pixels, a positive multiple of the patch size
   * @return per image the patch features {@code [height/patch, width/patch, D]} and the cls token
   * @throws IllegalArgumentException naming the argument when the sizes disagree, a side is not a
   *     multiple of the patch size, or a value is NaN or infinite
   * @throws BudgetExceededException when the batch needs more tokens or attention memory than
   *     {@link #budget()} allows (checked before ONNX Runtime allocates)
   * @throws EngineException when ONNX Runtime fails to run the model
   */
  public EncoderOutput encode(float[] chw, int n, int height, int width) {
    checkInput(chw, n, height, width);
    int patch = info.patchSize();
    int gh = height / patch;
    int gw = width / patch;
    int d = info.embedDim();
    int tokens = 1 + gh * gw;
    List<FloatGrid> grids = new ArrayList<>(n);
    float[] cls = new float[n * d];
    java.util.concurrent.locks.Lock running = acquireSession();
    try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(chw), new long[] {n, 3, height, width});
        OrtSession.Result result = session.run(Map.of(EncoderContract.INPUT, in), Set.of(EncoderContract.OUTPUT))) {
      FloatBuffer buf = output(result, EncoderContract.OUTPUT, new long[] {n, tokens, d});
      // Token 0 is the cls token; tokens 1.. are the grid in row-major order, i.e. already [h, w, D].
      for (int i = 0; i < n; i++) {
        buf.get(cls, i * d, d);
        float[] patches = new float[gh * gw * d];
        buf.get(patches);
        grids.add(new FloatGrid(gh, gw, d, patches));
      }
    } catch (OrtException e) {
      throw new EngineException(info.source() + ": ONNX Runtime failed on a " + n + "x3x" + height + "x" + width
          + " batch: " + OnnxErrors.firstLine(e.getMessage()), e);
    } finally {
      running.unlock();
    }
    return new EncoderOutput(grids, cls, d);
  }

  /**
   * The last transformer block's attention probabilities for a batch of images: only the
   * {@link EncoderContract#ATTENTION_OUTPUT} output is fetched (no features are copied out).
   *
   * <p>The result holds {@code n * heads * T * T} floats with {@code T = 1 + (height/patch) *
   * (width/patch)}: about 65 MB per image for ViT-S/16 at 480x880, so keep batches small.
   *
   * @param chw {@code n} normalised images, float32 {@code [n, 3, height, width]} row-major (as {@link #encode})
   * @param n number of images, at least 1
   * @param height image height in pixels, a positive multiple of the patch size
   * @param width image width in pixels, a positive multiple of the patch size
   * @return the probabilities {@code [n, heads, T, T]}
   * @throws IllegalArgumentException as {@link #encode}, or when the result would exceed a Java array
   * @throws IllegalStateException naming the model file when it has no attention output (exported
   *     before it existed: re-export it from its checkpoint), or when ONNX Runtime fails
   */
  public AttentionMaps lastAttention(float[] chw, int n, int height, int width) {
    if (!info.hasLastAttention()) {
      throw new IllegalStateException(info.source() + ": this encoder has no '" + EncoderContract.ATTENTION_OUTPUT
          + "' output (exported before attention maps existed); re-export it with cropmae export");
    }
    checkInput(chw, n, height, width);
    int patch = info.patchSize();
    int gh = height / patch;
    int gw = width / patch;
    int heads = info.numHeads();
    long tokens = 1L + (long) gh * gw;
    long size = (long) n * heads * tokens * tokens;
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("attention of " + n + " images at " + height + "x" + width + " holds " + size
          + " values, more than a Java array; use fewer images or a smaller size (" + info.source().getFileName() + ")");
    }
    float[] values = new float[(int) size];
    java.util.concurrent.locks.Lock running = acquireSession();
    try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(chw), new long[] {n, 3, height, width});
        OrtSession.Result result = session.run(Map.of(EncoderContract.INPUT, in), Set.of(EncoderContract.ATTENTION_OUTPUT))) {
      output(result, EncoderContract.ATTENTION_OUTPUT, new long[] {n, heads, tokens, tokens}).get(values);
    } catch (OrtException e) {
      throw new EngineException(info.source() + ": ONNX Runtime failed on a " + n + "x3x" + height + "x" + width
          + " batch: " + OnnxErrors.firstLine(e.getMessage()), e);
    } finally {
      running.unlock();
    }
    return new AttentionMaps(n, heads, gh, gw, values);
  }

  /** The float buffer of output {@code name}, checked to have {@code expected} shape. */
  private FloatBuffer output(OrtSession.Result result, String name, long[] expected) {
    Optional<OnnxValue> value = result.get(name);
    OnnxTensor out = (OnnxTensor) value.orElseThrow();
    long[] shape = out.getInfo().getShape();
    if (!Arrays.equals(shape, expected)) {
      throw new IllegalStateException(info.source() + ": output " + name + " has shape "
          + Arrays.toString(shape) + ", expected " + Arrays.toString(expected));
    }
    return out.getFloatBuffer();
  }

  /** The budget this encoder enforces ({@link EncoderOptions#budget()}). */
  public ComputeBudget budget() {
    return budget;
  }

  /**
   * Checks that encoding {@code n} images of {@code height x width} pixels stays within
   * {@link #budget()}, from the sizes alone: call it before decoding or resizing large inputs.
   * {@link #encode} and {@link #lastAttention} check it themselves.
   *
   * @param what the input, as an error message should name it (e.g. "field size", "frame 3")
   * @throws BudgetExceededException naming {@code what}, the tokens or bytes asked and the limit
   */
  public void checkBudget(String what, long n, long height, long width) {
    budget.checkEncode(what, n, height, width, info.patchSize(), info.numHeads());
  }

  /** The argument checks of {@link #encode} and {@link #lastAttention}. */
  private void checkInput(float[] chw, int n, int height, int width) {
    if (closed.get()) {
      throw new IllegalStateException("encoder " + info.source() + " is closed");
    }
    int patch = info.patchSize();
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, got " + n);
    }
    if (height <= 0 || height % patch != 0) {
      throw new IllegalArgumentException("height " + height + " is not a positive multiple of the patch size " + patch
          + " (" + info.source().getFileName() + ")");
    }
    if (width <= 0 || width % patch != 0) {
      throw new IllegalArgumentException("width " + width + " is not a positive multiple of the patch size " + patch
          + " (" + info.source().getFileName() + ")");
    }
    long expected = (long) n * 3 * height * width;
    if (chw == null || chw.length != expected) {
      throw new IllegalArgumentException("chw holds " + (chw == null ? "null" : chw.length + " values")
          + ", expected n*3*height*width = " + expected);
    }
    checkBudget(info.source().getFileName() + ": batch", n, height, width);
    for (int i = 0; i < chw.length; i++) {
      if (!Float.isFinite(chw[i])) {
        throw new IllegalArgumentException("chw[" + i + "] is " + chw[i] + " (image " + i / (3 * height * width) + ")");
      }
    }
  }

  /**
   * Encodes images given as normalised {@code [H, W, 3]} grids, all of the same size.
   *
   * @throws IllegalArgumentException when {@code images} is empty, a grid has other than 3 channels or
   *     the sizes differ (plus the checks of {@link #encode(float[], int, int, int)})
   */
  public EncoderOutput encode(List<FloatGrid> images) {
    if (images.isEmpty()) {
      throw new IllegalArgumentException("images is empty");
    }
    FloatGrid first = images.get(0);
    int h = first.height();
    int w = first.width();
    checkBudget(info.source().getFileName() + ": images", images.size(), h, w);
    int plane = h * w;
    float[] chw = new float[images.size() * 3 * plane];
    for (int i = 0; i < images.size(); i++) {
      FloatGrid g = images.get(i);
      if (g.channels() != 3 || g.height() != h || g.width() != w) {
        throw new IllegalArgumentException("images[" + i + "] is " + g.height() + "x" + g.width() + "x" + g.channels()
            + ", expected " + h + "x" + w + "x3 like images[0]");
      }
      float[] v = g.values();
      int base = i * 3 * plane;
      for (int p = 0; p < plane; p++) {
        chw[base + p] = v[3 * p];
        chw[base + plane + p] = v[3 * p + 1];
        chw[base + 2 * plane + p] = v[3 * p + 2];
      }
    }
    return encode(chw, images.size(), h, w);
  }

  /** The session for one run, shared with other runs; the caller unlocks the returned lock. */
  private java.util.concurrent.locks.Lock acquireSession() {
    java.util.concurrent.locks.Lock lock = sessionLock.readLock();
    lock.lock();
    if (closed.get()) {
      lock.unlock();
      throw new IllegalStateException("encoder " + info.source() + " is closed");
    }
    return lock;
  }

  /**
   * Frees the native session once the encodes in flight on other threads have finished; encodes
   * that start afterwards fail with {@link IllegalStateException}. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    sessionLock.writeLock().lock();
    try {
      session.close();
    } catch (OrtException e) {
      LOG.warning("closing encoder " + info.source() + ": " + OnnxErrors.firstLine(e.getMessage()));
    } finally {
      sessionOptions.close();
      sessionLock.writeLock().unlock();
    }
  }
}
