package org.cropmae.app.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds a {@code multipart/form-data} request body, as {@code curl -F} sends it: the client side
 * of the API, for the load benchmark and the tests.
 */
final class MultipartBody {
  private final String boundary = "cropmae-" + Long.toHexString(ThreadLocalRandom.current().nextLong())
      + Long.toHexString(ThreadLocalRandom.current().nextLong());
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** Adds a file part. */
  MultipartBody file(String field, String fileName, String contentType, byte[] content) {
    head("Content-Disposition: form-data; name=\"" + field + "\"; filename=\"" + fileName + "\"\r\nContent-Type: "
        + contentType + "\r\n");
    out.writeBytes(content);
    out.writeBytes(crlf());
    return this;
  }

  /** Adds a text field. */
  MultipartBody field(String name, String value) {
    head("Content-Disposition: form-data; name=\"" + name + "\"\r\n");
    out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(crlf());
    return this;
  }

  /** The {@code Content-Type} header value, with the boundary. */
  String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  /** The body so far, closed with the final boundary. */
  byte[] bytes() {
    ByteArrayOutputStream b = new ByteArrayOutputStream(out.size() + boundary.length() + 8);
    b.writeBytes(out.toByteArray());
    b.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return b.toByteArray();
  }

  private void head(String headers) {
    out.writeBytes(("--" + boundary + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] crlf() {
    return new byte[] {'\r', '\n'};
  }
}
