package org.cropmae.app.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.IntSupplier;

/**
 * The server's counters, rendered in the Prometheus text exposition format (version 0.0.4).
 * Thread-safe. Routes are a fixed set ({@link Server#ROUTES} plus {@code other}), so label
 * cardinality stays bounded whatever clients request.
 */
final class ServerMetrics {
  /** Upper bounds of the latency histogram, in seconds. */
  static final double[] BUCKETS = {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};

  private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
  private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> frames = new ConcurrentHashMap<>();
  private final IntSupplier queueDepth;
  private final IntSupplier inFlight;
  private final int queueCapacity;
  private final int workers;

  ServerMetrics(IntSupplier queueDepth, IntSupplier inFlight, int queueCapacity, int workers) {
    this.queueDepth = queueDepth;
    this.inFlight = inFlight;
    this.queueCapacity = queueCapacity;
    this.workers = workers;
  }

  /** Records one answered request. */
  void request(String route, int status, double seconds) {
    requests.computeIfAbsent(route + "\u0000" + status, k -> new AtomicLong()).incrementAndGet();
    latency.computeIfAbsent(route, k -> new Histogram()).observe(seconds);
  }

  /** Counts frames (propagate) or images (embed) computed for {@code route}. */
  void frames(String route, int n) {
    frames.computeIfAbsent(route, k -> new AtomicLong()).addAndGet(n);
  }

  /** Requests answered so far with {@code status} on {@code route}. */
  long requestCount(String route, int status) {
    AtomicLong n = requests.get(route + "\u0000" + status);
    return n == null ? 0 : n.get();
  }

  /** The exposition text. */
  String render() {
    StringBuilder out = new StringBuilder(4096);
    out.append("# HELP cropmae_http_requests_total HTTP requests answered, by route and status code.\n");
    out.append("# TYPE cropmae_http_requests_total counter\n");
    for (Map.Entry<String, AtomicLong> e : new TreeMap<>(requests).entrySet()) {
      String[] k = e.getKey().split("\u0000");
      out.append("cropmae_http_requests_total{route=\"").append(k[0]).append("\",status=\"").append(k[1]).append("\"} ")
          .append(e.getValue().get()).append('\n');
    }
    out.append("# HELP cropmae_http_request_duration_seconds Time from receiving a request to its answer, by route.\n");
    out.append("# TYPE cropmae_http_request_duration_seconds histogram\n");
    for (Map.Entry<String, Histogram> e : new TreeMap<>(latency).entrySet()) {
      e.getValue().render(out, "cropmae_http_request_duration_seconds", e.getKey());
    }
    out.append("# HELP cropmae_frames_processed_total Frames propagated or images embedded, by route.\n");
    out.append("# TYPE cropmae_frames_processed_total counter\n");
    for (Map.Entry<String, AtomicLong> e : new TreeMap<>(frames).entrySet()) {
      out.append("cropmae_frames_processed_total{route=\"").append(e.getKey()).append("\"} ").append(e.getValue().get())
          .append('\n');
    }
    gauge(out, "cropmae_queue_depth", "Admitted requests waiting for a worker.", queueDepth.getAsInt());
    gauge(out, "cropmae_requests_in_flight", "Requests being computed by a worker.", inFlight.getAsInt());
    gauge(out, "cropmae_queue_capacity", "Requests that may wait for a worker before the server answers 503.", queueCapacity);
    gauge(out, "cropmae_workers", "Requests computed at once.", workers);
    return out.toString();
  }

  private static void gauge(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" gauge\n");
    out.append(name).append(' ').append(value).append('\n');
  }

  /** Cumulative-bucket latency histogram. */
  private static final class Histogram {
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS.length + 1);
    private final DoubleAdder sum = new DoubleAdder();

    void observe(double seconds) {
      int i = 0;
      while (i < BUCKETS.length && seconds > BUCKETS[i]) {
        i++;
      }
      counts.incrementAndGet(i);
      sum.add(seconds);
    }

    void render(StringBuilder out, String name, String route) {
      long cumulative = 0;
      for (int i = 0; i <= BUCKETS.length; i++) {
        cumulative += counts.get(i);
        String le = i < BUCKETS.length ? number(BUCKETS[i]) : "+Inf";
        out.append(name).append("_bucket{route=\"").append(route).append("\",le=\"").append(le).append("\"} ")
            .append(cumulative).append('\n');
      }
      out.append(name).append("_sum{route=\"").append(route).append("\"} ").append(number(sum.sum())).append('\n');
      out.append(name).append("_count{route=\"").append(route).append("\"} ").append(cumulative).append('\n');
    }

    private static String number(double v) {
      return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
  }
}
