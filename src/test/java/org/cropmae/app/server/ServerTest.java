package org.cropmae.app.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.io.Npy;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.io.desktop.ImageFiles;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.PalettePng;
import org.cropmae.runtime.model.ModelRegistry;
import org.cropmae.runtime.onnx.EncoderOptions;
import org.cropmae.runtime.onnx.EncoderOutput;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.cropmae.runtime.preprocess.ImageNormalization;
import org.cropmae.runtime.preprocess.ImageSize;
import org.cropmae.runtime.preprocess.NormalizedImage;
import org.cropmae.runtime.preprocess.ProtocolSize;
import org.cropmae.runtime.propagation.ComputePool;
import org.cropmae.runtime.propagation.PropagationConfig;
import org.cropmae.runtime.video.MaskPropagator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server in-process on a free loopback port, driven with {@link HttpClient}. Expected masks
 * and features come from {@link MaskPropagator} and {@link OnnxEncoder} run directly on the same
 * files, decoded from disk with {@link ImageFiles}.
 */
class ServerTest {
  private static final int FRAMES = 12;
  /** The demo clip's own size: a small feature grid keeps the suite fast. */
  private static final String INPUT_SIZE = "320x480";
  private static final EncoderOptions CPU_1T =
      EncoderOptions.defaults().withExecutionProvider(EncoderOptions.ExecutionProvider.CPU).withThreads(1, 1);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path clipDir;
  private static OnnxEncoder encoder;
  private static List<Path> framePaths;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void openEncoder() throws IOException {
    encoder = OnnxEncoder.open(ModelRegistry.bundled().resolve(ModelRegistry.bundled().defaultModel()), CPU_1T);
    framePaths = new ArrayList<>();
    for (int t = 0; t < FRAMES; t++) {
      Path p = clipDir.resolve(String.format(Locale.ROOT, "%05d.jpg", t));
      Files.write(p, frameBytes(t));
      framePaths.add(p);
    }
  }

  @AfterAll
  static void closeEncoder() {
    encoder.close();
  }

  // ---------------------------------------------------------------- happy paths

  @Test
  void propagatesAZipOfFramesExactlyAsMaskPropagator() throws Exception {
    try (Server server = Server.start(base())) {
      HttpResponse<byte[]> r = post(server, "/v1/propagate", new MultipartBody()
          .file("frames", "clip.zip", "application/zip", zip(demoFrames(FRAMES)))
          .file("mask", "00000.png", "image/png", maskBytes())
          .field("input_size", INPUT_SIZE));
      assertEquals(200, r.statusCode(), body(r));
      assertEquals("application/zip", r.headers().firstValue("Content-Type").orElse(""));
      Map<String, byte[]> masks = unzip(r.body());
      List<String> names = new ArrayList<>();
      for (int t = 0; t < FRAMES; t++) {
        names.add(String.format(Locale.ROOT, "%05d.png", t));
      }
      assertEquals(names, new ArrayList<>(masks.keySet()));
      List<byte[]> want = expectedMasks(FRAMES, testConfig());
      for (int t = 0; t < FRAMES; t++) {
        assertArrayEquals(want.get(t), masks.get(names.get(t)), "mask of frame " + t);
      }
    }
  }

  @Test
  void propagatesFramePartsInPartOrder() throws Exception {
    int n = 4;
    MultipartBody form = new MultipartBody();
    for (int t = 0; t < n; t++) {
      form.file("frame", "f" + (char) ('a' + t) + ".jpg", "image/jpeg", frameBytes(t)); // names carry no order
    }
    form.file("mask", "m.png", "image/png", maskBytes()).field("input_size", INPUT_SIZE).field("topk", "5");
    try (Server server = Server.start(base())) {
      HttpResponse<byte[]> r = post(server, "/v1/propagate", form);
      assertEquals(200, r.statusCode(), body(r));
      Map<String, byte[]> masks = unzip(r.body());
      assertEquals(List.of("fa.png", "fb.png", "fc.png", "fd.png"), new ArrayList<>(masks.keySet()));
      List<byte[]> want = expectedMasks(n, testConfig().withTopK(5));
      int t = 0;
      for (byte[] got : masks.values()) {
        assertArrayEquals(want.get(t), got, "mask of frame " + t);
        t++;
      }
    }
  }

