package org.cropmae.trainer.data;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.cropmae.runtime.image.RgbImage;

/**
 * The training data loader: per epoch, the dataset in a seeded order cut into batches of
 * {@code [B, 2, 3, S, S]} views, produced by a pool of worker threads ahead of the consumer.
 *
 * <p>Like the reference's {@code DataLoader(drop_last=True)}, an incomplete last batch is dropped
 * unless {@link Builder#dropLast(boolean) dropLast(false)}. Order: with {@link
 * Builder#shuffle(boolean) shuffle} (the default) each epoch is a fresh permutation of the
 * dataset, as the paper's multi-GPU runs get from {@code DistributedSampler.set_epoch}; without
 * it the dataset order is kept, as the reference's single-process run does (no sampler, no
 * shuffle).
 *
 * <p>Determinism: each image slot draws from its own stream keyed by (seed, epoch, position in
 * the epoch), and the permutation from one keyed by (seed, epoch). Batches are therefore
 * identical for any number of workers and any timing.
 *
 * <p>Unreadable images (corrupt, truncated, unsupported) are logged once each, counted and
 * replaced by an image drawn from the slot's stream; only {@value #MAX_ATTEMPTS} failures in a
 * row for one slot stop the epoch (the dataset is then essentially unreadable).
 *
 * <p>Thread-safe for one consumer per {@link Epoch}. Close to stop the workers.
 */
