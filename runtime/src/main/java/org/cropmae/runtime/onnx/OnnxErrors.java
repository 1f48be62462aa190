package org.cropmae.runtime.onnx;

/** Shapes ONNX Runtime's (often multi-line) error messages into the one-line messages this package throws. */
final class OnnxErrors {
  private OnnxErrors() {}

  /** The first line of {@code message}, stripped; "no message" for null. */
  static String firstLine(String message) {
    if (message == null) {
      return "no message";
    }
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).strip();
  }
}
