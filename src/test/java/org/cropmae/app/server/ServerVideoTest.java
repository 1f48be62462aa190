package org.cropmae.app.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.cropmae.app.video.FfmpegFrameSource;
import org.cropmae.app.video.TestVideos;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.PalettePng;
import org.cropmae.runtime.model.ModelRegistry;
import org.cropmae.runtime.onnx.EncoderOptions;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.cropmae.runtime.preprocess.ProtocolSize;
import org.cropmae.runtime.propagation.ComputePool;
import org.cropmae.runtime.propagation.PropagationConfig;
import org.cropmae.runtime.video.MaskPropagator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/propagate} and {@code /v1/jobs} with a video part: an MP4 encoded in the test,
 * masks compared with {@link MaskPropagator} on the same decoded frames, the overlay video's
 * frame count, size and rate, the job's progress and result, and the limits.
 */
class ServerVideoTest {
  private static final int W = 160;
  private static final int H = 96;
  private static final int FRAMES = 12;
  private static final EncoderOptions CPU_1T =
      EncoderOptions.defaults().withExecutionProvider(EncoderOptions.ExecutionProvider.CPU).withThreads(1, 1);
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static byte[] mp4;
  static byte[] mask;

  @BeforeAll
  static void makeVideo() throws Exception {
    mp4 = Files.readAllBytes(TestVideos.write(dir.resolve("clip.mp4"), W, H, FRAMES, 10, 3));
    mask = PalettePng.encode(TestVideos.square(W, H, 0, 3));
  }

  private static ServerConfig base() {
    return ServerConfig.defaults().withPort(0).withEncoderOptions(CPU_1T).withPropagationThreads(2)
        .withWorkers(1).withQueue(4).withTimeout(Duration.ofSeconds(60));
  }

  private static MultipartBody form(String... fields) {
    MultipartBody f = new MultipartBody().file("video", "clip.mp4", "video/mp4", mp4).file("mask", "m.png", "image/png", mask)
        .field("input_size", H + "x" + W);
    for (int i = 0; i < fields.length; i += 2) {
      f.field(fields[i], fields[i + 1]);
    }
    return f;
  }

  @Test
  void videoInMasksOutExactlyAsMaskPropagator() throws Exception {
    List<byte[]> want = new ArrayList<>();
    try (OnnxEncoder encoder = OnnxEncoder.open(ModelRegistry.bundled().resolve(ModelRegistry.bundled().defaultModel()), CPU_1T);
        FfmpegFrameSource src = FfmpegFrameSource.open(mp4, "clip.mp4");
        ComputePool pool = ComputePool.create(2)) {
      IndexMask m0 = PalettePng.decode(mask, "m", null);
      try (MaskPropagator p = MaskPropagator.builder(encoder,
          PropagationConfig.davis().withInputSize(new ProtocolSize.Fixed(H, W))).pool(pool).start(src.next(), m0)) {
        want.add(PalettePng.encode(m0));
        for (RgbImage f = src.next(); f != null; f = src.next()) {
          want.add(PalettePng.encode(p.next(f)));
        }
      }
    }
    try (Server server = Server.start(base())) {
      HttpResponse<byte[]> r = post(server, "/v1/propagate", form());
      assertEquals(200, r.statusCode(), body(r));
      assertEquals("application/zip", r.headers().firstValue("Content-Type").orElse(""));
      Map<String, byte[]> masks = unzip(r.body());
      assertEquals(FRAMES, masks.size());
      for (int t = 0; t < FRAMES; t++) {
        assertArrayEquals(want.get(t), masks.get(String.format(Locale.ROOT, "%05d.png", t)), "mask of frame " + t);
      }
    }
  }

