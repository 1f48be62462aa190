package org.cropmae.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from an in-process HTTP server on the loopback interface. */
class ModelDownloadTest {
  @TempDir Path dir;
  HttpServer server;
  byte[] body;
  String sha;
  /** Bytes the server sent in total, and whether it honours Range headers. */
  final AtomicLong served = new AtomicLong();
  volatile boolean ranges = true;
  /** When > 0, the server drops the connection after this many bytes of the next response. */
  volatile int cutAfter = 0;

  @BeforeEach
  void start() throws Exception {
    body = new byte[300_000];
    new Random(1).nextBytes(body);
    sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/m/model.onnx", ex -> {
      String range = ex.getRequestHeaders().getFirst("Range");
      int from = 0;
      if (ranges && range != null && range.startsWith("bytes=")) {
        from = Integer.parseInt(range.substring(6, range.indexOf('-')));
      }
      int len = body.length - from;
      if (from > 0) {
        ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
      }
      ex.sendResponseHeaders(from > 0 ? 206 : 200, len);
      try (OutputStream out = ex.getResponseBody()) {
        int n = cutAfter > 0 ? Math.min(cutAfter, len) : len;
        cutAfter = 0;
        // Counted before writing: the client can finish reading before this thread returns from
        // write(), and a count made after it could land after the test reset the counter.
        served.addAndGet(n);
        out.write(body, from, n);
      } catch (IOException e) {
        // client went away
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/m/model.onnx");
  }

  @Test
  void downloadsAndVerifies() throws IOException {
    Path target = dir.resolve("c/model.onnx");
    AtomicLong last = new AtomicLong();
    ModelDownload.fetch(url(), sha, target, (bytes, total) -> {
      last.set(bytes);
      assertEquals(body.length, total);
    });
    assertArrayEquals(body, Files.readAllBytes(target));
    assertEquals(body.length, last.get());
    assertFalse(Files.exists(dir.resolve("c/model.onnx.part")));
    served.set(0);
    ModelDownload.fetch(url(), sha, target, null);
    assertEquals(0, served.get(), "a verified file in the cache is not downloaded again");
  }

  @Test
  void resumesAnInterruptedDownload() throws IOException {
    Path target = dir.resolve("model.onnx");
    cutAfter = 100_000;
    // The server stalls after 100 kB with the connection open: the client's read timeout ends it.
    int timeout = ModelDownload.timeoutMs;
    ModelDownload.timeoutMs = 1000;
    IOException e;
    try {
      e = assertThrows(IOException.class, () -> ModelDownload.fetch(url(), sha, target, null));
    } finally {
      ModelDownload.timeoutMs = timeout;
    }
    assertTrue(e.getMessage().startsWith(url().toString()), e.getMessage());
    assertFalse(Files.exists(target), "nothing under the final name after a failure");
    long partial = Files.size(dir.resolve("model.onnx.part"));
    assertTrue(partial > 0 && partial < body.length, "partial " + partial);
    served.set(0);
    ModelDownload.fetch(url(), sha, target, null);
    assertArrayEquals(body, Files.readAllBytes(target));
    assertEquals(body.length - partial, served.get(), "only the missing bytes were sent again");
  }

  @Test
  void startsOverWhenTheServerIgnoresRanges() throws IOException {
    Path target = dir.resolve("model.onnx");
    Files.write(dir.resolve("model.onnx.part"), new byte[] {1, 2, 3});
    ranges = false;
    ModelDownload.fetch(url(), sha, target, null);
    assertArrayEquals(body, Files.readAllBytes(target));
  }

  @Test
  void checksumMismatchIsAnErrorAndLeavesNothing() {
    Path target = dir.resolve("model.onnx");
    String wrong = "0".repeat(64);
    IOException e = assertThrows(IOException.class, () -> ModelDownload.fetch(url(), wrong, target, null));
    assertTrue(e.getMessage().contains("SHA-256") && e.getMessage().contains(wrong), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    assertFalse(Files.exists(target));
    assertFalse(Files.exists(dir.resolve("model.onnx.part")));
  }

  @Test
  void httpErrorNamesTheUrl() {
    URI missing = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/nothing.onnx");
    IOException e = assertThrows(IOException.class, () -> ModelDownload.fetch(missing, sha, dir.resolve("x.onnx"), null));
    assertTrue(e.getMessage().startsWith(missing + ": HTTP 404"), e.getMessage());
  }

  @Test
  void plainHttpToOtherHostsIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelDownload.fetch(URI.create("http://example.com/m.onnx"), sha, dir.resolve("m.onnx"), null));
    assertTrue(e.getMessage().contains("only https://"), e.getMessage());
  }

  @Test
  void addressNeedsAChecksum() throws IOException {
    Path cache = dir.resolve("cache");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelDownload.fetchAddress(url().toString(), cache, null));
    assertTrue(e.getMessage().contains("#sha256="), e.getMessage());
    Path got = ModelDownload.fetchAddress(url() + "#sha256=" + sha, cache, null);
    assertArrayEquals(body, Files.readAllBytes(got));
    assertTrue(got.startsWith(dir.resolve("cache")), got.toString());
    assertEquals("model.onnx", got.getFileName().toString());
  }
}
