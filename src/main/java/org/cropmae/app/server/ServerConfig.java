package org.cropmae.app.server;

import java.time.Duration;
import java.util.Objects;
import org.cropmae.runtime.onnx.EncoderOptions;

/**
 * How a {@link Server} runs. Immutable; start from {@link #defaults()} and change fields with the
 * {@code with...} methods.
 *
 * @param host address to bind, e.g. {@code 127.0.0.1} (loopback only) or {@code 0.0.0.0}
 * @param port TCP port, or 0 for a free one ({@link Server#port()} tells which)
 * @param model registry name or ONNX file of the encoder; {@code null} for the registry's default
 * @param encoderOptions ONNX Runtime session settings of the one shared encoder
 * @param limits per-request limits
 * @param workers requests computed at once (threads of the work pool), at least 1
 * @param queue requests admitted and waiting for a worker; one more gets 503 with {@code Retry-After}
 * @param timeout longest time from admission to the finished answer (504 after); positive
 * @param propagationThreads threads of the affinity computation, shared by all workers, at least 1
 * @param token bearer token every {@code /v1/} and {@code /metrics} request must present, or
 *     {@code null} for an open server; never printed by {@link #toString()}
 */
public record ServerConfig(
    String host,
    int port,
    String model,
    EncoderOptions encoderOptions,
    ServerLimits limits,
    int workers,
    int queue,
    Duration timeout,
    int propagationThreads,
    String token) {

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(encoderOptions, "encoderOptions");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(timeout, "timeout");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535, got " + port);
    }
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    if (queue < 0) {
      throw new IllegalArgumentException("queue must be at least 0, got " + queue);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    if (propagationThreads < 1) {
      throw new IllegalArgumentException("propagationThreads must be at least 1, got " + propagationThreads);
    }
    if (token != null && token.isBlank()) {
      throw new IllegalArgumentException("token must not be blank (use null for no token)");
    }
  }

  /**
   * Loopback on port 8080, the default model, default limits, 1 worker, a queue of 4, 120 s
   * timeout, propagation on all processors, no token.
   */
  public static ServerConfig defaults() {
    return new ServerConfig("127.0.0.1", 8080, null, EncoderOptions.defaults(), ServerLimits.defaults(), 1, 4,
        Duration.ofSeconds(120), Runtime.getRuntime().availableProcessors(), null);
  }

  public ServerConfig withHost(String value) {
    return new ServerConfig(value, port, model, encoderOptions, limits, workers, queue, timeout, propagationThreads, token);
  }

  public ServerConfig withPort(int value) {
    return new ServerConfig(host, value, model, encoderOptions, limits, workers, queue, timeout, propagationThreads, token);
  }

  public ServerConfig withModel(String value) {
    return new ServerConfig(host, port, value, encoderOptions, limits, workers, queue, timeout, propagationThreads, token);
  }

  public ServerConfig withEncoderOptions(EncoderOptions value) {
    return new ServerConfig(host, port, model, value, limits, workers, queue, timeout, propagationThreads, token);
  }

  public ServerConfig withLimits(ServerLimits value) {
    return new ServerConfig(host, port, model, encoderOptions, value, workers, queue, timeout, propagationThreads, token);
  }

  public ServerConfig withWorkers(int value) {
    return new ServerConfig(host, port, model, encoderOptions, limits, value, queue, timeout, propagationThreads, token);
  }

  public ServerConfig withQueue(int value) {
    return new ServerConfig(host, port, model, encoderOptions, limits, workers, value, timeout, propagationThreads, token);
  }

  public ServerConfig withTimeout(Duration value) {
    return new ServerConfig(host, port, model, encoderOptions, limits, workers, queue, value, propagationThreads, token);
  }

  public ServerConfig withPropagationThreads(int value) {
    return new ServerConfig(host, port, model, encoderOptions, limits, workers, queue, timeout, value, token);
  }

  public ServerConfig withToken(String value) {
    return new ServerConfig(host, port, model, encoderOptions, limits, workers, queue, timeout, propagationThreads, value);
  }

  @Override
  public String toString() {
    return "ServerConfig[host=" + host + ", port=" + port + ", model=" + model + ", encoderOptions=" + encoderOptions
        + ", limits=" + limits + ", workers=" + workers + ", queue=" + queue + ", timeout=" + timeout
        + ", propagationThreads=" + propagationThreads + ", token=" + (token == null ? "none" : "(set)") + "]";
  }
}