  @Test
  void overlayVideoAndAJobWithProgress() throws Exception {
    try (Server server = Server.start(base())) {
      HttpResponse<byte[]> r = post(server, "/v1/propagate", form("output", "overlay", "every", "2"));
      assertEquals(200, r.statusCode(), body(r));
      assertEquals("video/mp4", r.headers().firstValue("Content-Type").orElse(""));
      assertVideo(r.body(), FRAMES / 2, W, H, 5.0);

      HttpResponse<byte[]> sync = post(server, "/v1/propagate", form("start", "0.3s", "mask_frame", "1", "max_frames", "5"));
      assertEquals(200, sync.statusCode(), body(sync));
      assertEquals(List.of("00004.png", "00005.png", "00006.png", "00007.png", "00008.png"), new ArrayList<>(unzip(sync.body()).keySet()));

      HttpResponse<byte[]> created = post(server, "/v1/jobs", form("start", "0.3s", "mask_frame", "1", "max_frames", "5"));
      assertEquals(202, created.statusCode(), body(created));
      JsonNode job = JSON.readTree(created.body());
      String id = job.get("id").asText();
      assertEquals(32, id.length());
      assertEquals(5, job.get("frames_total").asInt());
      JsonNode status = job;
      for (int i = 0; i < 600 && !status.get("state").asText().matches("done|failed"); i++) {
        Thread.sleep(100);
        status = JSON.readTree(get(server, "/v1/jobs/" + id).body());
        assertTrue(status.get("frames_done").asInt() <= 5, status.toString());
      }
      assertEquals("done", status.get("state").asText(), status.toString());
      assertEquals(5, status.get("frames_done").asInt());
      HttpResponse<byte[]> result = get(server, "/v1/jobs/" + id + "/result");
      assertEquals(200, result.statusCode());
      Map<String, byte[]> a = unzip(result.body());
      Map<String, byte[]> b = unzip(sync.body());
      assertEquals(b.keySet(), a.keySet());
      for (String k : a.keySet()) {
        assertArrayEquals(b.get(k), a.get(k), k);
      }
      assertEquals(404, get(server, "/v1/jobs/0123456789abcdef0123456789abcdef").statusCode());
      assertEquals(404, get(server, "/v1/jobs/nope/result").statusCode());
    }
  }

  @Test
  void rotatedVideoTakesAStoredSizeMaskAndAnswersUprightMasks() throws Exception {
    Path portrait = dir.resolve("portrait.mp4");
    try (org.cropmae.app.video.VideoWriter w = TestVideos.rotated(portrait, W, H, 10, -90)) {
      for (int t = 0; t < 3; t++) {
        w.write(TestVideos.frame(W, H, t, 3));
      }
      w.finish();
    }
    try (Server server = Server.start(base())) {
      HttpResponse<byte[]> r = post(server, "/v1/propagate", new MultipartBody()
          .file("video", "portrait.mp4", "video/mp4", Files.readAllBytes(portrait))
          .file("mask", "m.png", "image/png", mask).field("input_size", W + "x" + H));
      assertEquals(200, r.statusCode(), body(r));
      Map<String, byte[]> masks = unzip(r.body());
      assertEquals(3, masks.size());
      IndexMask m0 = PalettePng.decode(masks.get("00000.png"), "00000.png", null);
      assertEquals(W, m0.height(), "upright: as tall as the stored frame is wide");
      assertEquals(H, m0.width());
      assertArrayEquals(org.cropmae.app.video.Rotation.rotate(PalettePng.decode(mask, "m", null), 90).indices(), m0.indices());
    }
  }

