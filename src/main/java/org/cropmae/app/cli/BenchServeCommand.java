package org.cropmae.app.cli;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.cropmae.app.server.ServeBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cropmae bench serve}: load benchmark of the HTTP server on loopback, JSON on stdout. */
@Command(name = "serve", header = "Load-tests the server in-process on 127.0.0.1.",
    mixinStandardHelpOptions = true,
    description = {"Starts the server in-process on 127.0.0.1 and sends POST /v1/propagate requests of a generated clip",
        "(10 JPEG frames of 480x880 and a one-object mask by default) from 1, 4 and 16 client threads: requests/s,",
        "frames/s and p50/p99 latency per level. Each level is bounded in requests and time."})
public final class BenchServeCommand extends CliCommand {
  /** Held so that the levels set in {@link #call} are not garbage-collected with the loggers. */
  private static final Logger[] QUIET = {Logger.getLogger("org.eclipse.jetty"), Logger.getLogger("io.javalin")};

  @Option(names = "--frames", defaultValue = "10", description = "Frames per request (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(names = "--size", defaultValue = "480x880", paramLabel = "HxW", description = "Frame size (default: ${DEFAULT-VALUE}).")
  String size;

  @Option(names = "--concurrency", defaultValue = "1,4,16", split = ",", paramLabel = "C1,C2,...",
      description = "Client threads of each level (default: ${DEFAULT-VALUE}).")
  int[] concurrency;

  @Option(names = "--requests-per-client", defaultValue = "2", paramLabel = "N",
      description = "Requests each client sends per level, after one warm-up request (default: ${DEFAULT-VALUE}).")
  int requestsPerClient;

  @Option(names = "--max-seconds", defaultValue = "120", paramLabel = "S",
      description = "No new request starts after this long in a level (default: ${DEFAULT-VALUE}).")
  double maxSeconds;

  @Option(names = "--workers", defaultValue = "2", paramLabel = "N", description = "Server workers (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--model", paramLabel = "NAME|E.onnx|URL", description = "Registry name, ONNX file, or https://...#sha256=<hex> address (downloaded into the cache, verified; default: the registry's default model).")
  String model;

  @Option(names = "--preset", defaultValue = "davis", paramLabel = "davis|jhmdb|vip",
      description = "Propagation preset sent with each request (default: ${DEFAULT-VALUE}).")
  String preset;

  @Override
  public Integer call() throws IOException {
    for (Logger l : QUIET) {
      l.setLevel(Level.WARNING);
    }
    int[] hw = BenchCommand.parseGrid(size, "--size");
    ServeBenchmark.Settings s =
        new ServeBenchmark.Settings(frames, hw[0], hw[1], concurrency, requestsPerClient, maxSeconds, workers, model, preset);
    stdout().println(ServeBenchmark.run(s).toJson());
    return 0;
  }
}
