package org.cropmae.trainer.checkpoint;

import java.util.Arrays;
import org.cropmae.runtime.io.NpyArray;

/**
 * A tensor read from a PyTorch checkpoint: its dtype, shape and values copied to C (row-major)
 * order, whatever strided view of a (possibly shared) storage it was saved as.
 *
 * <p>{@link #toNpyArray()} gives the values exactly; {@link #toFloat32()} converts them to float32
 * explicitly (the usual way to load half, bfloat16 or double weights into a float32 model).
 * Immutable once the checkpoint is read. Like a Python tensor, equality is identity; compare
 * {@link #toNpyArray()} results for value equality.
 */
public final class TorchTensor {
  private final TorchDType dtype;
  private final int[] shape;
  // The view this tensor is of, until the reader copies its values out (then cleared).
  private StorageRef storage;
  private long storageOffset;
  private long[] stride;
  private final boolean rawStorage;
  // Values after reading: exact NpyArray for the dtypes it holds, raw bits for float16/bfloat16.
  private NpyArray exact;
  private short[] bits16;

  private TorchTensor(TorchDType dtype, int[] shape, StorageRef storage, long storageOffset, long[] stride,
      boolean rawStorage) {
    this.dtype = dtype;
    this.shape = shape;
    this.storage = storage;
    this.storageOffset = storageOffset;
    this.stride = stride;
    this.rawStorage = rawStorage;
  }

  /** A view of {@code storage}'s elements, read as {@code dtype}; bounds checked by the caller. */
  static TorchTensor view(StorageRef storage, TorchDType dtype, long offset, int[] shape, long[] stride) {
    return new TorchTensor(dtype, shape, storage, offset, stride, false);
  }

  /** A bare storage as a 1-D tensor of all its elements (what a persistent id resolves to). */
  static TorchTensor ofStorage(StorageRef storage, int numel) {
    return new TorchTensor(storage.dtype(), new int[] {numel}, storage, 0, new long[] {1}, true);
  }

  /** Whether this value is a bare storage rather than a tensor built on one. */
  boolean isRawStorage() {
    return rawStorage;
  }

  StorageRef storage() {
    return storage;
  }

  boolean isMaterialized() {
    return exact != null || bits16 != null;
  }

  /** Copies this tensor's view out of its storage's decoded elements (an array of this dtype's Java type). */
  void materialize(Object storageElements) {
    Object values = StorageData.gather(storageElements, storageOffset, shape, stride);
    switch (dtype) {
      case FLOAT32 -> exact = NpyArray.ofFloat32(shape, (float[]) values);
      case FLOAT64 -> exact = NpyArray.ofFloat64(shape, (double[]) values);
      case INT64 -> exact = NpyArray.ofInt64(shape, (long[]) values);
      case INT32 -> exact = NpyArray.ofInt32(shape, (int[]) values);
      case UINT8, BOOL -> exact = NpyArray.ofUint8(shape, (byte[]) values);
      case INT8 -> {
        byte[] b = (byte[]) values;
        int[] w = new int[b.length];
        for (int i = 0; i < b.length; i++) w[i] = b[i];
        exact = NpyArray.ofInt32(shape, w);
      }
      case INT16, UINT16 -> {
        short[] s = (short[]) values;
        int[] w = new int[s.length];
        int mask = dtype == TorchDType.UINT16 ? 0xFFFF : -1;
        for (int i = 0; i < s.length; i++) w[i] = s[i] & mask;
        exact = NpyArray.ofInt32(shape, w);
      }
      case UINT32 -> {
        int[] s = (int[]) values;
        long[] w = new long[s.length];
        for (int i = 0; i < s.length; i++) w[i] = s[i] & 0xFFFFFFFFL;
        exact = NpyArray.ofInt64(shape, w);
      }
      case FLOAT16, BFLOAT16 -> bits16 = (short[]) values;
    }
    storage = null;
    stride = null;
    storageOffset = 0;
  }

  /** The element type as saved. */
  public TorchDType dtype() {
    return dtype;
  }

  /** The dimensions, outermost first ({@code []} for a scalar). */
  public int[] shape() {
    return shape.clone();
  }

  /** Number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** Total number of elements. */
  public int size() {
    return StorageData.numel(shape);
  }

  /**
   * The values exactly, in C order: float32, float64, int64 and int32 as themselves, uint8 and bool
   * (0/1) as uint8, int8/int16/uint16 widened to int32 and uint32 to int64 (all lossless).
   *
   * @throws IllegalStateException for float16/bfloat16, which {@link NpyArray} cannot hold: use
   *     {@link #toFloat32()}
   */
  public NpyArray toNpyArray() {
    if (exact == null) {
      throw new IllegalStateException(
          dtype + " tensor " + Arrays.toString(shape) + " has no exact NpyArray dtype; convert it with toFloat32()");
    }
    return exact;
  }

  /**
   * The values converted to float32, in C order: float16 and bfloat16 exactly, float64 rounded to
   * nearest (as {@code tensor.float()} does), integers and bools converted to the nearest float.
   */
  public NpyArray toFloat32() {
    if (dtype == TorchDType.FLOAT32) {
      return exact;
    }
    float[] out;
    if (bits16 != null) {
      out = new float[bits16.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = dtype == TorchDType.FLOAT16 ? halfToFloat(bits16[i]) : bfloat16ToFloat(bits16[i]);
      }
    } else {
      out = exact.toFloatArray();
    }
    return NpyArray.ofFloat32(shape, out);
  }

  /** IEEE 754 binary16 bits to float (exact: every half value is a float). */
  static float halfToFloat(short bits) {
    int h = bits & 0xFFFF;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1F;
    int mantissa = h & 0x3FF;
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      // Zero or subnormal: mantissa * 2^-24, exact in float.
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  /** bfloat16 bits are the upper half of a float's bits. */
  static float bfloat16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xFFFF) << 16);
  }

  @Override
  public String toString() {
    return "tensor(" + dtype + " " + Arrays.toString(shape) + ")";
  }
}
