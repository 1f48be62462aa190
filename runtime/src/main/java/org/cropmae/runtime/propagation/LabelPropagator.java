package org.cropmae.runtime.propagation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.cropmae.runtime.budget.BudgetExceededException;
import org.cropmae.runtime.budget.ComputeBudget;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.tensor.FloatGrid;

/**
 * Streaming label propagation: feed the encoder features of a video frame by frame and get each
 * frame's soft labels, with memory bounded by the context length rather than the video length.
 *
 * <p>Semantics (the official CropMAE / videowalk evaluation): features {@code [h, w, D]} are
 * L2-normalised per position over {@code D} ({@code x / max(||x||, 1e-12)}). For frame {@code t >= 1}
 * the context is the first frame once as long-term memory (all {@code h*w} keys) plus the frames
 * {@code t - contextLength .. t - 1}, where indices below 1 stand for the first frame again (the
 * reference repeats it {@code contextLength} times before the video). Short-term keys farther than
 * the radius are masked. Affinity = dot product / temperature; the {@code topK} largest over all
 * context keys (a first-frame key present {@code m} times can fill up to {@code m} slots) are
 * soft-maxed and weight the context frames' soft labels {@code [h, w, C]}; the prediction becomes
 * the frame's labels for later targets.
 *
 * <p>The query-key dot products run on an {@link AffinityBackend} ({@link JavaAffinityBackend} by
 * default); the queries are split in blocks of about {@link AffinityBackend#preferredRows()} rows,
 * each multiplied with the first frame's keys and, per context frame, with the key runs that hold
 * the block's in-radius keys (see {@code RadiusPlan}). Keys in a run but outside a query's radius
 * are computed and then skipped by the top-k scan, so the result does not depend on the blocks.
 *
 * <p>Instances are not thread-safe; the work of one frame is spread over the {@link ComputePool}.
 * A failed {@link #next} (for example bad input) leaves the state unchanged.
 */
public final class LabelPropagator implements AutoCloseable {
  /** Queries per parallel task, at least: small blocks are grouped so that tasks are not too short. */
  private static final int TASK_ROWS = 32;
  /** torch.nn.functional.normalize's default epsilon. */
  private static final float NORM_EPS = 1e-12f;

  private final PropagationConfig config;
  private final ComputePool pool;
  private final boolean ownsPool;
  private final RadiusPlan plan;
  /**
   * Key slot 0 holds the normalised first frame; frame {@code j >= 1} lives in ring slot
   * {@code (j - 1) % contextLength}, kernel slot {@code 1 + ring slot}.
   */
  private final AffinityKernel kernel;
  private final int blocksPerTask;
  private final int tasks;
  private final int height;
  private final int width;
  private final int dim;
  private final int classes;
  private final int positions;
  private final int contextLength;
  private final int topK;
  private final float temperature;

  /** Soft labels {@code [positions * C]} in plan order: index 0 = first frame, {@code 1 + slot} = ring slot. */
  private final float[][] labels;
  /** The labels the frame being predicted writes into; swapped into its ring slot once complete. */
  private float[] spareLabels;
  /** Normalised features of the frame being predicted, {@code [positions][D]} in plan order. */
  private final float[] queries;
  private final Workspace[] workspaces;
  private final ComputePool.Task groupTask;

  /** Per-frame state read by the workers. */
  private final int[] contextSlots;
  private int contextCount;
  private int firstFrameCopies;

  private int nextIndex = 1;
  private long dotProducts;
  private boolean closed;