  @Test
  void embedsImagesLikeTheEncoderDirectly() throws Exception {
    try (Server server = Server.start(base())) {
      // One image at its own size (320x480 is a multiple of 16): [1, 1+20*30, D].
      HttpResponse<byte[]> one = post(server, "/v1/embed", new MultipartBody().file("image", "x.jpg", "image/jpeg", frameBytes(3)));
      assertEquals(200, one.statusCode(), body(one));
      NpyArray a = Npy.read(new ByteArrayInputStream(one.body()));
      int d = encoder.info().embedDim();
      assertArrayEquals(new int[] {1, 1 + 20 * 30, d}, a.shape());
      assertEquals("1," + (1 + 20 * 30) + "," + d, one.headers().firstValue("X-CropMAE-Shape").orElse(""));
      assertArrayEquals(expectedTokens(List.of(3), new ImageSize(320, 480)), a.toFloatArray());

      // A zip of three images, resized to 160x224: [3, 1+10*14, D], ordered by frame number.
      Map<String, byte[]> files = new LinkedHashMap<>();
      files.put("img-7.jpg", frameBytes(7));
      files.put("img-2.jpg", frameBytes(2));
      files.put("img-10.jpg", frameBytes(10));
      HttpResponse<byte[]> three = post(server, "/v1/embed", new MultipartBody()
          .file("image", "imgs.zip", "application/zip", zip(files)).field("size", "160x224"));
      assertEquals(200, three.statusCode(), body(three));
      NpyArray b = Npy.read(new ByteArrayInputStream(three.body()));
      assertArrayEquals(new int[] {3, 1 + 10 * 14, d}, b.shape());
      assertArrayEquals(expectedTokens(List.of(2, 7, 10), new ImageSize(160, 224)), b.toFloatArray());
    }
  }

  // ---------------------------------------------------------------- load and lifecycle

  @Test
  void fullQueueAnswers503WithRetryAfterAndNothingLeaks() throws Exception {
    byte[] body;
    MultipartBody form = new MultipartBody()
        .file("frames", "clip.zip", "application/zip", zip(demoFrames(4)))
        .file("mask", "00000.png", "image/png", maskBytes())
        .field("input_size", INPUT_SIZE);
    body = form.bytes();
    List<HttpResponse<byte[]>> responses = new ArrayList<>();
    deleteTree(MultipartForm.SPOOL_GUARD); // left by an earlier failing run
    try (Server server = Server.start(base().withWorkers(2).withQueue(4))) {
      List<CompletableFuture<HttpResponse<byte[]>>> calls = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        calls.add(HTTP.sendAsync(request(server, "/v1/propagate", form.contentType(), body),
            HttpResponse.BodyHandlers.ofByteArray()));
      }
      for (CompletableFuture<HttpResponse<byte[]>> c : calls) {
        responses.add(c.get());
      }
    }
    int ok = 0, busy = 0;
    for (HttpResponse<byte[]> r : responses) {
      if (r.statusCode() == 200) {
        ok++;
        Map<String, byte[]> masks = unzip(r.body());
        assertEquals(4, masks.size());
        for (Map.Entry<String, byte[]> e : masks.entrySet()) {
          IndexMask m = PalettePng.decode(e.getValue(), e.getKey(), null);
          assertEquals(320, m.height());
          assertEquals(480, m.width());
        }
      } else {
        assertEquals(503, r.statusCode(), body(r));
        busy++;
        int retry = Integer.parseInt(r.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
        assertTrue(error(r).contains("busy"), body(r));
      }
    }
    assertEquals(16, ok + busy);
    assertTrue(ok >= 6, "at least workers + queue requests are served, got " + ok);
    assertTrue(busy >= 1, "16 requests at once against 2 workers and a queue of 4 must overflow");
    assertNoServerThreads();
    assertFalse(Files.exists(MultipartForm.SPOOL_GUARD), "uploads are kept in memory, never spooled to disk");
  }

