package org.cropmae.app.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.Palette;
import org.cropmae.runtime.mask.PalettePng;
import org.cropmae.runtime.onnx.EncoderOptions;

/**
 * Load benchmark of {@code POST /v1/propagate}: starts a {@link Server} in-process on loopback,
 * sends the same generated clip (a textured background and a moving disc, JPEG frames, a
 * one-object mask) from {@code c} client threads at once for each concurrency {@code c}, and
 * reports requests/s, frames/s and latency percentiles. Every level is bounded in request count
 * and in time; traffic never leaves 127.0.0.1.
 */
public final class ServeBenchmark {
  private ServeBenchmark() {}

  /**
   * What to measure.
   *
   * @param frames frames per request
   * @param height frame height in pixels
   * @param width frame width in pixels
   * @param concurrency client threads of each level, e.g. 1, 4, 16
   * @param requestsPerClient requests each client thread sends per level (after one warm-up request)
   * @param maxSecondsPerLevel no new request starts after this long in a level
   * @param workers server workers; the queue is sized so that no level is refused (503s are counted anyway)
   * @param model registry name or ONNX file, or {@code null} for the default model
   * @param preset propagation preset sent as the {@code preset} field (davis: frames resized to 480x880)
   */
  public record Settings(int frames, int height, int width, int[] concurrency, int requestsPerClient, double maxSecondsPerLevel,
      int workers, String model, String preset) {
    public Settings {
      concurrency = concurrency.clone();
      if (frames < 1 || height < 16 || width < 16 || requestsPerClient < 1 || workers < 1 || !(maxSecondsPerLevel > 0)) {
        throw new IllegalArgumentException("benchmark settings out of range: frames " + frames + ", size " + height + "x" + width
            + ", requests per client " + requestsPerClient + ", workers " + workers + ", seconds " + maxSecondsPerLevel);
      }
      for (int c : concurrency) {
        if (c < 1) {
          throw new IllegalArgumentException("concurrency levels must be at least 1, got " + Arrays.toString(concurrency));
        }
      }
    }

    /** 10 frames of 480x880 (DAVIS preset), concurrency 1, 4 and 16, 2 requests per client, 120 s per level, 2 workers. */
    public static Settings defaults() {
      return new Settings(10, 480, 880, new int[] {1, 4, 16}, 2, 120, 2, null, "davis");
    }

    @Override
    public int[] concurrency() {
      return concurrency.clone();
    }
  }

  /**
   * One concurrency level.
   *
   * @param concurrency client threads
   * @param requests requests sent (the warm-up excluded)
   * @param ok answered 200
   * @param rejected answered 503
   * @param failed any other answer or a transport error
   * @param seconds wall time of the level
   * @param requestsPerSecond {@code ok / seconds}
   * @param framesPerSecond {@code ok * frames / seconds}
   * @param p50Ms median latency of the 200 answers, ms
   * @param p99Ms 99th percentile latency of the 200 answers, ms (nearest rank)
   * @param maxMs slowest 200 answer, ms
   * @param cpuShare CPU time of this process (server and clients) over {@code seconds x processors}: well
   *     below 1 with the server busy means other processes took the cores
   * @param loadAverage the system load average (1 minute) at the end of the level
   */
  public record Level(int concurrency, int requests, int ok, int rejected, int failed, double seconds, double requestsPerSecond,
      double framesPerSecond, double p50Ms, double p99Ms, double maxMs, double cpuShare, double loadAverage) {}

  /**
   * The measurements.
   *
   * @param settings what was measured
   * @param processors {@link Runtime#availableProcessors()} of the machine
   * @param provider the encoder's execution provider (CPU or CUDA)
   * @param requestBytes size of one request body
   * @param levels one entry per concurrency level, in order
   */
  public record Result(Settings settings, int processors, String provider, int requestBytes, List<Level> levels) {
    public Result {
      levels = List.copyOf(levels);
    }

