package org.cropmae.app.cli;

/**
 * An option value the command cannot use (an unknown preset, a non-positive top-k): a usage error,
 * exit code 2, like the errors picocli finds while parsing. It is an {@link IllegalArgumentException}
 * so that code shared with the server, which answers 400, needs no second path.
 */
public final class UsageException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }

  public UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