  private LabelPropagator(PropagationConfig config, ComputePool pool, boolean ownsPool, AffinityBackend backend,
      FloatGrid firstFeatures, FloatGrid firstLabels) {
    this.config = config;
    this.height = firstFeatures.height();
    this.width = firstFeatures.width();
    this.dim = firstFeatures.channels();
    this.positions = Math.multiplyExact(height, width);
    if (positions == 0 || dim == 0) {
      throw new IllegalArgumentException("frame 0: features must have a non-empty grid and at least one channel, got "
          + height + "x" + width + "x" + dim);
    }
    if (firstLabels.height() != height || firstLabels.width() != width) {
      throw new IllegalArgumentException("firstLabels: grid is " + firstLabels.height() + "x" + firstLabels.width()
          + ", expected " + height + "x" + width + " like the first frame's features");
    }
    if (firstLabels.channels() == 0) {
      throw new IllegalArgumentException("firstLabels: need at least one label channel");
    }
    long keys = config.contextKeys(height, width);
    if (config.topK() > keys) {
      throw new IllegalArgumentException("topK " + config.topK() + " exceeds the " + keys
          + " context keys ((contextLength + 1) * h * w) of a " + height + "x" + width + " grid");
    }
    this.classes = firstLabels.channels();
    this.contextLength = config.contextLength();
    this.topK = config.topK();
    this.temperature = (float) config.temperature();
    int blockRows = backend.blockRows(positions, pool.parallelism());
    this.plan = RadiusPlan.create(height, width, config.radius(), blockRows);
    this.blocksPerTask = Math.max(1, TASK_ROWS / blockRows);
    this.tasks = (plan.blocks() + blocksPerTask - 1) / blocksPerTask;

    this.queries = new float[Math.multiplyExact(positions, dim)];
    load(firstFeatures, 0, queries);
    this.labels = new float[1 + contextLength][];
    this.labels[0] = toPlanOrder(firstLabels);
    this.contextSlots = new int[contextLength];
    this.pool = pool;
    this.ownsPool = ownsPool;
    this.workspaces = new Workspace[pool.parallelism()];
    for (int i = 0; i < workspaces.length; i++) {
      workspaces[i] = new Workspace(blocksPerTask * blockRows, topK);
    }
    this.groupTask = (worker, task) -> runTask(worker, workspaces[worker], task);
    this.kernel = backend.open(new AffinityKernel.Shape(1 + contextLength, positions, dim, blockRows, pool.parallelism()));
    try {
      kernel.setKeys(0, queries);
    } catch (RuntimeException e) {
      kernel.close();
      throw e;
    }
  }

  /** A builder for propagators (and whole videos) with {@code config}. */
  public static Builder builder(PropagationConfig config) {
    return new Builder(config);
  }

  /** Starts a propagator on {@link Runtime#availableProcessors()} threads; see {@link Builder#start}. */
  public static LabelPropagator start(PropagationConfig config, FloatGrid firstFeatures, FloatGrid firstLabels) {
    return builder(config).start(firstFeatures, firstLabels);
  }

  /** Propagates a whole video on {@link Runtime#availableProcessors()} threads; see {@link Builder#propagate(List, FloatGrid)}. */
  public static List<FloatGrid> propagate(PropagationConfig config, List<FloatGrid> features, FloatGrid firstLabels) {
    return builder(config).propagate(features, firstLabels);
  }

  /** Propagates a whole video on {@link Runtime#availableProcessors()} threads; see {@link Builder#propagate(NpyArray, FloatGrid)}. */
  public static List<FloatGrid> propagate(PropagationConfig config, NpyArray features, FloatGrid firstLabels) {
    return builder(config).propagate(features, firstLabels);
  }

  /** The protocol parameters. */
  public PropagationConfig config() {
    return config;
  }

  /** Index (in the video) of the frame the next {@link #next} call predicts; the first frame is 0. */
  public int nextFrameIndex() {
    return nextIndex;
  }

  /**
   * Query-key dot products computed so far (each costs {@code 2 * D} FLOPs): the key runs of every
   * block of queries, in-radius or not; keys outside the runs are skipped and not counted, and the
   * duplicates of the first frame are computed once.
   */
  public long computedDotProducts() {
    return dotProducts;
  }

  /**
   * Predicts the soft labels of the next frame.
   *
   * @param features raw (not normalised) encoder features {@code [h, w, D]} of frame {@link #nextFrameIndex()}
   * @return soft labels {@code [h, w, C]} of that frame (a new grid)
   * @throws IllegalArgumentException if the shape differs from the first frame's or a value is NaN/infinite
   */
  public FloatGrid next(FloatGrid features) {
    if (closed) {
      throw new IllegalStateException("propagator is closed");
    }
    Objects.requireNonNull(features, "features");
    int t = nextIndex;
    if (spareLabels == null) {
      spareLabels = new float[positions * classes];
    }
    load(features, t, queries);
    kernel.setQueries(queries);

    contextCount = 0;
    for (int j = Math.max(1, t - contextLength); j < t; j++) {
      contextSlots[contextCount++] = (j - 1) % contextLength;
    }
    firstFrameCopies = Math.max(0, contextLength - t + 1);
    pool.run(tasks, groupTask);

    // Once the ring is full, the slot being replaced holds frame t - contextLength, part of this
    // frame's context: only now may it take this frame's keys and labels.
    int slot = (t - 1) % contextLength;
    kernel.setKeys(1 + slot, queries);
    float[] oldLabels = labels[1 + slot];
    labels[1 + slot] = spareLabels;
    spareLabels = oldLabels;
    nextIndex++;
    dotProducts += (long) positions * positions + contextCount * plan.maskedPairs;
    return toGrid(labels[1 + slot]);
  }

