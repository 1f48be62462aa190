package org.cropmae.runtime.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cropmae.runtime.EngineException;
import org.cropmae.runtime.propagation.AffinityBackend;
import org.cropmae.runtime.propagation.AffinityKernel;

/**
 * The affinity products on ONNX Runtime's CPU GEMM (MLAS), several times faster than the Java
 * kernel. Owns one {@link OrtSession} running a single {@code Gemm} node ({@code [m, D] x [n, D]^T});
 * close it after the propagators using it.
 *
 * <p>Each propagation worker calls the session itself (sessions are thread-safe), so with the
 * default of one intra-op thread the propagator's {@code ComputePool} sets the parallelism and the
 * workers' top-k scans overlap the other workers' products. Keys, queries and results live in
 * direct buffers that ONNX Runtime reads and writes in place (no per-call copies of the keys); each
 * result block is copied once into the worker's rows.
 */
public final class OnnxAffinityBackend implements AffinityBackend, AutoCloseable {

  /**
   * Settings.
   *
   * @param intraOpThreads threads inside one product; 1 (the default) runs each product on the
   *     calling propagation worker, 0 lets ONNX Runtime choose
   * @param preferredRows queries per product: larger blocks run the GEMM faster but widen the key
   *     runs that hold every query's in-radius keys (more masked products computed)
   */
  public record Options(int intraOpThreads, int preferredRows) {
    public Options {
      if (intraOpThreads < 0) {
        throw new IllegalArgumentException("intraOpThreads must be >= 0 (0 = ONNX Runtime default), got " + intraOpThreads);
      }
      if (preferredRows < 1) {
        throw new IllegalArgumentException("preferredRows must be at least 1, got " + preferredRows);
      }
    }

    /**
     * One intra-op thread, blocks of about 256 queries: the fastest measured at DAVIS size (30x55,
     * D=384, two workers); 128 to 320 were within 10%, 64 about 20% slower.
     */
    public static Options defaults() {
      return new Options(1, 256);
    }

    public Options withIntraOpThreads(int value) {
      return new Options(value, preferredRows);
    }

    public Options withPreferredRows(int value) {
      return new Options(intraOpThreads, value);
    }
  }

  private final OrtEnvironment env;
  private final OrtSession session;
  private final OrtSession.SessionOptions sessionOptions;
  private final Options options;
  private final AtomicBoolean closed = new AtomicBoolean();

  private OnnxAffinityBackend(OrtEnvironment env, OrtSession session, OrtSession.SessionOptions sessionOptions,
      Options options) {
    this.env = env;
    this.session = session;
    this.sessionOptions = sessionOptions;
    this.options = options;
  }

  /** A backend with {@link Options#defaults()}. */
  public static OnnxAffinityBackend create() {
    return create(Options.defaults());
  }

  /**
   * Creates the ONNX Runtime session.
   *
   * @throws IllegalStateException if ONNX Runtime fails to create it
   */
  public static OnnxAffinityBackend create(Options options) {
    Objects.requireNonNull(options, "options");
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    try {
      if (options.intraOpThreads() > 0) {
        so.setIntraOpNumThreads(options.intraOpThreads());
      }
      OnnxAffinityBackend backend = new OnnxAffinityBackend(env, env.createSession(AffinityModel.bytes(), so), so,
          options);
      so = null;
      return backend;
    } catch (OrtException e) {
      throw new EngineException("ONNX Runtime cannot create the affinity session: "
          + OnnxErrors.firstLine(e.getMessage()), e);
    } finally {
      if (so != null) {
        so.close();
      }
    }
  }

  /** The settings. */
  public Options options() {
    return options;
  }

  @Override
  public int preferredRows() {
    return options.preferredRows();
  }

  @Override
  public AffinityKernel open(AffinityKernel.Shape shape) {
    Objects.requireNonNull(shape, "shape");
    if (closed.get()) {
      throw new IllegalStateException("the ONNX Runtime affinity backend is closed");
    }
    return new Kernel(shape);
  }

