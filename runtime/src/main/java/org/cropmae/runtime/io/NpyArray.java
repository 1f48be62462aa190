package org.cropmae.runtime.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable n-dimensional array in C (row-major) order, as stored in a NumPy {@code .npy} file.
 *
 * <p>The element storage is a Java primitive array matching {@link #dtype()}: {@code float[]},
 * {@code double[]}, {@code byte[]} (uint8, read unsigned), {@code int[]} or {@code long[]}.
 * Accessors return copies so that an instance can be shared freely between threads.
 */
public final class NpyArray {
  private final NpyDType dtype;
  private final int[] shape;
  private final Object data;

  private NpyArray(NpyDType dtype, int[] shape, Object data) {
    this.dtype = dtype;
    this.shape = shape.clone();
    this.data = data;
    long n = sizeOf(this.shape);
    if (n != java.lang.reflect.Array.getLength(data)) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + n + " elements but "
              + java.lang.reflect.Array.getLength(data) + " were given");
    }
  }

  /** A float32 array; {@code values} is copied. */
  public static NpyArray ofFloat32(int[] shape, float[] values) {
    return new NpyArray(NpyDType.FLOAT32, shape, values.clone());
  }

  /** A float64 array; {@code values} is copied. */
  public static NpyArray ofFloat64(int[] shape, double[] values) {
    return new NpyArray(NpyDType.FLOAT64, shape, values.clone());
  }

  /** A uint8 array (each byte read as 0..255); {@code values} is copied. */
  public static NpyArray ofUint8(int[] shape, byte[] values) {
    return new NpyArray(NpyDType.UINT8, shape, values.clone());
  }

  /** An int32 array; {@code values} is copied. */
  public static NpyArray ofInt32(int[] shape, int[] values) {
    return new NpyArray(NpyDType.INT32, shape, values.clone());
  }

  /** An int64 array; {@code values} is copied. */
  public static NpyArray ofInt64(int[] shape, long[] values) {
    return new NpyArray(NpyDType.INT64, shape, values.clone());
  }

  /** Wraps storage the caller hands over and will not touch again (used by the reader). */
  static NpyArray adopt(NpyDType dtype, int[] shape, Object data) {
    return new NpyArray(dtype, shape, data);
  }

  public NpyDType dtype() {
    return dtype;
  }

  /** The dimensions, outermost first. */
  public int[] shape() {
    return shape.clone();
  }

  /** Number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** Size of dimension {@code axis} (negative counts from the end). */
  public int dim(int axis) {
    return shape[axis < 0 ? shape.length + axis : axis];
  }

  /** Total number of elements. */
  public int size() {
    return (int) sizeOf(shape);
  }

  /** The elements converted to float32 (uint8 read unsigned), in C order. */
  public float[] toFloatArray() {
    int n = size();
    float[] out = new float[n];
    switch (dtype) {
      case FLOAT32 -> System.arraycopy((float[]) data, 0, out, 0, n);
      case FLOAT64 -> { double[] d = (double[]) data; for (int i = 0; i < n; i++) out[i] = (float) d[i]; }
      case UINT8 -> { byte[] d = (byte[]) data; for (int i = 0; i < n; i++) out[i] = d[i] & 0xFF; }
      case INT32 -> { int[] d = (int[]) data; for (int i = 0; i < n; i++) out[i] = d[i]; }
      case INT64 -> { long[] d = (long[]) data; for (int i = 0; i < n; i++) out[i] = d[i]; }
    }
    return out;
  }

  /** The elements converted to float64, in C order. */
  public double[] toDoubleArray() {
    if (dtype == NpyDType.FLOAT64) {
      return ((double[]) data).clone();
    }
    float[] f = dtype == NpyDType.FLOAT32 ? (float[]) data : null;
    int n = size();
    double[] out = new double[n];
    if (f != null) {
      for (int i = 0; i < n; i++) out[i] = f[i];
    } else {
      long[] l = toLongArray();
      for (int i = 0; i < n; i++) out[i] = l[i];
    }
    return out;
  }

  /** The elements of an integer array (uint8 read unsigned) as longs, in C order. */
  public long[] toLongArray() {
    int n = size();
    long[] out = new long[n];
    switch (dtype) {
      case UINT8 -> { byte[] d = (byte[]) data; for (int i = 0; i < n; i++) out[i] = d[i] & 0xFF; }
      case INT32 -> { int[] d = (int[]) data; for (int i = 0; i < n; i++) out[i] = d[i]; }
      case INT64 -> System.arraycopy((long[]) data, 0, out, 0, n);
      default -> throw new IllegalStateException("toLongArray() needs an integer dtype, this array is " + dtype);
    }
    return out;
  }

  /** The raw bytes of a uint8 array, in C order. */
  public byte[] toByteArray() {
    if (dtype != NpyDType.UINT8) {
      throw new IllegalStateException("toByteArray() needs dtype uint8, this array is " + dtype);
    }
    return ((byte[]) data).clone();
  }

  /** Storage without copying, for the writer. */
  Object storage() {
    return data;
  }

  static long sizeOf(int[] shape) {
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("array of shape " + Arrays.toString(shape) + " is too large");
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof NpyArray other)) {
      return false;
    }
    return dtype == other.dtype
        && Arrays.equals(shape, other.shape)
        && Objects.deepEquals(new Object[] {data}, new Object[] {other.data});
  }

  @Override
  public int hashCode() {
    return Objects.hash(dtype, Arrays.hashCode(shape));
  }

  @Override
  public String toString() {
    return "NpyArray[" + dtype + " " + Arrays.toString(shape) + "]";
  }
}
