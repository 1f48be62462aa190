package org.cropmae.app.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.cropmae.app.server.Server;
import org.cropmae.app.server.ServerConfig;
import org.cropmae.app.server.ServerLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cropmae serve}: the HTTP server (API in docs/SERVER.md, OpenAPI at /openapi.json). */
@Command(name = "serve", header = "Serves mask propagation and encoder features over HTTP, with a web page to try it.",
    mixinStandardHelpOptions = true,
    description = {
        "Serves a web page to try it (GET /), mask propagation (POST /v1/propagate, POST /v1/jobs) and features (POST /v1/embed) over HTTP, with GET /health,",
        "GET /metrics (Prometheus) and GET /openapi.json. One shared encoder, a bounded pool of workers and a bounded",
        "queue (503 with Retry-After when full). Stops gracefully on SIGINT/SIGTERM: requests in flight finish first.",
        "API: docs/SERVER.md."})
public final class ServeCommand extends CliCommand {
  /** Held so that the levels set in {@link #call} are not garbage-collected with the loggers. */
  private static final Logger[] QUIET = {Logger.getLogger("org.eclipse.jetty"), Logger.getLogger("io.javalin")};

  @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDR",
      description = "Address to bind; 0.0.0.0 for all interfaces (default: ${DEFAULT-VALUE}, this machine only).")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--model", paramLabel = "NAME|E.onnx|URL", description = "Registry name, ONNX file, or https://...#sha256=<hex> address (downloaded into the cache, verified; default: the registry's default model).")
  String model;

  @Option(names = "--max-request-mb", defaultValue = "64", paramLabel = "MB",
      description = "Largest request body in MiB (413 above; default: ${DEFAULT-VALUE}).")
  int maxRequestMb;

  @Option(names = "--max-frames", defaultValue = "500", paramLabel = "N", description = "Most frames or images per request (default: ${DEFAULT-VALUE}).")
  int maxFrames;

  @Option(names = "--max-pixels", defaultValue = "16777216", paramLabel = "N",
      description = "Most pixels (height x width) of one frame, read from its header before decoding (default: ${DEFAULT-VALUE}, 4096x4096).")
  long maxPixels;

  @Option(names = "--max-total-pixels", defaultValue = "211200000", paramLabel = "N",
      description = "Most pixels of all frames of one request (default: ${DEFAULT-VALUE}, 500 frames of 480x880).")
  long maxTotalPixels;

  @Option(names = "--max-video-seconds", defaultValue = "600", paramLabel = "S",
      description = "Longest uploaded video in seconds, from its container header, before decoding (default: ${DEFAULT-VALUE}).")
  int maxVideoSeconds;

  @Option(names = "--workers", defaultValue = "1", paramLabel = "N", description = "Requests computed at once (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--queue", defaultValue = "4", paramLabel = "N",
      description = "Requests that may wait for a worker; beyond that 503 with Retry-After (default: ${DEFAULT-VALUE}).")
  int queue;

  @Option(names = "--timeout-s", defaultValue = "120", paramLabel = "S",
      description = "Longest time for one request, from admission to answer, in seconds (decimals allowed); 504 after (default: ${DEFAULT-VALUE}).")
  double timeoutSeconds;

  @Option(names = "--propagation-threads", paramLabel = "N", description = "Threads of the affinity computation, shared by all workers (default: all processors).")
  Integer propagationThreads;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "Require 'Authorization: Bearer <token>' on /v1/ and /metrics; the token is this file's content (surrounding whitespace removed).")
  Path tokenFile;

  @Option(names = "--token-env", paramLabel = "VAR", description = "Like --token-file, the token taken from environment variable VAR.")
  String tokenEnv;

  @Mixin EncoderOptionsMixin encoderOptions;

  private volatile Server server;

  @Override
  public Integer call() throws Exception {
    ServerConfig config = toConfig();
    for (Logger l : QUIET) {
      l.setLevel(Level.WARNING); // Jetty's start-up lines; ours says where it listens
    }
    Server s = Server.start(config);
    server = s;
    Thread hook = new Thread(s::close, "cropmae-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    stdout().printf(Locale.ROOT, "cropmae serve: listening on %s (model %s, workers %d, queue %d, timeout %s s%s)%n",
        s.uri(), s.modelName(), config.workers(), config.queue(), config.timeout().toMillis() / 1000.0,
        config.token() == null ? "" : ", bearer token required");
    stdout().flush();
    s.awaitStop();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook is what stopped the server.
    }
    return 0;
  }

  /** The running server once {@link #call} has started it, else {@code null}; closing it ends the command. */
  public Server server() {
    return server;
  }

  /** The server configuration the options describe. */
  ServerConfig toConfig() throws IOException {
    if (maxRequestMb < 1 || maxRequestMb > 2047) {
      throw new UsageException("--max-request-mb: expected 1..2047, got " + maxRequestMb);
    }
    if (!(timeoutSeconds > 0) || Double.isInfinite(timeoutSeconds)) {
      throw new UsageException("--timeout-s: expected a positive number of seconds, got " + timeoutSeconds);
    }
    ServerLimits limits = ServerLimits.defaults().withMaxRequestBytes((long) maxRequestMb << 20).withMaxFrames(maxFrames)
        .withMaxPixelsPerFrame(maxPixels).withMaxTotalPixels(maxTotalPixels)
        .withMaxVideoSeconds(maxVideoSeconds);
    ServerConfig c = ServerConfig.defaults().withHost(host).withPort(port).withModel(model)
        .withEncoderOptions(encoderOptions.toOptions()).withLimits(limits).withWorkers(workers).withQueue(queue)
        .withTimeout(Duration.ofNanos(Math.round(timeoutSeconds * 1e9))).withToken(token());
    return propagationThreads == null ? c : c.withPropagationThreads(propagationThreads);
  }

  private String token() throws IOException {
    if (tokenFile != null && tokenEnv != null) {
      throw new UsageException("--token-file and --token-env: give one, not both");
    }
    if (tokenFile != null) {
      if (!Files.isRegularFile(tokenFile)) {
        throw new IOException(tokenFile + ": no such file (--token-file)");
      }
      String t = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
      if (t.isEmpty()) {
        throw new IllegalArgumentException(tokenFile + ": the token file is empty (--token-file)");
      }
      return t;
    }
    if (tokenEnv != null) {
      String t = System.getenv(tokenEnv);
      if (t == null || t.isBlank()) {
        throw new IllegalArgumentException("--token-env: environment variable " + tokenEnv + " is not set or empty");
      }
      return t.strip();
    }
    return null;
  }
}