    /** As JSON, for {@code cropmae bench serve}. */
    public String toJson() {
      ObjectMapper json = new ObjectMapper();
      ObjectNode o = json.createObjectNode();
      o.put("benchmark", "serve");
      o.put("endpoint", "POST /v1/propagate");
      o.put("frames", settings.frames());
      o.put("frame_size", settings.height() + "x" + settings.width());
      o.put("preset", settings.preset());
      o.put("model", settings.model() == null ? "default" : settings.model());
      o.put("workers", settings.workers());
      o.put("processors", processors);
      o.put("provider", provider);
      o.put("request_bytes", requestBytes);
      ArrayNode ls = o.putArray("levels");
      for (Level l : levels) {
        ObjectNode n = ls.addObject();
        n.put("concurrency", l.concurrency());
        n.put("requests", l.requests());
        n.put("ok", l.ok());
        n.put("rejected_503", l.rejected());
        n.put("failed", l.failed());
        n.put("seconds", round(l.seconds()));
        n.put("requests_per_s", round(l.requestsPerSecond()));
        n.put("frames_per_s", round(l.framesPerSecond()));
        n.put("p50_ms", round(l.p50Ms()));
        n.put("p99_ms", round(l.p99Ms()));
        n.put("max_ms", round(l.maxMs()));
        n.put("process_cpu_share", round(l.cpuShare()));
        n.put("load_average", round(l.loadAverage()));
      }
      try {
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(o);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static double round(double v) {
      return Math.round(v * 1000) / 1000.0;
    }
  }

  /**
   * Runs the benchmark.
   *
   * @throws IOException when the server cannot start (model, port)
   */
  public static Result run(Settings s) throws IOException {
    int maxConcurrency = Arrays.stream(s.concurrency()).max().orElse(1);
    ServerConfig config = ServerConfig.defaults().withPort(0).withModel(s.model()).withWorkers(s.workers())
        .withQueue(maxConcurrency).withTimeout(Duration.ofSeconds(Math.max(120, (long) s.maxSecondsPerLevel() * 2)))
        .withEncoderOptions(EncoderOptions.defaults());
    MultipartBody body = clip(s);
    byte[] bytes = body.bytes();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<Level> levels = new ArrayList<>();
    String provider;
    try (Server server = Server.start(config)) {
      provider = server.encoderProvider();
      HttpRequest request = HttpRequest.newBuilder(server.uri().resolve("/v1/propagate"))
          .header("Content-Type", body.contentType()).timeout(config.timeout())
          .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
      send(http, request); // warm-up: encoder graph, JIT, allocation
      for (int c : s.concurrency()) {
        levels.add(level(http, request, c, s));
      }
    }
    return new Result(s, Runtime.getRuntime().availableProcessors(), provider, bytes.length, levels);
  }

  private static Level level(HttpClient http, HttpRequest request, int clients, Settings s) {
    long deadline = System.nanoTime() + (long) (s.maxSecondsPerLevel() * 1e9);
    AtomicInteger ok = new AtomicInteger(), rejected = new AtomicInteger(), failed = new AtomicInteger(), sent = new AtomicInteger();
    List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(clients, r -> {
      Thread t = new Thread(r, "cropmae-bench-client");
      t.setDaemon(true);
      return t;
    });
    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long start = System.nanoTime();
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      done.add(CompletableFuture.runAsync(() -> {
        for (int k = 0; k < s.requestsPerClient() && System.nanoTime() < deadline; k++) {
          sent.incrementAndGet();
          long t0 = System.nanoTime();
          int status = send(http, request);
          double ms = (System.nanoTime() - t0) / 1e6;
          if (status == 200) {
            ok.incrementAndGet();
            latencies.add(ms);
          } else if (status == 503) {
            rejected.incrementAndGet();
          } else {
            failed.incrementAndGet();
          }
        }
      }, pool));
    }
    CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0])).join();
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuShare = (os.getProcessCpuTime() - cpu0) / 1e9 / (seconds * Runtime.getRuntime().availableProcessors());
    pool.shutdown();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Level(clients, sent.get(), ok.get(), rejected.get(), failed.get(), seconds, ok.get() / seconds,
        ok.get() * (double) s.frames() / seconds, percentile(sorted, 50), percentile(sorted, 99),
        sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1], cpuShare, os.getSystemLoadAverage());
  }

  /** Nearest-rank percentile; NaN when there is no sample. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** Status code, or -1 for a transport error. */
  private static int send(HttpClient http, HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The generated clip as a propagate request: a zip of JPEG frames and the first mask. */
  static MultipartBody clip(Settings s) {
    int h = s.height(), w = s.width();
    Random rnd = new Random(42);
    int[] texture = new int[h * w];
    for (int i = 0; i < texture.length; i++) {
      texture[i] = rnd.nextInt(40);
    }
    int radius = Math.max(4, Math.min(h, w) / 6);
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    byte[] mask;
    try (ZipOutputStream z = new ZipOutputStream(zip)) {
      byte[] first = null;
      for (int t = 0; t < s.frames(); t++) {
        int cx = radius + (w - 2 * radius) * t / Math.max(1, s.frames() - 1);
        int cy = h / 2;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] idx = new byte[h * w];
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            boolean inside = (long) (x - cx) * (x - cx) + (long) (y - cy) * (y - cy) < (long) radius * radius;
            int base = 60 + 100 * x / w + texture[y * w + x];
            int r = inside ? 220 : base, g = inside ? 60 + texture[y * w + x] : base, b = inside ? 40 : 255 - base;
            img.setRGB(x, y, r << 16 | g << 8 | b);
            idx[y * w + x] = (byte) (inside ? 1 : 0);
          }
        }
        if (t == 0) {
          first = idx;
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "jpg", jpeg)) {
          throw new IllegalStateException("no JPEG writer in this Java runtime");
        }
        z.putNextEntry(new ZipEntry(String.format(Locale.ROOT, "%05d.jpg", t)));
        z.write(jpeg.toByteArray());
        z.closeEntry();
      }
      mask = PalettePng.encode(new IndexMask(h, w, first, Palette.DAVIS));
    } catch (IOException e) {
      throw new UncheckedIOException("building the benchmark clip in memory failed", e);
    }
    return new MultipartBody().file("frames", "clip.zip", "application/zip", zip.toByteArray())
        .file("mask", "00000.png", "image/png", mask).field("preset", s.preset());
  }
}
