package org.cropmae.runtime.propagation;

/**
 * One video's affinity computation, opened by {@link AffinityBackend#open}: holds the normalised
 * keys of {@code slots} frames and the queries of the frame being predicted, both given as
 * row-major {@code [positions, D]} float32 arrays (one feature vector per position), and multiplies
 * blocks of queries with ranges of one frame's keys.
 *
 * <p>{@link #multiply} may be called by the {@code workers} threads at once (each with its own
 * worker number); {@link #setKeys}, {@link #setQueries} and {@link #close} must not overlap with
 * anything else.
 */
public interface AffinityKernel extends AutoCloseable {

  /**
   * Stores frame {@code slot}'s keys, replacing what the slot held.
   *
   * @param keys {@code [positions, D]} row-major (copied; the array may be reused afterwards)
   */
  void setKeys(int slot, float[] keys);

  /**
   * Stores the queries later {@link #multiply} calls read.
   *
   * @param queries {@code [positions, D]} row-major (copied)
   */
  void setQueries(float[] queries);

  /**
   * Dot products of queries {@code [queryFrom, queryTo)} with keys {@code [keyFrom, keyTo)} of frame
   * {@code slot}, accumulated in float32.
   *
   * @return {@code worker}'s result rows, owned by the kernel: row {@code r} (length
   *     {@code positions}) holds query {@code queryFrom + r}'s products at the key indices
   *     {@code [keyFrom, keyTo)}; the other elements keep what earlier calls by the same worker left
   *     there (so one block's several key ranges can be gathered in the same rows). Valid until that
   *     worker's next call.
   * @throws IllegalArgumentException if a range is empty or out of bounds, or covers more than {@code maxRows} queries
   * @throws IllegalStateException if the computation itself fails (for example the native library)
   */
  float[][] multiply(int worker, int queryFrom, int queryTo, int slot, int keyFrom, int keyTo);

  /** Frees the storage (native memory where the backend uses it). */
  @Override
  void close();

  /**
   * The sizes a kernel is opened for.
   *
   * @param slots key frames held at once (the first frame plus the context)
   * @param positions keys (and queries) per frame, {@code h * w}
   * @param dim feature channels {@code D}
   * @param maxRows the most queries one {@code multiply} call covers
   * @param workers threads that call {@code multiply} at once, numbered {@code 0..workers-1}
   */
  record Shape(int slots, int positions, int dim, int maxRows, int workers) {
    public Shape {
      if (slots < 1 || positions < 1 || dim < 1 || maxRows < 1 || workers < 1) {
        throw new IllegalArgumentException("affinity sizes must be positive, got slots=" + slots + ", positions="
            + positions + ", dim=" + dim + ", maxRows=" + maxRows + ", workers=" + workers);
      }
      Math.multiplyExact(Math.multiplyExact(slots, positions), dim);
    }

    /** Checks the array given to {@link #setKeys} or {@link #setQueries} (named {@code name}). */
    public void checkFrame(String name, float[] values) {
      if (values == null || values.length != (long) positions * dim) {
        throw new IllegalArgumentException(name + " holds " + (values == null ? "null" : values.length + " values")
            + ", expected positions*dim = " + positions + "*" + dim);
      }
    }

    /** Checks a slot index. */
    public void checkSlot(int slot) {
      if (slot < 0 || slot >= slots) {
        throw new IllegalArgumentException("slot " + slot + " is outside [0, " + slots + ")");
      }
    }

    /** Checks the arguments of {@link #multiply}. */
    public void checkMultiply(int worker, int queryFrom, int queryTo, int slot, int keyFrom, int keyTo) {
      if (worker < 0 || worker >= workers) {
        throw new IllegalArgumentException("worker " + worker + " is outside [0, " + workers + ")");
      }
      checkSlot(slot);
      if (queryFrom < 0 || queryTo > positions || queryFrom >= queryTo || queryTo - queryFrom > maxRows) {
        throw new IllegalArgumentException("queries [" + queryFrom + ", " + queryTo + ") must be a non-empty range in [0, "
            + positions + ") of at most " + maxRows + " rows");
      }
      if (keyFrom < 0 || keyTo > positions || keyFrom >= keyTo) {
        throw new IllegalArgumentException("keys [" + keyFrom + ", " + keyTo + ") must be a non-empty range in [0, "
            + positions + ")");
      }
    }
  }
}
