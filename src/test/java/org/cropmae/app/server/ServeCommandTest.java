package org.cropmae.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.cropmae.app.CropMae;
import org.cropmae.app.cli.ServeCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cropmae serve} and {@code cropmae bench serve}, registered as the integrator will register them. */
class ServeCommandTest {
  @TempDir Path tmp;

  private record Run(CommandLine cl, StringWriter out, StringWriter err) {
    int execute(String... args) {
      return cl.execute(args);
    }
  }

  private static Run cli(ServeCommand serve) {
    CommandLine cl = CropMae.commandLine();
    // Swap in this test's instance so that it can reach the running server.
    cl.getCommandSpec().removeSubcommand("serve");
    cl.addSubcommand("serve", serve);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return new Run(cl, out, err);
  }

  @Test
  void servesUntilClosedWithTheTokenFromAFile() throws Exception {
    Path token = Files.writeString(tmp.resolve("token"), "  t0ken-from-file\n");
    ServeCommand serve = new ServeCommand();
    Run run = cli(serve);
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> run.execute("serve", "--port", "0", "--device", "cpu",
        "--threads", "1", "--workers", "1", "--queue", "2", "--timeout-s", "30", "--token-file", token.toString()));
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (serve.server() == null && !exit.isDone() && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    Server server = serve.server();
    assertTrue(server != null, "server did not start: " + run.err());
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(server.uri().resolve("/metrics"))
        .header("Authorization", "Bearer t0ken-from-file").build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, metrics.statusCode(), metrics.body());
    assertTrue(metrics.body().contains("cropmae_queue_capacity 2"), metrics.body());
    HttpResponse<String> denied = http.send(HttpRequest.newBuilder(server.uri().resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(401, denied.statusCode());
    server.close();
    assertEquals(0, exit.get(), run.err().toString());
    assertTrue(run.out().toString().contains("listening on " + server.uri()), run.out().toString());
  }

  @Test
  void badInputsExit1AndBadOptionValuesExit2() {
    Run missingEnv = cli(new ServeCommand());
    assertEquals(1, missingEnv.execute("serve", "--port", "0", "--token-env", "CROPMAE_TEST_SURELY_UNSET_VARIABLE"));
    assertTrue(missingEnv.err().toString().contains("--token-env: environment variable CROPMAE_TEST_SURELY_UNSET_VARIABLE"),
        missingEnv.err().toString());
    assertEquals(1, missingEnv.err().toString().strip().lines().count(), missingEnv.err().toString());

    Run missingFile = cli(new ServeCommand());
    Path nowhere = tmp.resolve("no-token");
    assertEquals(1, missingFile.execute("serve", "--port", "0", "--token-file", nowhere.toString()));
    assertTrue(missingFile.err().toString().contains(nowhere + ": no such file"), missingFile.err().toString());

    // An option value out of range is a usage error: the error and a hint, not the whole help.
    Run badTimeout = cli(new ServeCommand());
    assertEquals(2, badTimeout.execute("serve", "--port", "0", "--timeout-s", "0"));
    assertEquals(List.of("cropmae serve: --timeout-s: expected a positive number of seconds, got 0.0",
        "Try 'cropmae serve --help' for the options."), badTimeout.err().toString().strip().lines().toList());
  }

  @Test
  void benchServeMeasuresEachLevel() throws Exception {
    Run run = cli(new ServeCommand());
    assertEquals(0, run.execute("bench", "serve", "--frames", "3", "--size", "96x128", "--concurrency", "1,3",
        "--requests-per-client", "1", "--workers", "1", "--preset", "jhmdb"), run.err().toString());
    JsonNode json = new ObjectMapper().readTree(run.out().toString());
    assertEquals("96x128", json.get("frame_size").asText());
    assertEquals(2, json.get("levels").size());
    JsonNode three = json.get("levels").get(1);
    assertEquals(3, three.get("concurrency").asInt());
    assertEquals(3, three.get("requests").asInt());
    assertEquals(3, three.get("ok").asInt(), json.toString());
    assertTrue(three.get("p99_ms").asDouble() >= three.get("p50_ms").asDouble(), json.toString());
    assertTrue(three.get("requests_per_s").asDouble() > 0, json.toString());
  }
}
