package org.cropmae.trainer.checkpoint;

/**
 * The resource budget a checkpoint import may use. A checkpoint may be hostile: every limit is
 * checked before the memory or time it protects is spent, and exceeding one ends the import with a
 * one-line {@link java.io.IOException} naming the file (see docs/SECURITY.md, "Checkpoint import").
 *
 * @param maxPickleBytes the most bytes {@code data.pkl} may inflate to (a real one is kilobytes to a few megabytes)
 * @param maxPickleOps the most opcodes the pickle may execute (bounds the objects it can create; real
 *     checkpoints execute thousands to a few hundred thousand)
 * @param maxStack the most entries on the pickle stack at once
 * @param maxMemo the most memo entries
 * @param maxIntegerDigits the most digits (or, for LONG1/LONG4, 2.4 x the bytes) of one pickled integer;
 *     big-number parsing and printing are super-linear, and no checkpoint stores numbers this long
 * @param maxTensorBytes the most heap the storages and tensors may take together (their declared sizes
 *     are summed before anything is allocated)
 */
public record CheckpointLimits(
    long maxPickleBytes, long maxPickleOps, int maxStack, int maxMemo, int maxIntegerDigits, long maxTensorBytes) {
  /** Default {@link #maxPickleBytes()}: 64 MiB. */
  public static final long DEFAULT_MAX_PICKLE_BYTES = 64L << 20;
  /** Default {@link #maxPickleOps()}: 8 Mi opcodes. */
  public static final long DEFAULT_MAX_PICKLE_OPS = 1L << 23;
  /** Default {@link #maxStack()}. */
  public static final int DEFAULT_MAX_STACK = 1 << 20;
  /** Default {@link #maxMemo()}. */
  public static final int DEFAULT_MAX_MEMO = 1 << 20;
  /** Default {@link #maxIntegerDigits()}. */
  public static final int DEFAULT_MAX_INTEGER_DIGITS = 10_000;
  /** Heap kept free for everything else when {@link #defaults()} derives {@link #maxTensorBytes()}. */
  static final long HEAP_RESERVE = 64L << 20;

  public CheckpointLimits {
    if (maxPickleBytes <= 0 || maxPickleBytes > Integer.MAX_VALUE - 8 || maxPickleOps <= 0 || maxStack <= 0
        || maxMemo <= 0 || maxIntegerDigits <= 0 || maxTensorBytes < 0) {
      throw new IllegalArgumentException("invalid checkpoint limits " + this);
    }
  }

  /**
   * The defaults, with {@link #maxTensorBytes()} derived from the heap available now: the JVM's maximum
   * heap minus what is in use, minus a 64 MiB reserve.
   */
  public static CheckpointLimits defaults() {
    return new CheckpointLimits(DEFAULT_MAX_PICKLE_BYTES, DEFAULT_MAX_PICKLE_OPS, DEFAULT_MAX_STACK,
        DEFAULT_MAX_MEMO, DEFAULT_MAX_INTEGER_DIGITS, availableHeap());
  }

  /** The heap this JVM can still allocate, minus {@link #HEAP_RESERVE} (never negative). */
  static long availableHeap() {
    Runtime rt = Runtime.getRuntime();
    long used = rt.totalMemory() - rt.freeMemory();
    return Math.max(0, rt.maxMemory() - used - HEAP_RESERVE);
  }

  /** These limits with another tensor memory budget. */
  public CheckpointLimits withMaxTensorBytes(long bytes) {
    return new CheckpointLimits(maxPickleBytes, maxPickleOps, maxStack, maxMemo, maxIntegerDigits, bytes);
  }

  /** These limits with another data.pkl size limit. */
  public CheckpointLimits withMaxPickleBytes(long bytes) {
    return new CheckpointLimits(bytes, maxPickleOps, maxStack, maxMemo, maxIntegerDigits, maxTensorBytes);
  }

  /** These limits with another opcode budget. */
  public CheckpointLimits withMaxPickleOps(long ops) {
    return new CheckpointLimits(maxPickleBytes, ops, maxStack, maxMemo, maxIntegerDigits, maxTensorBytes);
  }
}