  @Test
  void shutdownFinishesTheRequestInFlight() throws Exception {
    Server server = Server.start(base());
    MultipartBody form = new MultipartBody()
        .file("frames", "clip.zip", "application/zip", zip(demoFrames(FRAMES)))
        .file("mask", "00000.png", "image/png", maskBytes())
        .field("input_size", INPUT_SIZE);
    CompletableFuture<HttpResponse<byte[]>> call = HTTP.sendAsync(request(server, "/v1/propagate", form.contentType(), form.bytes()),
        HttpResponse.BodyHandlers.ofByteArray());
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (metric(server, "cropmae_requests_in_flight") < 1 && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    assertEquals(1, metric(server, "cropmae_requests_in_flight"), "the request should be running");
    server.close();
    HttpResponse<byte[]> r = call.get();
    assertEquals(200, r.statusCode(), body(r));
    assertEquals(FRAMES, unzip(r.body()).size());
    assertThrows(ConnectException.class, () -> HTTP.send(HttpRequest.newBuilder(server.uri().resolve("/health")).build(),
        HttpResponse.BodyHandlers.ofByteArray()));
    assertNoServerThreads();
  }

  @Test
  void slowRequestTimesOutWith504AndTheWorkerIsFreedAgain() throws Exception {
    try (Server server = Server.start(base().withTimeout(Duration.ofMillis(300)))) {
      // The paper's DAVIS size (480x880) takes well over 300 ms for 12 frames.
      HttpResponse<byte[]> r = post(server, "/v1/propagate", new MultipartBody()
          .file("frames", "clip.zip", "application/zip", zip(demoFrames(FRAMES)))
          .file("mask", "00000.png", "image/png", maskBytes()));
      assertEquals(504, r.statusCode(), body(r));
      assertTrue(error(r).contains("300 ms"), body(r));
      long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (metric(server, "cropmae_requests_in_flight") > 0 && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      assertEquals(0, metric(server, "cropmae_requests_in_flight"), "the abandoned job must stop");
    }
    try (Server server = Server.start(base().withTimeout(Duration.ofMillis(1)))) {
      // 1 ms passes while the body is read (408) or just after (504): either way never a 200.
      HttpResponse<byte[]> r = post(server, "/v1/embed", new MultipartBody().file("image", "x.jpg", "image/jpeg", frameBytes(0)));
      assertTrue(r.statusCode() == 408 || r.statusCode() == 504, r.statusCode() + " " + body(r));
    }
  }

  @Test
  void slowUploadsAre408AtTheDeadlineAndFreeTheirPlaces() throws Exception {
    // One worker and two queue places; three clients trickle their bodies a byte every 300 ms.
    Duration timeout = Duration.ofSeconds(2);
    try (Server server = Server.start(base().withWorkers(1).withQueue(2).withTimeout(timeout))) {
      List<java.net.Socket> slow = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          java.net.Socket s = new java.net.Socket("127.0.0.1", server.port());
          s.setSoTimeout(15_000);
          s.getOutputStream().write(("POST /v1/embed HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n"
              + "Content-Type: multipart/form-data; boundary=XyZ\r\n\r\n--XyZ\r\n").getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
          slow.add(s);
        }
        long start = System.nanoTime();
        // While they hold every place, another client is told to come back later.
        Thread.sleep(300);
        HttpResponse<byte[]> busy = post(server, "/v1/embed",
            new MultipartBody().file("image", "0.jpg", "image/jpeg", frameBytes(0)).field("size", "64x64"));
        assertEquals(503, busy.statusCode(), body(busy));
        List<String> answers = new ArrayList<>();
        byte[] one = {'a'};
        while (answers.size() < slow.size() && System.nanoTime() - start < Duration.ofSeconds(12).toNanos()) {
          for (java.net.Socket s : slow) {
            if (!s.isClosed() && !s.isOutputShutdown()) {
              try {
                s.getOutputStream().write(one);
                s.getOutputStream().flush();
              } catch (IOException closedByServer) {
                s.shutdownOutput();
              }
            }
          }
          Thread.sleep(300);
          for (java.net.Socket s : slow) {
            if (!s.isClosed() && s.getInputStream().available() > 0) {
              byte[] head = new byte[4096];
              int n = s.getInputStream().read(head);
              answers.add(new String(head, 0, n, StandardCharsets.ISO_8859_1));
              s.close();
            }
          }
        }
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertEquals(3, answers.size(), "answers after " + seconds + " s: " + answers);
        for (String a : answers) {
          assertTrue(a.startsWith("HTTP/1.1 408"), a);
          assertTrue(a.contains("not received within the server's timeout of 2000 ms"), a);
        }
        assertTrue(seconds < 8, "the slow uploads were answered after " + seconds + " s");
      } finally {
        for (java.net.Socket s : slow) {
          s.close();
        }
      }
      // Their places are free again, and the pooled threads carry no stray interrupt.
      assertEquals(200, send(server, "/health").statusCode());
      for (int i = 0; i < 3; i++) {
        HttpResponse<byte[]> ok = post(server, "/v1/embed",
            new MultipartBody().file("image", "0.jpg", "image/jpeg", frameBytes(0)).field("size", "64x64"));
        assertEquals(200, ok.statusCode(), body(ok));
      }
    }
  }

  @Test
  void healthMetricsAndOpenApi() throws Exception {
    try (Server server = Server.start(base())) {
      HttpResponse<byte[]> h = send(server, "/health");
      assertEquals(200, h.statusCode());
      JsonNode health = JSON.readTree(h.body());
      assertEquals("ok", health.get("status").asText());
      assertEquals(ModelRegistry.bundled().defaultModel(), health.get("model").asText());
      assertEquals("CPU", health.get("provider").asText());

      HttpResponse<byte[]> r = post(server, "/v1/propagate", new MultipartBody()
          .file("frames", "clip.zip", "application/zip", zip(demoFrames(3)))
          .file("mask", "00000.png", "image/png", maskBytes()).field("input_size", INPUT_SIZE));
      assertEquals(200, r.statusCode(), body(r));
      assertEquals(404, send(server, "/nope").statusCode());

      HttpResponse<byte[]> m = send(server, "/metrics");
      assertEquals(200, m.statusCode());
      assertTrue(m.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      String text = new String(m.body(), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(text.contains("cropmae_http_requests_total{route=\"/v1/propagate\",status=\"200\"} 1\n"), text);
      assertTrue(text.contains("cropmae_http_requests_total{route=\"/health\",status=\"200\"} 1\n"), text);
      assertTrue(text.contains("cropmae_http_requests_total{route=\"other\",status=\"404\"} 1\n"), text);
      assertTrue(text.contains("cropmae_http_request_duration_seconds_bucket{route=\"/v1/propagate\",le=\"+Inf\"} 1\n"), text);
      assertTrue(text.contains("cropmae_http_request_duration_seconds_count{route=\"/v1/propagate\"} 1\n"), text);
      assertTrue(text.contains("cropmae_frames_processed_total{route=\"/v1/propagate\"} 3\n"), text);
      assertTrue(text.contains("\ncropmae_queue_depth 0\n"), text);
      assertTrue(text.contains("\ncropmae_requests_in_flight 0\n"), text);
      assertTrue(text.contains("\ncropmae_queue_capacity 4\n"), text);

      HttpResponse<byte[]> o = send(server, "/openapi.json");
      assertEquals(200, o.statusCode());
      JsonNode api = JSON.readTree(o.body());
      assertTrue(api.get("openapi").asText().startsWith("3."));
      for (String route : Server.ROUTES) {
        assertNotNull(api.get("paths").get(route), "openapi.json documents " + route);
      }
    }
  }

  // ---------------------------------------------------------------- refusals

  @Test
  void bearerTokenIsRequiredOnTheApiAndMetrics() throws Exception {
    try (Server server = Server.start(base().withToken("s3cret-token"))) {
      HttpResponse<byte[]> none = HTTP.send(HttpRequest.newBuilder(server.uri().resolve("/metrics")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(401, none.statusCode());
      assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
      assertTrue(error(none).contains("missing bearer token"), body(none));

      HttpResponse<byte[]> wrong = HTTP.send(HttpRequest.newBuilder(server.uri().resolve("/metrics"))
          .header("Authorization", "Bearer s3cret-tokem").build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(401, wrong.statusCode());
      assertTrue(wrong.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));

      MultipartBody form = new MultipartBody().file("image", "x.jpg", "image/jpeg", frameBytes(0));
      HttpResponse<byte[]> embed = HTTP.send(request(server, "/v1/embed", form.contentType(), form.bytes()),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(401, embed.statusCode(), body(embed));

      HttpResponse<byte[]> right = HTTP.send(HttpRequest.newBuilder(server.uri().resolve("/v1/embed"))
          .header("Authorization", "Bearer s3cret-token").header("Content-Type", form.contentType())
          .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, right.statusCode(), body(right));
      assertEquals(200, send(server, "/health").statusCode(), "health needs no token");
    }
  }

  @Test
  void oversizedUploadIs413() throws Exception {
    ServerConfig c = base().withLimits(ServerLimits.defaults().withMaxRequestBytes(1 << 20));
    try (Server server = Server.start(c)) {
      MultipartBody form = new MultipartBody().file("frames", "clip.zip", "application/zip", new byte[2 << 20])
          .file("mask", "00000.png", "image/png", maskBytes());
      HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(server.uri().resolve("/v1/propagate"))
          .header("Content-Type", form.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(413, r.statusCode(), body(r));
      assertTrue(error(r).contains("exceeds the limit of 1048576"), body(r));
      // Without a Content-Length (chunked), the multipart parser stops at the limit.
      HttpResponse<byte[]> chunked = HTTP.send(HttpRequest.newBuilder(server.uri().resolve("/v1/propagate"))
          .header("Content-Type", form.contentType())
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(form.bytes()))).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(413, chunked.statusCode(), body(chunked));
      assertEquals(200, send(server, "/health").statusCode(), "the server still serves");
    }
  }

  @Test
  void malformedBodiesAre400WithOneLineJson() throws Exception {
    try (Server server = Server.start(base())) {
      assertError(server, new MultipartBody().file("frames", "clip.zip", "application/zip",
          new byte[] {'P', 'K', 3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28})
          .file("mask", "m.png", "image/png", maskBytes()), 400, "frames: corrupt zip file");
      assertError(server, new MultipartBody().file("frames", "clip.zip", "application/zip", "not a zip".getBytes())
          .file("mask", "m.png", "image/png", maskBytes()), 400, "frames: not a zip file");
      assertError(server, new MultipartBody().file("frames", "clip.zip", "application/zip", zip(demoFrames(2))),
          400, "missing file field 'mask'");
      assertError(server, new MultipartBody().file("frames", "clip.zip", "application/zip", zip(demoFrames(2)))
          .file("mask", "m.png", "image/png", maskBytes()).field("tpok", "3"), 400, "unknown form field 'tpok'");
      assertError(server, new MultipartBody().file("frames", "clip.zip", "application/zip", zip(demoFrames(2)))
          .file("mask", "m.png", "image/png", maskBytes()).field("topk", "0"), 400, "topK must be at least 1");
      assertError(server, new MultipartBody().file("frames", "clip.zip", "application/zip", zip(demoFrames(2)))
          .file("mask", "m.png", "image/png", maskBytes()).field("input_size", "100x100"), 400, "not a multiple");
      assertError(server, new MultipartBody().file("frame", "0.jpg", "image/jpeg", "garbage".getBytes())
          .file("mask", "m.png", "image/png", maskBytes()), 400, "frame/0.jpg: not an image format");
      assertError(server, new MultipartBody().file("frames", "clip.zip", "application/zip", zip(demoFrames(2)))
          .file("mask", "m.png", "image/png", frameBytes(0)), 400, "mask/m.png: not a PNG file");
      Map<String, byte[]> noNumber = new LinkedHashMap<>();
      noNumber.put("first.jpg", frameBytes(0));
      assertError(server, new MultipartBody().file("frames", "clip.zip", "application/zip", zip(noNumber))
          .file("mask", "m.png", "image/png", maskBytes()), 400, "no frame number");
      // A truncated JPEG is refused naming it, never propagated as a grey frame or an empty mask.
      byte[] cut = java.util.Arrays.copyOf(frameBytes(1), frameBytes(1).length / 2);
      Map<String, byte[]> withCut = new LinkedHashMap<>(demoFrames(2));
      withCut.put("clip/00001.jpg", cut);
      assertError(server, new MultipartBody().file("frames", "clip.zip", "application/zip", zip(withCut))
          .file("mask", "m.png", "image/png", maskBytes()), 400, "frames/clip/00001.jpg: cannot decode image (truncated or corrupt data");
      assertError(server, new MultipartBody().file("image", "cut.jpg", "image/jpeg", cut), 400,
          "image/cut.jpg: cannot decode image (truncated or corrupt data");
      HttpResponse<byte[]> notMultipart = HTTP.send(request(server, "/v1/embed", "application/json", "{}".getBytes()),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(415, notMultipart.statusCode(), body(notMultipart));
      HttpResponse<byte[]> missing = send(server, "/v2/nothing");
      assertEquals(404, missing.statusCode());
      assertTrue(error(missing).contains("no such endpoint"), body(missing));
    }
  }

  @Test
  void zipSlipNamesAre400AndNothingIsWritten(@TempDir Path cwdLike) throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (Server server = Server.start(base())) {
      for (String evil : List.of("../../cropmae-zip-slip-1.jpg", "/tmp/cropmae-zip-slip-2.jpg", "..\\cropmae-zip-slip-3.jpg",
          "ok/../../cropmae-zip-slip-4.jpg", "C:/cropmae-zip-slip-5.jpg")) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("00000.jpg", frameBytes(0));
        files.put(evil, frameBytes(1));
        assertError(server, new MultipartBody().file("frames", "clip.zip", "application/zip", zip(files))
            .file("mask", "m.png", "image/png", maskBytes()), 400, "unsafe entry name");
      }
      assertError(server, new MultipartBody().file("frame", "../00000.jpg", "image/jpeg", frameBytes(0))
          .file("mask", "m.png", "image/png", maskBytes()), 400, "unsafe entry name");
    }
    for (Path dir : List.of(tmp, tmp.getParent() == null ? tmp : tmp.getParent(), Path.of("").toAbsolutePath(),
        Path.of("").toAbsolutePath().getParent())) {
      try (Stream<Path> s = Files.list(dir)) {
        assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith("cropmae-zip-slip")).toList());
      }
    }
  }

  @Test
  void decompressionBombsAre413BeforeDecoding() throws Exception {
    try (Server server = Server.start(base())) {
      // A 60-byte PNG declaring 100000x100000 pixels (10^10 pixels, 30 GB decoded).
      byte[] bomb = pngHeaderOnly(100_000, 100_000);
      long before = allocatedBytes();
      assertError(server, new MultipartBody().file("frame", "00000.png", "image/png", bomb)
          .file("mask", "m.png", "image/png", bomb), 413, "100000x100000 image exceeds the limit");
      assertError(server, new MultipartBody().file("image", "x.png", "image/png", bomb), 413, "100000x100000 image exceeds");
      // A real JPEG whose SOF0 header is patched to declare 60000x60000 pixels.
      byte[] jpeg = frameBytes(0).clone();
      int sof = indexOfMarker(jpeg, 0xC0);
      jpeg[sof + 5] = (byte) (60000 >> 8);
      jpeg[sof + 6] = (byte) 60000;
      jpeg[sof + 7] = (byte) (60000 >> 8);
      jpeg[sof + 8] = (byte) 60000;
      assertError(server, new MultipartBody().file("image", "x.jpg", "image/jpeg", jpeg), 413, "60000x60000 image exceeds");
      // A bomb as the mask of a real frame: its header is compared with the frame's first.
      assertError(server, new MultipartBody().file("frame", "00000.jpg", "image/jpeg", frameBytes(0))
          .file("mask", "m.png", "image/png", bomb), 400, "the mask is 100000x100000 but the first frame is 320x480");
      long allocated = allocatedBytes() - before;
      assertTrue(allocated < 512L << 20, "the server allocated " + allocated + " bytes for four tiny bombs");

      // A zip entry of 64 MiB of zeros compresses to about 64 KiB: a ratio near 1000.
      ByteArrayOutputStream zipBomb = new ByteArrayOutputStream();
      try (ZipOutputStream z = new ZipOutputStream(zipBomb)) {
        z.putNextEntry(new ZipEntry("00000.jpg"));
        byte[] zeros = new byte[1 << 20];
        for (int i = 0; i < 64; i++) {
          z.write(zeros);
        }
        z.closeEntry();
      }
      assertError(server, new MultipartBody().file("frames", "clip.zip", "application/zip", zipBomb.toByteArray())
          .file("mask", "m.png", "image/png", maskBytes()), 413, "zip bomb");
    }
    try (Server server = Server.start(base().withLimits(ServerLimits.defaults().withMaxZipEntries(3)))) {
      assertError(server, new MultipartBody().file("frames", "clip.zip", "application/zip", zip(demoFrames(4)))
          .file("mask", "m.png", "image/png", maskBytes()), 413, "more than 3 entries");
    }
    try (Server server = Server.start(base().withLimits(ServerLimits.defaults().withMaxFrames(2)))) {
      assertError(server, new MultipartBody().file("frames", "clip.zip", "application/zip", zip(demoFrames(3)))
          .file("mask", "m.png", "image/png", maskBytes()), 413, "more than 2 images");
    }
    try (Server server = Server.start(base().withLimits(ServerLimits.defaults().withMaxTotalPixels(3 * 320 * 480 - 1)))) {
      assertError(server, new MultipartBody().file("frames", "clip.zip", "application/zip", zip(demoFrames(3)))
          .file("mask", "m.png", "image/png", maskBytes()), 413, "pixels per request (at frames/clip/00002.jpg)");
    }
  }

  @Test
  void computeBombsAre413BeforeAnythingIsEncoded() throws Exception {
    // A 2048x2048 black PNG is a few KB; encoded at its own size it would be 16385 tokens, and its
    // attention (heads x 16385^2 floats per block) gigabytes.
    java.awt.image.BufferedImage big = new java.awt.image.BufferedImage(2048, 2048, java.awt.image.BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    javax.imageio.ImageIO.write(big, "png", png);
    assertTrue(png.size() < 64 << 10, png.size() + " bytes");
    try (Server server = Server.start(base())) {
      long before = allocatedBytes();
      assertError(server, new MultipartBody().file("image", "big.png", "image/png", png.toByteArray()), 413,
          "big.png: a 2048x2048 input is 16385 tokens at patch size 16, more than the limit of 4097");
      assertError(server, new MultipartBody().file("image", "0.jpg", "image/jpeg", frameBytes(0)).field("size", "2048x2048"),
          413, "field size: a 2048x2048 input is 16385 tokens");
      assertError(server, new MultipartBody().file("frames", "clip.zip", "application/zip", zip(demoFrames(2)))
          .file("mask", "m.png", "image/png", maskBytes()).field("input_size", "2048x2048"), 413,
          "field input_size: a 2048x2048 input is 16385 tokens");
      assertError(server, new MultipartBody().file("frames", "clip.zip", "application/zip", zip(demoFrames(2)))
          .file("mask", "m.png", "image/png", maskBytes()).field("context", "400000000"), 413,
          "field context: context 400000000 on a 30x55 feature grid");
      assertError(server, new MultipartBody().file("frames", "clip.zip", "application/zip", zip(demoFrames(2)))
          .file("mask", "m.png", "image/png", maskBytes()).field("context", "2147483647"), 413,
          "field context: context 2147483647 on a 30x55 feature grid");
      long allocated = allocatedBytes() - before;
      assertTrue(allocated < 256L << 20, "the server allocated " + allocated + " bytes for five refused requests");
      assertEquals(200, send(server, "/health").statusCode(), "the server still serves");
      HttpResponse<byte[]> ok = post(server, "/v1/embed",
          new MultipartBody().file("image", "0.jpg", "image/jpeg", frameBytes(0)).field("size", "64x64"));
      assertEquals(200, ok.statusCode(), body(ok));
    }
  }

  // ---------------------------------------------------------------- helpers

  private static ServerConfig base() {
    return ServerConfig.defaults().withPort(0).withEncoderOptions(CPU_1T).withPropagationThreads(2)
        .withWorkers(1).withQueue(4).withTimeout(Duration.ofSeconds(60));
  }

  private static PropagationConfig testConfig() {
    return PropagationConfig.davis().withInputSize(new ProtocolSize.Fixed(320, 480));
  }

  private static List<byte[]> expectedMasks(int n, PropagationConfig config) throws IOException {
    List<byte[]> out = new ArrayList<>();
    RgbImage first = ImageFiles.readRgb(framePaths.get(0));
    IndexMask mask = PalettePng.decode(maskBytes(), "mask", null);
    out.add(PalettePng.encode(mask));
    try (ComputePool pool = ComputePool.create(2);
        MaskPropagator video = MaskPropagator.builder(encoder, config).pool(pool).start(first, mask)) {
      for (int t = 1; t < n; t++) {
        out.add(PalettePng.encode(video.next(ImageFiles.readRgb(framePaths.get(t)))));
      }
    }
    return out;
  }

  private static float[] expectedTokens(List<Integer> frames, ImageSize size) throws IOException {
    ImageNormalization norm = ImageNormalization.of(encoder.info().mean(), encoder.info().std());
    int d = encoder.info().embedDim();
    int tokens = 1 + size.height() / 16 * (size.width() / 16);
    float[] all = new float[frames.size() * tokens * d];
    for (int i = 0; i < frames.size(); i++) {
      NormalizedImage x = norm.apply(ImageFiles.readRgb(framePaths.get(frames.get(i))), size);
      EncoderOutput y = encoder.encode(x.chw(), 1, x.height(), x.width());
      System.arraycopy(y.clsTokens(), 0, all, i * tokens * d, d);
      System.arraycopy(y.patchFeatures().get(0).values(), 0, all, i * tokens * d + d, (tokens - 1) * d);
    }
    return all;
  }

  static byte[] frameBytes(int t) throws IOException {
    return resource(String.format(Locale.ROOT, "/org/cropmae/app/demo/frames/%05d.jpg", t));
  }

  static byte[] maskBytes() throws IOException {
    return resource("/org/cropmae/app/demo/masks/00000.png");
  }

  static Map<String, byte[]> demoFrames(int n) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    // Stored in reverse: the server orders by the number in the name, not by zip order.
    for (int t = n - 1; t >= 0; t--) {
      files.put(String.format(Locale.ROOT, "clip/%05d.jpg", t), frameBytes(t));
    }
    return files;
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ServerTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing resource " + name);
      }
      return in.readAllBytes();
    }
  }

  static byte[] zip(Map<String, byte[]> files) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return out.toByteArray();
  }