  /** Frees the session. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      session.close();
    } catch (OrtException e) {
      // java.util.logging: Android has no System.Logger.
      java.util.logging.Logger.getLogger(OnnxAffinityBackend.class.getName())
          .warning("closing the affinity session: " + OnnxErrors.firstLine(e.getMessage()));
    } finally {
      sessionOptions.close();
    }
  }

  @Override
  public String toString() {
    return "onnxruntime";
  }

  private static FloatBuffer direct(long floats, String what) {
    if (floats > Integer.MAX_VALUE / Float.BYTES) {
      throw new IllegalArgumentException(what + " needs " + floats + " floats, more than one buffer holds");
    }
    return ByteBuffer.allocateDirect((int) floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  private final class Kernel implements AffinityKernel {
    private final Shape shape;
    /** Per slot {@code [positions, D]}, allocated when first set. */
    private final FloatBuffer[] keys;
    private final FloatBuffer queries;
    /** Per worker: the product block as ONNX Runtime writes it, {@code [rows, keys]}. */
    private final FloatBuffer[] products;
    /** Per worker: the result rows handed out. */
    private final float[][][] rows;

    Kernel(Shape shape) {
      this.shape = shape;
      long frame = (long) shape.positions() * shape.dim();
      this.keys = new FloatBuffer[shape.slots()];
      this.queries = direct(frame, "a frame of queries");
      this.products = new FloatBuffer[shape.workers()];
      this.rows = new float[shape.workers()][][];
      for (int w = 0; w < products.length; w++) {
        products[w] = direct((long) shape.maxRows() * shape.positions(), "a block of products");
        rows[w] = new float[shape.maxRows()][shape.positions()];
      }
    }

    @Override
    public void setKeys(int slot, float[] values) {
      shape.checkSlot(slot);
      shape.checkFrame("keys", values);
      if (keys[slot] == null) {
        keys[slot] = direct(values.length, "a frame of keys");
      }
      keys[slot].put(0, values);
    }

    @Override
    public void setQueries(float[] values) {
      shape.checkFrame("queries", values);
      queries.put(0, values);
    }

    @Override
    public float[][] multiply(int worker, int queryFrom, int queryTo, int slot, int keyFrom, int keyTo) {
      shape.checkMultiply(worker, queryFrom, queryTo, slot, keyFrom, keyTo);
      FloatBuffer k = keys[slot];
      if (k == null) {
        throw new IllegalStateException("slot " + slot + " has no keys yet");
      }
      int dim = shape.dim();
      int m = queryTo - queryFrom;
      int n = keyTo - keyFrom;
      FloatBuffer out = products[worker];
      // Slices of direct buffers: ONNX Runtime wraps their memory without copying.
      try (OnnxTensor q = OnnxTensor.createTensor(env, queries.slice(queryFrom * dim, m * dim), new long[] {m, dim});
          OnnxTensor kt = OnnxTensor.createTensor(env, k.slice(keyFrom * dim, n * dim), new long[] {n, dim});
          OnnxTensor y = OnnxTensor.createTensor(env, out.slice(0, m * n), new long[] {m, n});
          OrtSession.Result ignored = session.run(Map.of(AffinityModel.QUERIES, q, AffinityModel.KEYS, kt),
              Map.of(AffinityModel.PRODUCTS, y))) {
        // The products are in `out`.
      } catch (OrtException e) {
        throw new EngineException("ONNX Runtime failed on a [" + m + ", " + dim + "] x [" + n + ", " + dim
            + "]^T affinity product: " + OnnxErrors.firstLine(e.getMessage()), e);
      }
      float[][] r = rows[worker];
      for (int i = 0; i < m; i++) {
        out.get(i * n, r[i], keyFrom, n);
      }
      return r;
    }

    @Override
    public void close() {
      // Direct buffers only: the garbage collector frees them.
    }
  }
}