  @Test
  void limitsAndBadInputAreRefusedBeforeDecoding() throws Exception {
    ServerConfig tight = base().withLimits(ServerLimits.defaults().withMaxVideoSeconds(1).withMaxFrames(8));
    try (Server server = Server.start(tight)) {
      HttpResponse<byte[]> longVideo = post(server, "/v1/propagate", form());
      assertEquals(413, longVideo.statusCode(), body(longVideo));
      assertTrue(body(longVideo).contains("video/clip.mp4") && body(longVideo).contains("1 s"), body(longVideo));
    }
    try (Server server = Server.start(base().withLimits(ServerLimits.defaults().withMaxFrames(8)))) {
      HttpResponse<byte[]> many = post(server, "/v1/propagate", form());
      assertEquals(413, many.statusCode(), body(many));
      assertTrue(body(many).contains("12 frames"), body(many));
      assertEquals(200, post(server, "/v1/propagate", form("every", "2")).statusCode(), "6 frames fit");
    }
    try (Server server = Server.start(base().withLimits(ServerLimits.defaults().withMaxTotalPixels(10L * W * H)))) {
      HttpResponse<byte[]> pixels = post(server, "/v1/propagate", form());
      assertEquals(413, pixels.statusCode(), body(pixels));
      assertTrue(body(pixels).contains("decoded pixels"), body(pixels));
    }
    try (Server server = Server.start(base())) {
      HttpResponse<byte[]> garbage = post(server, "/v1/propagate", new MultipartBody()
          .file("video", "x.mp4", "video/mp4", "no video here".repeat(40).getBytes(StandardCharsets.UTF_8))
          .file("mask", "m.png", "image/png", mask));
      assertEquals(415, garbage.statusCode(), body(garbage));
      assertTrue(body(garbage).contains("video/x.mp4"), body(garbage));

      HttpResponse<byte[]> codec = post(server, "/v1/propagate", new MultipartBody()
          .file("video", "codec.mp4", "video/mp4", TestVideos.unsupportedCodec(dir)).file("mask", "m.png", "image/png", mask));
      assertEquals(415, codec.statusCode(), body(codec));
      assertTrue(body(codec).contains("video/codec.mp4") && body(codec).contains("unsupported codec"), body(codec));

      byte[] half = java.util.Arrays.copyOf(mp4, mp4.length / 2);
      HttpResponse<byte[]> truncated = post(server, "/v1/propagate", new MultipartBody()
          .file("video", "cut.mp4", "video/mp4", half).file("mask", "m.png", "image/png", mask));
      assertTrue(truncated.statusCode() == 400 || truncated.statusCode() == 415, body(truncated));
      assertTrue(body(truncated).contains("video/cut.mp4"), body(truncated));

      HttpResponse<byte[]> wrongMask = post(server, "/v1/propagate", new MultipartBody()
          .file("video", "clip.mp4", "video/mp4", mp4)
          .file("mask", "small.png", "image/png", PalettePng.encode(TestVideos.square(W / 2, H, 0, 3))));
      assertEquals(400, wrongMask.statusCode(), body(wrongMask));
      assertTrue(body(wrongMask).contains("mask/small.png") && body(wrongMask).contains("96x160"), body(wrongMask));

      HttpResponse<byte[]> both = post(server, "/v1/propagate", form().file("frame", "a.jpg", "image/jpeg", new byte[10]));
      assertEquals(400, both.statusCode(), body(both));
      HttpResponse<byte[]> badEvery = post(server, "/v1/propagate", form("every", "0"));
      assertEquals(400, badEvery.statusCode(), body(badEvery));
      HttpResponse<byte[]> badFormat = post(server, "/v1/propagate", form("output", "overlay", "format", "avi"));
      assertEquals(400, badFormat.statusCode(), body(badFormat));
    }
  }

  static void assertVideo(byte[] video, int frames, int width, int height, double fps) throws Exception {
    try (FfmpegFrameSource src = FfmpegFrameSource.open(video, "answer")) {
      assertEquals(width, src.width());
      assertEquals(height, src.height());
      assertEquals(fps, src.frameRate(), 0.01);
      int n = 0;
      while (src.next() != null) {
        n++;
      }
      assertEquals(frames, n);
    }
  }

  static Map<String, byte[]> unzip(byte[] zip) throws Exception {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
        out.put(e.getName(), z.readAllBytes());
      }
    }
    return out;
  }

  static HttpResponse<byte[]> post(Server server, String path, MultipartBody form) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(server.uri().resolve(path)).header("Content-Type", form.contentType())
        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpResponse<byte[]> get(Server server, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  static String body(HttpResponse<byte[]> r) {
    return r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8);
  }
}
