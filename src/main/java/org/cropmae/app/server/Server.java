package org.cropmae.app.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cropmae.app.cli.PropagationOptions;
import org.cropmae.app.video.FrameSelection;
import org.cropmae.app.video.VideoWriter;
import org.cropmae.runtime.budget.BudgetExceededException;
import org.cropmae.runtime.io.Npy;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.model.ModelRegistry;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.cropmae.runtime.preprocess.ImageSize;
import org.cropmae.runtime.propagation.ComputePool;
import org.cropmae.runtime.propagation.PropagationConfig;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * The CropMAE HTTP server: mask propagation and feature extraction over HTTP (Javalin on Jetty).
 * The API is described in {@code docs/SERVER.md} and, as OpenAPI 3, at {@code GET /openapi.json}.
 *
 * <p>Design: one encoder shared by all requests (ONNX Runtime sessions are thread-safe), one
 * affinity thread pool shared by all requests, and a bounded {@link WorkPool} of
 * {@link ServerConfig#workers()} threads plus {@link ServerConfig#queue()} waiting places. A
 * request takes a place before its body is read and gets 503 with {@code Retry-After} when there
 * is none, so memory is bounded by {@code (workers + queue) x maxRequestBytes} plus each worker's
 * propagation state (about {@code (context + 1) x h x w x D} floats).
 *
 * <p>{@link #close()} shuts down gracefully: the port stops accepting, requests in flight finish
 * (up to the request timeout), then the workers and the encoder are closed.
 */
public final class Server implements AutoCloseable {
  /** The routes, as metrics label them; anything else is {@code other}. */
  public static final List<String> ROUTES = List.of("/health", "/metrics", "/openapi.json", "/v1/propagate", "/v1/embed",
      "/v1/jobs", "/v1/jobs/{id}", "/v1/jobs/{id}/result", "/");

  private static final System.Logger LOG = System.getLogger(Server.class.getName());
  private static final String OPENAPI = "/org/cropmae/app/server/openapi.json";
  private static final String BODY_READ = "cropmae.bodyRead";
  private static final Set<String> PROPAGATE_FILES = Set.of("frames", "frame", "mask", "video");
  private static final Set<String> PROPAGATE_FIELDS = Set.of("preset", "context", "topk", "temperature", "radius", "input_size",
      "every", "start", "end", "max_frames", "mask_frame", "mask_time", "output", "format");
  private static final Set<String> VIDEO_FIELDS = Set.of("every", "start", "end", "max_frames", "mask_frame", "mask_time", "output", "format");
  /** Jobs kept at once (queued, running or finished) and how long a finished one is kept. */
  static final int MAX_JOBS = 32;
  static final Duration JOB_TTL = Duration.ofMinutes(10);
  private static final Set<String> EMBED_FILES = Set.of("image");
  private static final Set<String> EMBED_FIELDS = Set.of("size");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServerConfig config;
  private final String modelName;
  private final OnnxEncoder encoder;
  private final ComputePool computePool;
  private final WorkPool workPool;
  private final ServerMetrics metrics;
  private final Jobs jobs = new Jobs(MAX_JOBS, JOB_TTL);
  private final WebPage page = new WebPage();
  private final byte[] openApi;
  private final byte[] tokenDigest;
  private final Duration grace;
  /** Interrupts request threads whose body is still arriving at the request's deadline (see {@link BodyDeadline}). */
  private final java.util.concurrent.ScheduledExecutorService bodyTimer =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cropmae-body-timer");
        t.setDaemon(true);
        return t;
      });
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean draining;
  private Javalin javalin;
  private int port;

  private Server(ServerConfig config, String modelName, OnnxEncoder encoder) throws IOException {
    this.config = config;
    this.modelName = modelName;
    this.encoder = encoder;
    this.computePool = ComputePool.create(config.propagationThreads());
    this.workPool = new WorkPool(config.workers(), config.queue());
    this.metrics = new ServerMetrics(workPool::queueDepth, workPool::running, config.queue(), config.workers());
    this.tokenDigest = config.token() == null ? null : sha256(config.token());
    this.grace = config.timeout().plusSeconds(5);
    try (InputStream in = Server.class.getResourceAsStream(OPENAPI)) {
      if (in == null) {
        throw new IOException(OPENAPI + " is missing from the application jar");
      }
      this.openApi = in.readAllBytes();
    }
  }

  /**
   * Opens the encoder and starts listening.
   *
   * @throws IOException when the model cannot be resolved or opened, or the port cannot be bound
   * @throws IllegalArgumentException when the model name is not in the registry
   */
  public static Server start(ServerConfig config) throws IOException {
    ModelRegistry registry = ModelRegistry.bundled();
    String name = config.model() == null ? registry.defaultModel() : config.model();
    Path file = registry.resolve(name);
    OnnxEncoder encoder = OnnxEncoder.open(file, config.encoderOptions());
    Server server = null;
    try {
      server = new Server(config, name, encoder);
      server.listen();
      return server;
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        server.releaseResources();
      } else {
        encoder.close();
      }
      throw e;
    }
  }

  private void listen() throws IOException {
    javalin = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.http.maxRequestSize = config.limits().maxRequestBytes();
      // Masks are PNGs in a zip and features are float32: neither gains from gzip, which costs CPU.
      cfg.http.compressionStrategy = CompressionStrategy.NONE;
      cfg.jetty.modifyServer(server -> {
        // Stop = stop accepting, let requests in flight finish (up to the grace period), then stop.
        server.setHandler(new GracefulHandler());
        server.setStopTimeout(grace.toMillis());
      });
      cfg.requestLogger.http((ctx, ms) -> metrics.request(routeLabel(ctx.path()), ctx.statusCode(), ms / 1000.0));
      cfg.routes.before("/v1/*", this::authorize);
      cfg.routes.before("/metrics", this::authorize);
      cfg.routes.get("/health", this::health);
      cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.render()));
      cfg.routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
      cfg.routes.post("/v1/propagate", this::propagate);
      cfg.routes.post("/v1/jobs", this::createJob);
      cfg.routes.get("/v1/jobs/{id}", this::jobStatus);
      cfg.routes.get("/v1/jobs/{id}/result", ctx -> jobResult(ctx, null));
      cfg.routes.get("/v1/jobs/{id}/result/{part}", ctx -> jobResult(ctx, ctx.pathParam("part")));
      cfg.routes.get("/", ctx -> page.serve(ctx, "index.html"));
      cfg.routes.get("/web/{file}", ctx -> page.serve(ctx, ctx.pathParam("file")));
      cfg.routes.post("/v1/embed", this::embed);
      cfg.routes.exception(HttpError.class, this::answerError);
      cfg.routes.exception(Exception.class, (e, ctx) -> {
        LOG.log(System.Logger.Level.WARNING, "internal error on " + ctx.method() + " " + ctx.path(), e);
        answerError(new HttpError(500, "internal error: " + ZipUploads.oneLine(e), Map.of()), ctx);
      });
      cfg.routes.error(404, ctx -> writeError(ctx, "no such endpoint: " + ctx.method() + " " + ctx.path()));
    });
    try {
      javalin.start(config.host(), config.port());
    } catch (RuntimeException e) {
      throw new IOException("cannot listen on " + config.host() + ":" + config.port() + " (" + ZipUploads.oneLine(e) + ")", e);
    }
    port = javalin.port();
    // A long propagation sends nothing for a while; the connection must outlive the request timeout.
    long idle = Math.max(30_000, grace.toMillis() + 5_000);
    for (Connector c : javalin.jettyServer().server().getConnectors()) {
      if (c instanceof org.eclipse.jetty.server.AbstractConnector a) {
        a.setIdleTimeout(idle);
      }
    }
  }

  /** The port the server listens on (the chosen one when the configuration said 0). */
  public int port() {
    return port;
  }

  /** {@code http://host:port/} (also after {@link #close()}, for messages). */
  public URI uri() {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return URI.create("http://" + host + ":" + port() + "/");
  }

  /** The model name (registry name or file) the encoder was opened from. */
  public String modelName() {
    return modelName;
  }

  /** The execution provider the encoder runs on ({@code CPU} or {@code CUDA}). */
  public String encoderProvider() {
    return encoder.info().executionProvider();
  }

  /** The configuration the server runs with. */
  public ServerConfig config() {
    return config;
  }

  /** Blocks until {@link #close()} has finished. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /**
   * Graceful shutdown: stops accepting connections, lets requests in flight finish (up to the
   * request timeout plus 5 s), then stops the workers and closes the encoder. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    draining = true;
    try {
      javalin.stop();
    } finally {
      releaseResources();
    }
  }

  private void releaseResources() {
    try {
      bodyTimer.shutdownNow();
      workPool.shutdown(grace);
      computePool.close();
    } finally {
      encoder.close();
      stopped.countDown();
    }
  }

  // --- endpoints ---

  private void health(Context ctx) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("status", draining ? "stopping" : "ok");
    o.put("model", modelName);
    o.put("architecture", encoder.info().architecture());
    o.put("provider", encoder.info().executionProvider());
    o.put("patch_size", encoder.info().patchSize());
    o.put("embed_dim", encoder.info().embedDim());
    o.put("workers", config.workers());
    o.put("queue", config.queue());
    o.put("queue_depth", workPool.queueDepth());
    o.put("in_flight", workPool.running());
    ctx.status(draining ? 503 : 200).contentType("application/json").result(JSON.writeValueAsBytes(o));
  }

  private void propagate(Context ctx) {
    String route = "/v1/propagate";
    serve(ctx, deadline -> {
      PropagateWork work = readPropagation(ctx, deadline);
      return d -> {
        Jobs.Result r = work.compute().run(d, n -> metrics.frames(route, 1));
        return (Answer) c -> c.status(200).contentType(r.contentType())
            .header("Content-Disposition", "attachment; filename=\"" + r.fileName() + "\"").result(r.bytes());
      };
    });
  }

  /** A checked propagation request: frames expected ({@code -1} unknown) and the work. */
  private record PropagateWork(long total, Compute compute) {}

  /** Computes a propagation, telling {@code done} the frames finished so far. */
  @FunctionalInterface
  private interface Compute {
    Jobs.Result run(WorkPool.Deadline deadline, java.util.function.IntConsumer done);
  }

  /** Reads and checks the form of {@code /v1/propagate} and {@code /v1/jobs} (request thread, before any pixel is decoded). */
  private PropagateWork readPropagation(Context ctx, WorkPool.Deadline deadline) {
    MultipartForm form = MultipartForm.read(ctx.req(), config.limits(), PROPAGATE_FILES, PROPAGATE_FIELDS,
        new MultipartForm.BodyReading(bodyTimer, deadline));
    NamedBytes mask = single(form, "mask", "the first frame's mask (palette PNG)");
    PropagationConfig pc = propagationConfig(form);
    List<NamedBytes> videos = form.files("video");
    if (videos.isEmpty()) {
      for (String f : VIDEO_FIELDS) {
        if (form.field(f) != null) {
          throw HttpError.badRequest("field " + f + " applies to a 'video' part; frames are sent whole");
        }
      }
      List<NamedBytes> frames = frames(form);
      Propagation.Plan plan = Propagation.validate(frames, mask, config.limits());
      checkPropagationSize(pc, plan.frameSize());
      return new PropagateWork(frames.size(), (d, done) -> new Jobs.Result(
          Propagation.run(encoder, computePool, pc, frames, mask, plan, d, t -> done.accept(t + 1)), "application/zip", "masks.zip"));
    }
    if (videos.size() > 1 || !form.files("frames").isEmpty() || !form.files("frame").isEmpty()) {
      throw HttpError.badRequest("give one 'video' part, or frames ('frames' zip or 'frame' parts), not both");
    }
    NamedBytes video = videos.get(0);
    FrameSelection selection;
    try {
      selection = FrameSelection.parse(form.field("start"), form.field("end"), form.intField("every"), form.intField("max_frames"),
          form.intField("mask_frame"), form.doubleField("mask_time"), "field ");
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest(e.getMessage());
    }
    String output = form.field("output") == null ? "masks" : form.field("output");
    if (!output.equals("masks") && !output.equals("overlay") && !output.equals("both")) {
      throw HttpError.badRequest("field output: expected masks, overlay or both, got '" + ZipUploads.printable(output) + "'");
    }
    VideoWriter.Format format;
    try {
      format = output.equals("masks") ? null : VideoWriter.Format.of(form.field("format") == null ? "mp4" : form.field("format"));
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest("field format: " + e.getMessage());
    }
    boolean masks = !output.equals("overlay");
    VideoRequest.Plan plan = VideoRequest.validate(video, mask, selection, config.limits());
    checkPropagationSize(pc, plan.frameSize());
    return new PropagateWork(plan.frames(), (d, done) -> {
      VideoRequest.Outputs o = VideoRequest.run(encoder, computePool, pc, video, mask, selection, config.limits(), plan, masks,
          format, d, done);
      Jobs.Result zip = o.masks() == null ? null : new Jobs.Result(o.masks(), "application/zip", "masks.zip");
      Jobs.Result film = o.overlay() == null ? null : new Jobs.Result(o.overlay(), format.mediaType(), "overlay." + format.extension());
      if (zip == null || film == null) {
        return zip != null ? zip : film;
      }
      return new Jobs.Result(bundle(o.masks(), film), "application/zip", "propagation.zip", Map.of("masks", zip, "overlay", film));
    });
  }

  /** One zip with the masks under {@code masks/} and the overlay video beside them. */
  private static byte[] bundle(byte[] masksZip, Jobs.Result overlay) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(masksZip));
        java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
      for (java.util.zip.ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        Propagation.put(zip, "masks/" + e.getName(), in.readAllBytes());
      }
      Propagation.put(zip, overlay.fileName(), overlay.bytes());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("in-memory zip failed", e);
    }
    return out.toByteArray();
  }

  /**
   * Checks what can be refused before the body is read (shutting down, declared size, content
   * type) and takes a place in the work pool.
   */
  private WorkPool.Ticket admit(Context ctx) {
    if (draining) {
      throw unavailable("the server is shutting down", 1);
    }
    long declared = ctx.req().getContentLengthLong();
    if (declared > config.limits().maxRequestBytes()) {
      throw HttpError.tooLarge("request body of " + declared + " bytes exceeds the limit of " + config.limits().maxRequestBytes());
    }
    MultipartForm.requireMultipart(ctx.req());
    WorkPool.Ticket ticket = workPool.admit();
    if (ticket == null) {
      throw unavailable("the server is busy (" + config.workers() + " running, " + config.queue() + " queued); retry later",
          workPool.retryAfterSeconds());
    }
    return ticket;
  }

  // --- jobs ---

  private void createJob(Context ctx) {
    WorkPool.Ticket ticket = admit(ctx);
    boolean submitted = false;
    try {
      WorkPool.Deadline deadline = new WorkPool.Deadline(config.timeout());
      ctx.attribute(BODY_READ, true);
      PropagateWork work = readPropagation(ctx, deadline);
      Jobs.Job job = jobs.create(work.total());
      String route = "/v1/propagate";
      ticket.submit(d -> {
        job.running();
        try {
          job.succeeded(work.compute().run(d, n -> {
            job.done.set(n);
            metrics.frames(route, 1);
          }));
        } catch (HttpError e) {
          job.failed(e);
        } catch (WorkPool.TimedOut e) {
          job.failed(timeout(e));
        } catch (IllegalArgumentException e) {
          job.failed(HttpError.of(e));
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "internal error in job " + job.id, e);
          job.failed(new HttpError(500, "internal error: " + ZipUploads.oneLine(e), Map.of()));
        }
        return null;
      }, deadline);
      submitted = true;
      ctx.status(202).header("Location", "/v1/jobs/" + job.id).contentType("application/json").result(JSON.writeValueAsBytes(jobJson(job)));
    } catch (IOException e) {
      throw new IllegalStateException("writing the response failed: " + ZipUploads.oneLine(e), e);
    } finally {
      if (!submitted) {
        ticket.release();
      }
    }
  }

  private Jobs.Job job(Context ctx) {
    Jobs.Job job = jobs.get(ctx.pathParam("id"));
    if (job == null) {
      throw new HttpError(404, "no job " + ZipUploads.printable(ctx.pathParam("id")) + " (unknown, or finished more than "
          + JOB_TTL.toMinutes() + " minutes ago)", Map.of());
    }
    return job;
  }

  private ObjectNode jobJson(Jobs.Job job) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", job.id);
    o.put("state", job.state().name().toLowerCase(java.util.Locale.ROOT));
    o.put("frames_done", job.done.get());
    if (job.total >= 0) {
      o.put("frames_total", job.total);
    } else {
      o.putNull("frames_total");
    }
    o.put("status_url", "/v1/jobs/" + job.id);
    o.put("result_url", "/v1/jobs/" + job.id + "/result");
    if (job.error() != null) {
      o.put("error", job.error().getMessage());
      o.put("error_status", job.error().status());
    }
    if (job.result() != null) {
      o.put("content_type", job.result().contentType());
      o.put("bytes", job.result().bytes().length);
      com.fasterxml.jackson.databind.node.ArrayNode parts = o.putArray("parts");
      job.result().parts().keySet().stream().sorted().forEach(parts::add);
    }
    return o;
  }

  private void jobStatus(Context ctx) throws IOException {
    ctx.status(200).contentType("application/json").result(JSON.writeValueAsBytes(jobJson(job(ctx))));
  }

  private void jobResult(Context ctx, String part) {
    Jobs.Job job = job(ctx);
    switch (job.state()) {
      case DONE -> {
        Jobs.Result r = part == null ? job.result() : job.result().parts().get(part);
        if (r == null) {
          throw new HttpError(404, "job " + job.id + " has no part '" + ZipUploads.printable(part) + "' (parts: "
              + job.result().parts().keySet().stream().sorted().toList() + "; only output=both has parts)", Map.of());
        }
        ctx.status(200).contentType(r.contentType())
            .header("Content-Disposition", "attachment; filename=\"" + r.fileName() + "\"").result(r.bytes());
      }
      case FAILED -> throw job.error();
      default -> throw new HttpError(409, "job " + job.id + " is " + job.state().name().toLowerCase(java.util.Locale.ROOT) + " ("
          + job.done.get() + " of " + (job.total >= 0 ? job.total : "?") + " frames); poll GET /v1/jobs/" + job.id, Map.of());
    }
  }

  private void embed(Context ctx) {
    String route = "/v1/embed";
    serve(ctx, deadline -> {
      MultipartForm form = MultipartForm.read(ctx.req(), config.limits(), EMBED_FILES, EMBED_FIELDS,
          new MultipartForm.BodyReading(bodyTimer, deadline));
      List<NamedBytes> images = form.files("image");
      if (images.isEmpty()) {
        throw HttpError.badRequest("missing file field 'image' (an image, several images, or one zip of images)");
      }
      if (images.size() == 1 && isZip(images.get(0).bytes())) {
        images = ZipUploads.read(images.get(0).bytes(), images.get(0).name(), config.limits());
      }
      ImageSize size = null;
      if (form.field("size") != null) {
        size = parseHxW(form.field("size"), "size");
        checkInputSize(size, "size");
      }
      List<NamedBytes> all = images;
      Embedding.Plan plan = Embedding.validate(all, size, encoder, config.limits());
      return d -> {
        NpyArray features = Embedding.run(encoder, all, plan, d, i -> metrics.frames(route, 1));
        int grid = encoder.info().patchSize();
        return (Answer) c -> {
          c.status(200).contentType("application/octet-stream")
              .header("Content-Disposition", "attachment; filename=\"features.npy\"")
              .header("X-CropMAE-Shape", all.size() + "," + plan.tokens() + "," + plan.dim())
              .header("X-CropMAE-Grid", plan.inputSize().height() / grid + "x" + plan.inputSize().width() / grid);
          Npy.write(c.outputStream(), features);
        };
      };
    });
  }

  // --- request plumbing ---

  /** Writes a computed answer onto the response, on the request thread. */
  @FunctionalInterface
  private interface Answer {
    void write(Context ctx) throws IOException;
  }

  /** Reads and checks a request (on the request thread) and returns the work to queue. */
  @FunctionalInterface
  private interface Intake {
    WorkPool.Job<Answer> read(WorkPool.Deadline deadline) throws IOException;
  }

  /**
   * Admission, body intake, queueing, timeout: the common path of the {@code /v1/} endpoints.
   * The deadline starts at admission, so upload, queueing and compute all count.
   */
  private void serve(Context ctx, Intake intake) {
    WorkPool.Ticket ticket = admit(ctx);
    boolean submitted = false;
    try {
      WorkPool.Deadline deadline = new WorkPool.Deadline(config.timeout());
      ctx.attribute(BODY_READ, true);
      WorkPool.Job<Answer> job;
      try {
        job = intake.read(deadline);
      } catch (IOException e) {
        throw HttpError.badRequest("cannot read the request body (" + ZipUploads.oneLine(e) + ")");
      }
      deadline.check();
      CompletableFuture<Answer> result = ticket.submit(job, deadline);
      submitted = true;
      await(result, deadline).write(ctx);
    } catch (WorkPool.TimedOut e) {
      throw timeout(e);
    } catch (IOException e) {
      throw new IllegalStateException("writing the response failed: " + ZipUploads.oneLine(e), e);
    } finally {
      if (!submitted) {
        ticket.release();
      }
    }
  }

  private static <T> T await(CompletableFuture<T> result, WorkPool.Deadline deadline) {
    try {
      return result.get(deadline.remainingNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      deadline.abandon();
      throw timeout(new WorkPool.TimedOut(deadline.timeout()));
    } catch (InterruptedException e) {
      deadline.abandon();
      Thread.currentThread().interrupt();
      throw unavailable("the server is shutting down", 1);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpError h) {
        throw h;
      }
      if (cause instanceof WorkPool.TimedOut t) {
        throw timeout(t);
      }
      if (cause instanceof IllegalArgumentException iae) {
        throw HttpError.of(iae);
      }
      throw new IllegalStateException(cause instanceof Exception x ? ZipUploads.oneLine(x) : cause.toString(), cause);
    }
  }

  private static HttpError timeout(WorkPool.TimedOut e) {
    return new HttpError(504, e.getMessage(), Map.of());
  }

  static HttpError unavailable(String message, int retryAfterSeconds) {
    return new HttpError(503, message, Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
  }

  private void authorize(Context ctx) {
    if (tokenDigest == null) {
      return;
    }
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new HttpError(401, "missing bearer token (send 'Authorization: Bearer <token>')",
          Map.of("WWW-Authenticate", "Bearer realm=\"cropmae\""));
    }
    // Digests have one length, and MessageDigest.isEqual takes the same time whatever bytes differ.
    if (!MessageDigest.isEqual(tokenDigest, sha256(header.substring(7).strip()))) {
      throw new HttpError(401, "invalid bearer token",
          Map.of("WWW-Authenticate", "Bearer realm=\"cropmae\", error=\"invalid_token\""));
    }
  }

  private void answerError(HttpError e, Context ctx) {
    if (ctx.attribute(BODY_READ) == null && e.status() != 413) {
      discardBody(ctx);
    }
    if (e.status() == 413) {
      ctx.header("Connection", "close"); // the rest of the body is not read
    }
    e.headers().forEach(ctx::header);
    ctx.status(e.status());
    writeError(ctx, e.getMessage());
  }

  private static void writeError(Context ctx, String message) {
    ObjectNode o = JSON.createObjectNode();
    o.put("error", message == null ? "failed" : message.replaceAll("\\s*\\R\\s*", " ").strip());
    try {
      ctx.contentType("application/json").result(JSON.writeValueAsBytes(o));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads and drops an unread request body (up to the size limit) before an early error answer,
   * so that the client, which may still be sending it, gets the answer rather than a reset
   * connection. A client that asked {@code Expect: 100-continue} has sent nothing yet and is
   * left alone.
   */
  private void discardBody(Context ctx) {
    String expect = ctx.header("Expect");
    long length = ctx.req().getContentLengthLong();
    if ((expect != null && expect.equalsIgnoreCase("100-continue")) || length == 0
        || length > config.limits().maxRequestBytes()) {
      return;
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] sink = new byte[16384];
      long left = config.limits().maxRequestBytes();
      for (int n = in.read(sink); n > 0 && left > 0; n = in.read(sink)) {
        left -= n;
      }
    } catch (IOException | IllegalStateException e) {
      // The client went away or the body was consumed elsewhere: nothing to discard.
    }
  }

  // --- parameters ---

  private List<NamedBytes> frames(MultipartForm form) {
    List<NamedBytes> zips = form.files("frames");
    List<NamedBytes> parts = form.files("frame");
    if (!zips.isEmpty() && !parts.isEmpty()) {
      throw HttpError.badRequest("give either 'frames' (one zip) or 'frame' parts (one per frame), not both");
    }
    if (zips.size() > 1) {
      throw HttpError.badRequest("'frames' must be one zip file, got " + zips.size() + " files");
    }
    if (zips.size() == 1) {
      return ZipUploads.read(zips.get(0).bytes(), "frames", config.limits());
    }
    if (parts.isEmpty()) {
      throw HttpError.badRequest("missing the frames: a zip as 'frames' or one 'frame' part per frame");
    }
    return parts;
  }

  private static NamedBytes single(MultipartForm form, String field, String what) {
    List<NamedBytes> files = form.files(field);
    if (files.size() != 1) {
      throw HttpError.badRequest(files.isEmpty() ? "missing file field '" + field + "' (" + what + ")"
          : "file field '" + field + "' must be given once, got " + files.size());
    }
    return files.get(0);
  }

  private static PropagationConfig propagationConfig(MultipartForm form) {
    String preset = form.field("preset") == null ? "davis" : form.field("preset");
    try {
      return PropagationOptions.toConfig(preset, form.intField("context"), form.intField("topk"),
          form.doubleField("temperature"), form.doubleField("radius"),
          form.field("input_size") == null ? null : PropagationOptions.parseSize(form.field("input_size"), "field input_size"),
          "field ");
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest(e.getMessage());
    }
  }

  /**
   * The protocol size of {@code frameSize}'s frames, and the propagation state of a video on them,
   * against the limits and the encoder's budget. The labels are not known before the mask is
   * decoded: two (background and one object) are assumed here, the exact count is checked again
   * when the video starts.
   */
  private void checkPropagationSize(PropagationConfig pc, ImageSize frameSize) {
    ImageSize input = pc.inputSize().inputSize(frameSize.height(), frameSize.width());
    checkInputSize(input, "input_size");
    ImageSize grid = input.featureGrid(encoder.info().patchSize());
    try {
      encoder.budget().checkPropagation("field context", pc.contextLength(), grid.height(), grid.width(),
          encoder.info().embedDim(), 2);
    } catch (BudgetExceededException e) {
      throw HttpError.tooLarge(e.getMessage());
    }
  }

  /** {@code size} against the patch size, the pixel limit and the encoder's token and attention budget. */
  private void checkInputSize(ImageSize size, String field) {
    int p = encoder.info().patchSize();
    if (size.height() % p != 0 || size.width() % p != 0) {
      throw HttpError.badRequest("field " + field + ": " + size + " is not a multiple of the encoder's patch size " + p);
    }
    long pixels = (long) size.height() * size.width();
    if (pixels > config.limits().maxPixelsPerFrame()) {
      throw HttpError.tooLarge("field " + field + ": " + size + " exceeds the limit of " + config.limits().maxPixelsPerFrame()
          + " pixels per image");
    }
    try {
      encoder.checkBudget("field " + field, 1, size.height(), size.width());
    } catch (BudgetExceededException e) {
      throw HttpError.tooLarge(e.getMessage());
    }
  }

  private static ImageSize parseHxW(String s, String field) {
    int x = s.indexOf('x');
    try {
      if (x > 0) {
        return new ImageSize(Integer.parseInt(s.substring(0, x).strip()), Integer.parseInt(s.substring(x + 1).strip()));
      }
    } catch (IllegalArgumentException e) {
      // NumberFormatException or a non-positive side: reported below
    }
    throw HttpError.badRequest("field " + field + ": expected HxW with positive sides, e.g. 480x880, got '"
        + ZipUploads.printable(s) + "'");
  }

  private static boolean isZip(byte[] b) {
    return b.length >= 4 && b[0] == 'P' && b[1] == 'K' && (b[2] == 3 || b[2] == 5) && (b[3] == 4 || b[3] == 6);
  }

  private static String routeLabel(String path) {
    if (path.startsWith("/v1/jobs/")) {
      return path.contains("/result") ? "/v1/jobs/{id}/result" : "/v1/jobs/{id}";
    }
    if (path.startsWith("/web/")) {
      return "/";
    }
    return ROUTES.contains(path) ? path : "other";
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every Java runtime has SHA-256", e);
    }
  }
}
