package org.cropmae.runtime.io;

import java.util.Locale;

/** The NumPy element types the project exchanges with Python tools. */
public enum NpyDType {
  FLOAT32("f4", 4),
  FLOAT64("f8", 8),
  UINT8("u1", 1),
  INT32("i4", 4),
  INT64("i8", 8);

  private final String code;
  private final int bytes;

  NpyDType(String code, int bytes) {
    this.code = code;
    this.bytes = bytes;
  }

  /** Size of one element in bytes. */
  public int bytes() {
    return bytes;
  }

  /** The {@code descr} string NumPy writes for this type, little-endian where the size is above one. */
  public String descr() {
    return (bytes == 1 ? "|" : "<") + code;
  }

  /**
   * Parses a NumPy {@code descr} such as {@code <f4}, {@code >i8} or {@code |u1}.
   *
   * @throws IllegalArgumentException for a type this project does not exchange
   */
  static NpyDType parse(String descr) {
    if (descr.length() == 3 && "<>|=".indexOf(descr.charAt(0)) >= 0) {
      String c = descr.substring(1).toLowerCase(Locale.ROOT);
      for (NpyDType t : values()) {
        if (t.code.equals(c)) {
          return t;
        }
      }
    }
    throw new IllegalArgumentException(
        "unsupported dtype '" + descr + "' (supported: float32, float64, uint8, int32, int64)");
  }
}
