package org.cropmae.app.server;

import java.util.Map;
import org.cropmae.runtime.budget.BudgetExceededException;

/**
 * A request that cannot be served, with the HTTP status and the one-line message of its JSON
 * body {@code {"error": "..."}}.
 */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient Map<String, String> headers;

  HttpError(int status, String message, Map<String, String> headers) {
    super(message, null, false, false); // expected outcomes: no stack trace to fill
    this.status = status;
    this.headers = Map.copyOf(headers);
  }

  static HttpError badRequest(String message) {
    return new HttpError(400, message, Map.of());
  }

  static HttpError tooLarge(String message) {
    return new HttpError(413, message, Map.of());
  }

  /**
   * The answer to an input the library refused: 413 when it exceeds the compute budget (a smaller
   * request fixes it), 400 otherwise.
   */
  static HttpError of(IllegalArgumentException e) {
    String message = ZipUploads.oneLine(e);
    return e instanceof BudgetExceededException ? tooLarge(message) : badRequest(message);
  }

  int status() {
    return status;
  }

  /** Extra response headers, e.g. {@code Retry-After} or {@code WWW-Authenticate}. */
  Map<String, String> headers() {
    return headers;
  }
}
