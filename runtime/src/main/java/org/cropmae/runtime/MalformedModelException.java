package org.cropmae.runtime;

import java.io.IOException;

/**
 * A model file that cannot be used: not an ONNX model, or not a CropMAE encoder (inputs, outputs or
 * metadata other than {@link org.cropmae.runtime.onnx.EncoderContract} says). The message names the
 * file and what is wrong; re-exporting or re-importing the model fixes it.
 */
public class MalformedModelException extends IOException {
  private static final long serialVersionUID = 1L;

  public MalformedModelException(String message) {
    super(message);
  }

  public MalformedModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