public final class TrainingBatches implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(TrainingBatches.class.getName());

  /** Consecutive unreadable images for one slot before the batch fails. */
  public static final int MAX_ATTEMPTS = 100;

  private final ImageFolderDataset dataset;
  private final ViewSampler sampler;
  private final int batchSize;
  private final int workers;
  private final int prefetchBatches;
  private final long seed;
  private final boolean shuffle;
  private final boolean dropLast;
  private final int bytesPerImage;
  private final ExecutorService pool;
  private final AtomicLong skippedReads = new AtomicLong();
  private final ConcurrentHashMap<Integer, String> unreadable = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private TrainingBatches(Builder b) {
    this.dataset = b.dataset;
    this.sampler = new ViewSampler(b.views);
    this.batchSize = b.batchSize;
    this.workers = b.workers;
    this.prefetchBatches = b.prefetchBatches;
    this.seed = b.seed;
    this.shuffle = b.shuffle;
    this.dropLast = b.dropLast;
    this.bytesPerImage = 2 * sampler.bytesPerView();
    if (batchesPerEpoch() == 0) {
      throw new IllegalArgumentException("batchSize: " + dataset + " has fewer images than one batch of " + batchSize
          + " and the last incomplete batch is dropped");
    }
    this.pool = workers == 0 ? null : Executors.newFixedThreadPool(workers, new DaemonThreads());
  }

  /** A builder with the reference's defaults (batch 128, 8 workers, seed 42, drop last). */
  public static Builder builder(ImageFolderDataset dataset, ViewConfig views) {
    return new Builder(dataset, views);
  }

  /** Batches per epoch: {@code N / B}, rounded down with drop-last, up without. */
  public int batchesPerEpoch() {
    int n = dataset.size();
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  public ImageFolderDataset dataset() {
    return dataset;
  }

  public ViewSampler sampler() {
    return sampler;
  }

  /** Images per full batch. */
  public int batchSize() {
    return batchSize;
  }

  /** Dataset indices in the order epoch {@code epoch} visits them. */
  public int[] order(int epoch) {
    int n = dataset.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (shuffle) {
      SplittableRandom rng = Seeds.stream(seed, Seeds.PERMUTATION, epoch, 0);
      for (int i = n - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return order;
  }

  /** Iterates over the batches of epoch {@code epoch}, from the first. */
  public Epoch epoch(int epoch) {
    return epoch(epoch, 0);
  }

  /**
   * Iterates over the batches of epoch {@code epoch} from batch {@code firstBatch} (to resume an
   * interrupted epoch: the batches are the ones an uninterrupted run would have seen).
   */
  public Epoch epoch(int epoch, int firstBatch) {
    if (closed) {
      throw new IllegalStateException("TrainingBatches: closed");
    }
    if (epoch < 0 || firstBatch < 0 || firstBatch > batchesPerEpoch()) {
      throw new IllegalArgumentException("epoch " + epoch + ", firstBatch " + firstBatch + ": out of range (0.."
          + batchesPerEpoch() + " batches)");
    }
    return new Epoch(epoch, firstBatch);
  }

  /** Computes batch {@code index} of epoch {@code epoch} in the calling thread. */
  public Batch batch(int epoch, int index) {
    if (index < 0 || index >= batchesPerEpoch()) {
      throw new IndexOutOfBoundsException("batch " + index + " of " + batchesPerEpoch());
    }
    int[] order = order(epoch);
    int n = imagesIn(index);
    byte[] data = new byte[n * bytesPerImage];
    int[] used = new int[n];
    for (int k = 0; k < n; k++) {
      fillSlot(epoch, order, index * batchSize + k, data, k, used);
    }
    return newBatch(epoch, index, data, used);
  }

  /** Times an unreadable image was met and replaced (a file met twice counts twice). */
  public long skippedReads() {
    return skippedReads.get();
  }

  /** Distinct files found unreadable so far. */
  public int unreadableFiles() {
    return unreadable.size();
  }

  private int imagesIn(int batch) {
    return Math.min(batchSize, dataset.size() - batch * batchSize);
  }

  private Batch newBatch(int epoch, int index, byte[] data, int[] used) {
    int s = sampler.config().inputSize();
    return new Batch(epoch, index, data, new int[] {used.length, 2, 3, s, s}, used);
  }

  /** Decodes the image of one slot (or its replacements) and writes its two views. */
  private void fillSlot(int epoch, int[] order, int position, byte[] data, int slot, int[] used) {
    SplittableRandom rng = Seeds.stream(seed, Seeds.SAMPLE, epoch, position);
    int index = order[position];
    RgbImage image = null;
    for (int attempt = 1; image == null; attempt++) {
      image = readOrNull(index);
      if (image == null) {
        skippedReads.incrementAndGet();
        if (attempt >= MAX_ATTEMPTS) {
          throw new IllegalStateException(dataset.root() + ": " + MAX_ATTEMPTS + " unreadable images in a row (last: "
              + unreadable.get(index) + ")");
        }
        index = rng.nextInt(dataset.size());
      }
    }
    used[slot] = index;
    sampler.samplePixels(image, rng, data, slot * bytesPerImage);
  }

  private RgbImage readOrNull(int index) {
    if (unreadable.containsKey(index)) {
      return null;
    }
    try {
      return dataset.read(index);
    } catch (Exception e) {
      // IOException from the decoder; unchecked ones from odd files must not stop training either.
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (!reason.startsWith(dataset.file(index).toString())) {
        reason = dataset.file(index) + ": " + reason;
      }
      if (unreadable.putIfAbsent(index, reason) == null) {
        LOG.log(System.Logger.Level.WARNING, reason + "; skipped, a random image replaces it");
      }
      return null;
    }
  }

  /** Stops the workers; epochs in progress fail on their next batch. */
  @Override
  public void close() {
    closed = true;
    if (pool != null) {
      pool.shutdown();
    }
  }

  /**
   * The batches of one epoch, computed ahead by the workers (at most
   * {@link Builder#prefetchBatches(int) prefetchBatches} in flight). Close it to cancel what is
   * still queued when leaving an epoch early.
   */
  public final class Epoch implements Iterator<Batch>, AutoCloseable {
    private final int epoch;
    private final int[] order;
    private final int count;
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    private int next;
    private int submitted;

    private Epoch(int epoch, int firstBatch) {
      this.epoch = epoch;
      this.order = order(epoch);
      this.count = batchesPerEpoch();
      this.next = firstBatch;
      this.submitted = firstBatch;
    }

    /** The epoch number. */
    public int number() {
      return epoch;
    }

    @Override
    public boolean hasNext() {
      return next < count;
    }

    @Override
    public Batch next() {
      if (!hasNext()) {
        throw new NoSuchElementException("epoch " + epoch + " has " + count + " batches");
      }
      if (closed) {
        throw new IllegalStateException("TrainingBatches: closed");
      }
      if (pool == null) {
        return batch(epoch, next++);
      }
      fill();
      Pending head = inFlight.poll();
      next++;
      fill();
      try {
        return head.result.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new CancellationException("epoch " + epoch + ": interrupted while waiting for batch " + (next - 1));
      } catch (ExecutionException e) {
        close();
        Throwable cause = e.getCause();
        throw new IllegalStateException("epoch " + epoch + " batch " + (next - 1) + ": " + cause.getMessage(), cause);
      }
    }

    private void fill() {
      while (submitted < count && submitted < next + prefetchBatches) {
        inFlight.add(submit(submitted++));
      }
    }

    private Pending submit(int index) {
      int n = imagesIn(index);
      byte[] data = new byte[n * bytesPerImage];
      int[] used = new int[n];
      CompletableFuture<?>[] parts = new CompletableFuture<?>[n];
      for (int k = 0; k < n; k++) {
        int slot = k;
        parts[k] = CompletableFuture.runAsync(() -> {
          if (closed) {
            // Queued work still runs after close() and fails fast, so no consumer waits forever.
            throw new CancellationException("TrainingBatches closed");
          }
          fillSlot(epoch, order, index * batchSize + slot, data, slot, used);
        }, pool);
      }
      // allOf's completion happens-after every part, so the arrays are fully visible to the consumer.
      return new Pending(CompletableFuture.allOf(parts).thenApply(v -> newBatch(epoch, index, data, used)), parts);
    }

    /** Cancels the batches still queued. */
    @Override
    public void close() {
      for (Pending p : inFlight) {
        for (CompletableFuture<?> part : p.parts) {
          part.cancel(false);
        }
      }
      inFlight.clear();
      next = count;
    }
  }

  private record Pending(CompletableFuture<Batch> result, CompletableFuture<?>[] parts) {}

  private static final class DaemonThreads implements ThreadFactory {
    private final AtomicInteger n = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "cropmae-data-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }

  /** Loader settings; {@link #build()} validates and starts the workers. */
  public static final class Builder {
    private final ImageFolderDataset dataset;
    private final ViewConfig views;
    private int batchSize = 128;
    private int workers = 8;
    private int prefetchBatches = 2;
    private long seed = 42;
    private boolean shuffle = true;
    private boolean dropLast = true;

    private Builder(ImageFolderDataset dataset, ViewConfig views) {
      this.dataset = Objects.requireNonNull(dataset, "dataset");
      this.views = Objects.requireNonNull(views, "views");
    }

    /** Images per batch (default 128, the reference's per-GPU batch). */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** Worker threads (default 8, the reference's {@code num_workers}); 0 computes in the caller. */
    public Builder workers(int workers) {
      this.workers = workers;
      return this;
    }

    /** Batches computed ahead of the consumer (default 2); bounds memory. */
    public Builder prefetchBatches(int prefetchBatches) {
      this.prefetchBatches = prefetchBatches;
      return this;
    }

    /** Seed of the permutations, replacements, crops and flips (default 42, as the reference). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Whether each epoch visits the dataset in a fresh random order (default true). */
    public Builder shuffle(boolean shuffle) {
      this.shuffle = shuffle;
      return this;
    }

    /** Whether an incomplete last batch is dropped (default true, as the reference). */
    public Builder dropLast(boolean dropLast) {
      this.dropLast = dropLast;
      return this;
    }

    /**
     * @throws IllegalArgumentException for a non-positive batch size or prefetch, negative
     *     workers, or a dataset smaller than one batch with drop-last
     * @throws UnsupportedOperationException for view options not implemented (see {@link ViewSampler})
     */
    public TrainingBatches build() {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize: must be at least 1, got " + batchSize);
      }
      if (workers < 0) {
        throw new IllegalArgumentException("workers: must be >= 0, got " + workers);
      }
      if (prefetchBatches < 1) {
        throw new IllegalArgumentException("prefetchBatches: must be at least 1, got " + prefetchBatches);
      }
      return new TrainingBatches(this);
    }
  }
}