  /** Frees the affinity kernel and stops the threads this propagator created (a pool or backend passed to the builder stays open). Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      kernel.close();
    } finally {
      if (ownsPool) {
        pool.close();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Per-task work: a few consecutive blocks of queries against every context frame.

  private static final class Workspace {
    /** Top-k dot products per query of the task, descending ({@code rows * k}). */
    final float[] best;
    /** Label source of each kept entry: {@code labelSlot * positions + key}, -1 if unused. */
    final int[] source;
    final float[] weights;

    Workspace(int rows, int k) {
      best = new float[rows * k];
      source = new int[rows * k];
      weights = new float[k];
    }
  }

  private void runTask(int worker, Workspace ws, int task) {
    int firstBlock = task * blocksPerTask;
    int endBlock = Math.min(plan.blocks(), firstBlock + blocksPerTask);
    int blockRows = plan.blockRows;
    int firstQuery = firstBlock * blockRows;
    int endQuery = Math.min(positions, endBlock * blockRows);
    int entries = (endQuery - firstQuery) * topK;
    Arrays.fill(ws.best, 0, entries, Float.NEGATIVE_INFINITY);
    Arrays.fill(ws.source, 0, entries, -1);

    // Long-term memory: the first frame, every key, unmasked. Its short-term copies reuse these
    // dot products (they are identical), so the first frame is multiplied once per target.
    for (int block = firstBlock; block < endBlock; block++) {
      int q0 = block * blockRows;
      int q1 = Math.min(positions, q0 + blockRows);
      float[][] c = kernel.multiply(worker, q0, q1, 0, 0, positions);
      for (int q = q0; q < q1; q++) {
        float[] row = c[q - q0];
        int base = (q - firstQuery) * topK;
        scan(ws, base, row, 0, positions, 0, 1);
        if (firstFrameCopies > 0) {
          scanInRadius(ws, base, q, row, 0, firstFrameCopies);
        }
      }
    }

    // Short-term memory, radius-masked. The reference adds -1e10 to a masked affinity before the
    // division by the temperature; every unmasked affinity is >= -1/T, so a masked key can only
    // enter a top-k that has fewer than k unmasked candidates. The first frame (long-term memory,
    // never masked) alone provides h*w candidates, so with k <= h*w masked keys never matter and
    // skipping them (whether or not the kernel computed them) is exact. When k > h*w the reference
    // may fill the last slots with masked keys, but their weight is exp(-1e10/T - max) = 0 in
    // float32 (for any T below ~1e8), exactly what the unfilled slots of our buffer contribute.
    // Frame-major order: one frame's keys stay in cache across the task's blocks.
    for (int i = 0; i < contextCount; i++) {
      int slot = contextSlots[i];
      int sourceBase = (1 + slot) * positions;
      for (int block = firstBlock; block < endBlock; block++) {
        int q0 = block * blockRows;
        int q1 = Math.min(positions, q0 + blockRows);
        float[][] c = null;
        for (int run = plan.blockStart[block], end = plan.blockStart[block + 1]; run < end; run++) {
          c = kernel.multiply(worker, q0, q1, 1 + slot, plan.runLo[run], plan.runHi[run]);
        }
        for (int q = q0; q < q1; q++) {
          scanInRadius(ws, (q - firstQuery) * topK, q, c[q - q0], sourceBase, 1);
        }
      }
    }

    for (int q = firstQuery; q < endQuery; q++) {
      predict(ws, (q - firstQuery) * topK, q);
    }
  }

  /** Offers the in-radius keys of {@code query} (whose dot products are in {@code c}), each {@code copies} times. */
  private void scanInRadius(Workspace ws, int base, int query, float[] c, int sourceBase, int copies) {
    for (int i = plan.queryStart[query], end = plan.queryStart[query + 1]; i < end; i++) {
      scan(ws, base, c, plan.intervalLo[i], plan.intervalHi[i], sourceBase, copies);
    }
  }

  /**
   * Offers keys {@code [from, to)} with dot products {@code c[j]} to the top-k buffer at
   * {@code base}. Ranking by the dot product equals ranking by dot / temperature (a positive scale).
   */
  private void scan(Workspace ws, int base, float[] c, int from, int to, int sourceBase, int copies) {
    float[] best = ws.best;
    int last = base + topK - 1;
    float threshold = best[last];
    for (int j = from; j < to; j++) {
      float v = c[j];
      if (v > threshold) {
        insert(best, ws.source, base, topK, v, sourceBase + j, copies);
        threshold = best[last];
      }
    }
  }

  /**
   * Inserts {@code copies} entries of value {@code v} into the descending buffer
   * {@code best[base, base + k)} (the caller checked {@code v > best[base + k - 1]}); equal values
   * already present stay ahead, entries pushed past the end are dropped.
   */
  static void insert(float[] best, int[] source, int base, int k, float v, int src, int copies) {
    int end = base + k;
    int p = end - 1;
    while (p > base && best[p - 1] < v) {
      p--;
    }
    int n = Math.min(copies, end - p);
    for (int i = end - 1; i >= p + n; i--) {
      best[i] = best[i - n];
      source[i] = source[i - n];
    }
    for (int i = p; i < p + n; i++) {
      best[i] = v;
      source[i] = src;
    }
  }

  /** Softmax over the kept affinities (dot / temperature, float32) and the weighted label sum. */
  private void predict(Workspace ws, int base, int query) {
    float[] best = ws.best;
    int[] source = ws.source;
    float[] w = ws.weights;
    float top = best[base] / temperature;
    float sum = 0f;
    int kept = 0;
    for (; kept < topK && source[base + kept] >= 0; kept++) {
      float e = (float) Math.exp(best[base + kept] / temperature - top);
      w[kept] = e;
      sum += e;
    }
    float[] out = spareLabels;
    int o = query * classes;
    Arrays.fill(out, o, o + classes, 0f);
    for (int i = 0; i < kept; i++) {
      float weight = w[i] / sum;
      int src = source[base + i];
      float[] l = labels[src / positions];
      int li = (src % positions) * classes;
      for (int ch = 0; ch < classes; ch++) {
        out[o + ch] += weight * l[li + ch];
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Layout conversion and validation.

  /** Normalises {@code grid} (frame {@code frame}) per position into {@code out [positions][D]} in plan order. */
  private void load(FloatGrid grid, int frame, float[] out) {
    if (grid.height() != height || grid.width() != width || grid.channels() != dim) {
      throw new IllegalArgumentException("frame " + frame + ": features are " + grid.height() + "x" + grid.width()
          + "x" + grid.channels() + ", expected " + height + "x" + width + "x" + dim + " like frame 0");
    }
    float[] v = grid.values();
    for (int p = 0; p < positions; p++) {
      int src = plan.rowMajor[p] * dim;
      double squares = 0;
      for (int d = 0; d < dim; d++) {
        float x = v[src + d];
        if (!Float.isFinite(x)) {
          int rm = plan.rowMajor[p];
          throw new IllegalArgumentException("frame " + frame + ": features contain " + x + " at y=" + rm / width
              + ", x=" + rm % width + ", channel " + d);
        }
        squares += (double) x * x;
      }
      float norm = Math.max((float) Math.sqrt(squares), NORM_EPS);
      for (int d = 0; d < dim; d++) {
        out[p * dim + d] = v[src + d] / norm;
      }
    }
  }

  private float[] toPlanOrder(FloatGrid grid) {
    float[] v = grid.values();
    float[] out = new float[positions * classes];
    for (int p = 0; p < positions; p++) {
      int src = plan.rowMajor[p] * classes;
      for (int ch = 0; ch < classes; ch++) {
        float x = v[src + ch];
        if (!Float.isFinite(x)) {
          throw new IllegalArgumentException("firstLabels: value " + x + " at y=" + plan.rowMajor[p] / width
              + ", x=" + plan.rowMajor[p] % width + ", channel " + ch);
        }
        out[p * classes + ch] = x;
      }
    }
    return out;
  }

  private FloatGrid toGrid(float[] planOrder) {
    float[] out = new float[positions * classes];
    for (int p = 0; p < positions; p++) {
      System.arraycopy(planOrder, p * classes, out, plan.rowMajor[p] * classes, classes);
    }
    return new FloatGrid(height, width, classes, out);
  }

  // ---------------------------------------------------------------------------------------------

  /** Configures the threads and the affinity backend of propagators and whole-video runs. */
  public static final class Builder {
    private final PropagationConfig config;
    private AffinityBackend backend = JavaAffinityBackend.INSTANCE;
    private ComputePool pool;
    private int threads = Runtime.getRuntime().availableProcessors();
    private ComputeBudget budget = ComputeBudget.defaults();

    private Builder(PropagationConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** Runs on {@code threads} threads the propagator creates and stops on close (default: available processors). */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, got " + threads);
      }
      this.threads = threads;
      this.pool = null;
      return this;
    }

    /** Runs on a caller-owned pool, which the propagator does not close. */
    public Builder pool(ComputePool pool) {
      this.pool = Objects.requireNonNull(pool, "pool");
      return this;
    }

    /**
     * Computes the affinity on {@code backend} (default {@link JavaAffinityBackend#INSTANCE}). The
     * propagators borrow it: the caller closes it (if it needs closing) after them.
     */
    public Builder backend(AffinityBackend backend) {
      this.backend = Objects.requireNonNull(backend, "backend");
      return this;
    }

    /**
     * Refuses videos whose propagation state would exceed {@code budget}'s
     * {@link ComputeBudget#maxContextBytes()} (default {@link ComputeBudget#defaults()}).
     */
    public Builder budget(ComputeBudget budget) {
      this.budget = Objects.requireNonNull(budget, "budget");
      return this;
    }

    /**
     * Starts propagating from the first frame.
     *
     * @param firstFeatures raw encoder features {@code [h, w, D]} of frame 0
     * @param firstLabels soft labels {@code [h, w, C]} of frame 0 (e.g. one-hot masks resized to the grid)
     * @throws BudgetExceededException when the propagation state would exceed the budget (checked
     *     before anything is allocated)
     */
    public LabelPropagator start(FloatGrid firstFeatures, FloatGrid firstLabels) {
      Objects.requireNonNull(firstFeatures, "firstFeatures");
      Objects.requireNonNull(firstLabels, "firstLabels");
      budget.checkPropagation("video", config.contextLength(), firstFeatures.height(), firstFeatures.width(), firstFeatures.channels(),
          firstLabels.channels());
      boolean owns = pool == null;
      ComputePool p = owns ? ComputePool.create(threads) : pool;
      try {
        return new LabelPropagator(config, p, owns, backend, firstFeatures, firstLabels);
      } catch (RuntimeException e) {
        if (owns) {
          p.close();
        }
        throw e;
      }
    }

    /**
     * Propagates {@code firstLabels} through a whole video.
     *
     * @param features raw encoder features {@code [h, w, D]} of frames {@code 0..T-1}
     * @param firstLabels soft labels {@code [h, w, C]} of frame 0
     * @return {@code T} soft label grids {@code [h, w, C]}; element 0 is a copy of {@code firstLabels}
     */
    public List<FloatGrid> propagate(List<FloatGrid> features, FloatGrid firstLabels) {
      Objects.requireNonNull(features, "features");
      if (features.isEmpty()) {
        throw new IllegalArgumentException("features: the video has no frames");
      }
      List<FloatGrid> out = new ArrayList<>(features.size());
      try (LabelPropagator propagator = start(features.get(0), firstLabels)) {
        out.add(new FloatGrid(firstLabels.height(), firstLabels.width(), firstLabels.channels(),
            firstLabels.values().clone()));
        for (int t = 1; t < features.size(); t++) {
          out.add(propagator.next(Objects.requireNonNull(features.get(t), "features[" + t + "]")));
        }
      }
      return out;
    }

    /**
     * Propagates {@code firstLabels} through a video given as one array.
     *
     * @param features raw encoder features {@code [T, h, w, D]} (any numeric dtype)
     * @param firstLabels soft labels {@code [h, w, C]} of frame 0
     * @return {@code T} soft label grids {@code [h, w, C]}; element 0 is a copy of {@code firstLabels}
     */
    public List<FloatGrid> propagate(NpyArray features, FloatGrid firstLabels) {
      Objects.requireNonNull(features, "features");
      if (features.rank() != 4 || features.dim(0) == 0) {
        throw new IllegalArgumentException("features: expected a [T, h, w, D] array with T >= 1, got shape "
            + Arrays.toString(features.shape()));
      }
      int t = features.dim(0);
      int h = features.dim(1);
      int w = features.dim(2);
      int d = features.dim(3);
      int frameSize = Math.multiplyExact(Math.multiplyExact(h, w), d);
      float[] all = features.toFloatArray();
      List<FloatGrid> frames = new java.util.AbstractList<>() {
        @Override
        public FloatGrid get(int i) {
          return new FloatGrid(h, w, d, Arrays.copyOfRange(all, i * frameSize, (i + 1) * frameSize));
        }

        @Override
        public int size() {
          return t;
        }
      };
      return propagate(frames, firstLabels);
    }
  }
}
