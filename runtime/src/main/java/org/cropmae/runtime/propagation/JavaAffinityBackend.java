package org.cropmae.runtime.propagation;

import java.util.Objects;

/**
 * The portable affinity backend: the plain-Java {@code Matmul} kernel, for Android and wherever
 * ONNX Runtime is absent. It keeps each key frame channel-major ({@code [D][positions]}, what the
 * kernel streams) and works on small blocks of 4 queries (its tile), whose in-radius key
 * runs are tight, so it computes few masked products. Stateless: one shared instance.
 */
public final class JavaAffinityBackend implements AffinityBackend {
  /** The backend. */
  public static final JavaAffinityBackend INSTANCE = new JavaAffinityBackend();

  private JavaAffinityBackend() {}

  /** 4, the kernel's tile: each tile gets its own tight key runs. */
  @Override
  public int preferredRows() {
    return Matmul.ROWS;
  }

  @Override
  public AffinityKernel open(AffinityKernel.Shape shape) {
    return new Kernel(Objects.requireNonNull(shape, "shape"));
  }

  @Override
  public String toString() {
    return "java";
  }

  private static final class Kernel implements AffinityKernel {
    private final Shape shape;
    /** Per slot {@code [D][positions]}, allocated when first set. */
    private final float[][][] keys;
    private final float[] queries;
    /** Per worker: result rows, padded to whole tiles (the padding rows are scratch). */
    private final float[][][] rows;

    Kernel(Shape shape) {
      this.shape = shape;
      this.keys = new float[shape.slots()][][];
      this.queries = new float[shape.positions() * shape.dim()];
      int padded = (shape.maxRows() + Matmul.ROWS - 1) / Matmul.ROWS * Matmul.ROWS;
      this.rows = new float[shape.workers()][][];
      for (int w = 0; w < rows.length; w++) {
        rows[w] = new float[padded][shape.positions()];
      }
    }

    @Override
    public void setKeys(int slot, float[] values) {
      shape.checkSlot(slot);
      shape.checkFrame("keys", values);
      int dim = shape.dim();
      int positions = shape.positions();
      float[][] k = keys[slot];
      if (k == null) {
        k = new float[dim][positions];
        keys[slot] = k;
      }
      for (int p = 0; p < positions; p++) {
        for (int d = 0; d < dim; d++) {
          k[d][p] = values[p * dim + d];
        }
      }
    }

    @Override
    public void setQueries(float[] values) {
      shape.checkFrame("queries", values);
      System.arraycopy(values, 0, queries, 0, queries.length);
    }

    @Override
    public float[][] multiply(int worker, int queryFrom, int queryTo, int slot, int keyFrom, int keyTo) {
      shape.checkMultiply(worker, queryFrom, queryTo, slot, keyFrom, keyTo);
      float[][] k = keys[slot];
      if (k == null) {
        throw new IllegalStateException("slot " + slot + " has no keys yet");
      }
      float[][] out = rows[worker];
      int dim = shape.dim();
      int last = queryTo - 1;
      for (int q0 = queryFrom; q0 < queryTo; q0 += Matmul.ROWS) {
        int r = q0 - queryFrom;
        // A partial last tile repeats its last query into the padding rows.
        Matmul.dot4(queries, q0 * dim, Math.min(q0 + 1, last) * dim, Math.min(q0 + 2, last) * dim,
            Math.min(q0 + 3, last) * dim, dim, k, keyFrom, keyTo, out[r], out[r + 1], out[r + 2], out[r + 3]);
      }
      return out;
    }

    @Override
    public void close() {
      // Heap memory only.
    }
  }
}
