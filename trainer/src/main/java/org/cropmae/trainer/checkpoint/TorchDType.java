package org.cropmae.trainer.checkpoint;

import java.util.Locale;

/**
 * The PyTorch element types a checkpoint tensor can have, with the storage class and
 * {@code torch.<name>} dtype names PyTorch pickles for each.
 *
 * <p>Complex, quantized and float8 tensors are not supported: reading a checkpoint that stores one
 * fails with a message naming the type.
 */
public enum TorchDType {
  FLOAT32(4, "FloatStorage", "float32", "float"),
  FLOAT64(8, "DoubleStorage", "float64", "double"),
  FLOAT16(2, "HalfStorage", "float16", "half"),
  BFLOAT16(2, "BFloat16Storage", "bfloat16", null),
  INT64(8, "LongStorage", "int64", "long"),
  INT32(4, "IntStorage", "int32", "int"),
  INT16(2, "ShortStorage", "int16", "short"),
  INT8(1, "CharStorage", "int8", null),
  UINT8(1, "ByteStorage", "uint8", null),
  BOOL(1, "BoolStorage", "bool", null),
  /** Only written by PyTorch >= 2.3 through {@code _rebuild_tensor_v3}. */
  UINT16(2, null, "uint16", null),
  /** Only written by PyTorch >= 2.3 through {@code _rebuild_tensor_v3}. */
  UINT32(4, null, "uint32", null);

  private final int bytes;
  private final String storageClass;
  private final String torchName;
  private final String torchAlias;

  TorchDType(int bytes, String storageClass, String torchName, String torchAlias) {
    this.bytes = bytes;
    this.storageClass = storageClass;
    this.torchName = torchName;
    this.torchAlias = torchAlias;
  }

  /** Size of one element in bytes. */
  public int bytes() {
    return bytes;
  }

  /** The dtype's name in PyTorch, e.g. {@code float32}. */
  public String torchName() {
    return torchName;
  }

  /** Whether the type holds floating-point values (float16, bfloat16, float32, float64). */
  public boolean isFloatingPoint() {
    return this == FLOAT32 || this == FLOAT64 || this == FLOAT16 || this == BFLOAT16;
  }

  /** The type of a legacy typed storage class such as {@code FloatStorage}, or null if unknown. */
  static TorchDType ofStorageClass(String name) {
    for (TorchDType t : values()) {
      if (name.equals(t.storageClass)) {
        return t;
      }
    }
    return null;
  }

  /** The type a {@code torch.<name>} dtype global names, e.g. {@code float32} or {@code half}, or null. */
  static TorchDType ofTorchName(String name) {
    for (TorchDType t : values()) {
      if (name.equals(t.torchName) || name.equals(t.torchAlias)) {
        return t;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
