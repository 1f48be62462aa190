package org.cropmae.trainer.checkpoint;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes storage records into Java primitive arrays and copies strided tensor views out of them.
 *
 * <p>The array type per dtype: {@code float[]} float32, {@code double[]} float64, {@code long[]}
 * int64, {@code int[]} int32/uint32, {@code short[]} float16/bfloat16/int16/uint16 (raw bits),
 * {@code byte[]} int8/uint8/bool.
 */
final class StorageData {
  /** Decode in slices so that a large storage never needs a second full-size byte copy. */
  private static final int CHUNK_BYTES = 1 << 20;

  private StorageData() {}

  /** A new zero-filled array of the Java type that holds {@code dtype}. */
  static Object newArray(TorchDType dtype, int n) {
    return switch (dtype) {
      case FLOAT32 -> new float[n];
      case FLOAT64 -> new double[n];
      case INT64 -> new long[n];
      case INT32, UINT32 -> new int[n];
      case FLOAT16, BFLOAT16, INT16, UINT16 -> new short[n];
      case INT8, UINT8, BOOL -> new byte[n];
    };
  }

  /**
   * Reads {@code n} elements of {@code dtype} in byte order {@code order} from {@code in}.
   *
   * @throws EOFException if the stream ends first
   */
  static Object read(InputStream in, TorchDType dtype, int n, ByteOrder order) throws IOException {
    Object out = newArray(dtype, n);
    int esize = dtype.bytes();
    byte[] chunk = new byte[(int) Math.min(CHUNK_BYTES, (long) n * esize)];
    int perChunk = Math.max(1, chunk.length / esize);
    for (int done = 0; done < n; ) {
      int count = Math.min(perChunk, n - done);
      int len = count * esize;
      int got = in.readNBytes(chunk, 0, len);
      if (got < len) {
        throw new EOFException("ends after " + ((long) done * esize + got) + " of " + (long) n * esize + " bytes");
      }
      ByteBuffer bb = ByteBuffer.wrap(chunk, 0, len).order(order);
      switch (esize) {
        case 1 -> System.arraycopy(chunk, 0, out, done, count);
        case 2 -> bb.asShortBuffer().get((short[]) out, done, count);
        case 4 -> {
          if (out instanceof float[] f) {
            bb.asFloatBuffer().get(f, done, count);
          } else {
            bb.asIntBuffer().get((int[]) out, done, count);
          }
        }
        default -> {
          if (out instanceof double[] d) {
            bb.asDoubleBuffer().get(d, done, count);
          } else {
            bb.asLongBuffer().get((long[]) out, done, count);
          }
        }
      }
      done += count;
    }
    return out;
  }

  /** Number of elements of a shape (the caller has bounded it to fit an int). */
  static int numel(int[] shape) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return (int) n;
  }

  /** Whether a view with these strides is the C-order (row-major) layout of its shape. */
  static boolean isContiguous(int[] shape, long[] stride) {
    long expected = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      if (shape[i] != 1 && stride[i] != expected) {
        return false;
      }
      expected *= shape[i];
    }
    return true;
  }

  /**
   * Copies the view ({@code offset}, {@code shape}, {@code stride}, in elements) of {@code src}
   * into a new C-order array of the same type. The caller has checked the view lies inside {@code src}.
   */
  static Object gather(Object src, long offset, int[] shape, long[] stride) {
    int n = numel(shape);
    Object dst = java.lang.reflect.Array.newInstance(src.getClass().getComponentType(), n);
    if (n == 0) {
      return dst;
    }
    if (isContiguous(shape, stride)) {
      System.arraycopy(src, (int) offset, dst, 0, n);
      return dst;
    }
    int rank = shape.length;
    int inner = shape[rank - 1];
    long innerStride = stride[rank - 1];
    int[] index = new int[rank - 1];
    long base = offset;
    for (int out = 0; out < n; out += inner) {
      copyRow(src, base, innerStride, dst, out, inner);
      // Advance the outer multi-index like an odometer, keeping the source position in step.
      for (int axis = rank - 2; axis >= 0; axis--) {
        if (++index[axis] < shape[axis]) {
          base += stride[axis];
          break;
        }
        base -= stride[axis] * (shape[axis] - 1);
        index[axis] = 0;
      }
    }
    return dst;
  }

  private static void copyRow(Object src, long from, long step, Object dst, int to, int count) {
    if (step == 1) {
      System.arraycopy(src, (int) from, dst, to, count);
      return;
    }
    int p = (int) from;
    int s = (int) step;
    if (src instanceof float[] a) {
      float[] b = (float[]) dst;
      for (int i = 0; i < count; i++, p += s) b[to + i] = a[p];
    } else if (src instanceof double[] a) {
      double[] b = (double[]) dst;
      for (int i = 0; i < count; i++, p += s) b[to + i] = a[p];
    } else if (src instanceof long[] a) {
      long[] b = (long[]) dst;
      for (int i = 0; i < count; i++, p += s) b[to + i] = a[p];
    } else if (src instanceof int[] a) {
      int[] b = (int[]) dst;
      for (int i = 0; i < count; i++, p += s) b[to + i] = a[p];
    } else if (src instanceof short[] a) {
      short[] b = (short[]) dst;
      for (int i = 0; i < count; i++, p += s) b[to + i] = a[p];
    } else {
      byte[] a = (byte[]) src;
      byte[] b = (byte[]) dst;
      for (int i = 0; i < count; i++, p += s) b[to + i] = a[p];
    }
  }
}
