package org.cropmae.runtime;

/**
 * An inference or training engine (ONNX Runtime, libtorch) failed on an input it had accepted: a
 * broken installation, a driver fault, a bug, never the user's input. The command line reports it
 * in one line with exit code 3 and the server answers 500; bad input is an
 * {@link IllegalArgumentException} (exit 1, 400) and an unusable model file a
 * {@link MalformedModelException}.
 */
public class EngineException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public EngineException(String message, Throwable cause) {
    super(message, cause);
  }
}