  static Map<String, byte[]> unzip(byte[] zip) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
        out.put(e.getName(), z.readAllBytes());
      }
    }
    return out;
  }

  /** A PNG with a valid IHDR declaring {@code w x h}, a tiny IDAT and IEND. */
  private static byte[] pngHeaderOnly(int w, int h) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13).order(ByteOrder.BIG_ENDIAN).putInt(w).putInt(h).put((byte) 8).put((byte) 3);
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "PLTE", new byte[] {0, 0, 0, (byte) 255, 0, 0});
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /** Offset of the first JPEG marker 0xFF {@code code}. */
  private static int indexOfMarker(byte[] jpeg, int code) {
    for (int i = 2; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == code) {
        return i;
      }
    }
    throw new AssertionError("no marker 0xFF" + Integer.toHexString(code));
  }

  /** Bytes allocated by all live threads of this JVM so far (HotSpot's per-thread counters). */
  private static long allocatedBytes() {
    var bean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (long id : bean.getAllThreadIds()) {
      sum += Math.max(0, bean.getThreadAllocatedBytes(id));
    }
    return sum;
  }

  private static HttpRequest request(Server server, String path, String contentType, byte[] body) {
    return HttpRequest.newBuilder(server.uri().resolve(path)).header("Content-Type", contentType)
        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  private static HttpResponse<byte[]> post(Server server, String path, MultipartBody form) throws Exception {
    return HTTP.send(request(server, path, form.contentType(), form.bytes()), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpResponse<byte[]> send(Server server, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void assertError(Server server, MultipartBody form, int status, String fragment) throws Exception {
    String path = form.bytes().length > 0 && new String(form.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1)
        .contains("name=\"image\"") ? "/v1/embed" : "/v1/propagate";
    HttpResponse<byte[]> r = post(server, path, form);
    assertEquals(status, r.statusCode(), body(r));
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
    String message = error(r);
    assertTrue(message.contains(fragment), "expected '" + fragment + "' in: " + message);
    assertFalse(message.contains("\n"), message);
  }

  private static String error(HttpResponse<byte[]> r) throws IOException {
    return JSON.readTree(r.body()).get("error").asText();
  }

  private static String body(HttpResponse<byte[]> r) {
    return r.statusCode() + " " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static long metric(Server server, String name) throws Exception {
    String text = new String(send(server, "/metrics").body(), java.nio.charset.StandardCharsets.UTF_8);
    return text.lines().filter(l -> l.startsWith(name + " ")).mapToLong(l -> Long.parseLong(l.substring(name.length() + 1)))
        .findFirst().orElseThrow(() -> new AssertionError("no metric " + name + " in " + text));
  }

  private static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** The pools of every server closed so far are gone: workers, propagation threads, Jetty's threads. */
  private static void assertNoServerThreads() throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    Set<String> alive;
    do {
      alive = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
          .filter(n -> n.startsWith("cropmae-serve-worker") || n.startsWith("cropmae-propagation")
              || n.startsWith("cropmae-body-timer")
              || n.startsWith("JettyServerThreadPool") || n.startsWith("qtp"))
          .collect(Collectors.toSet());
      if (alive.isEmpty()) {
        return;
      }
      Thread.sleep(20);
    } while (System.nanoTime() < until);
    throw new AssertionError("threads left after close: " + alive);
  }
}
