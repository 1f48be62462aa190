package org.cropmae.app.server;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The browser page served at {@code /} (plain HTML, CSS and JavaScript from the jar's resources,
 * nothing from elsewhere): a fixed set of files, so no path from a request reaches the class path.
 */
final class WebPage {
  private static final String DIR = "/org/cropmae/app/server/web/";
  private static final Map<String, String> FILES = Map.of(
      "index.html", "text/html; charset=utf-8",
      "app.js", "text/javascript; charset=utf-8",
      "app.css", "text/css; charset=utf-8");
  private final Map<String, byte[]> content;

  WebPage() {
    java.util.HashMap<String, byte[]> c = new java.util.HashMap<>();
    for (String f : FILES.keySet()) {
      try (InputStream in = WebPage.class.getResourceAsStream(DIR + f)) {
        if (in == null) {
          throw new IllegalStateException(DIR + f + " is missing from the application jar");
        }
        c.put(f, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    this.content = Map.copyOf(c);
  }

  void serve(Context ctx, String file) {
    byte[] b = content.get(file);
    if (b == null) {
      throw new HttpError(404, "no such file: /web/" + ZipUploads.printable(file), Map.of());
    }
    ctx.status(200).contentType(FILES.get(file)).header("Cache-Control", "no-cache")
        .header("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; connect-src 'self' blob:")
        .result(b);
  }
}
