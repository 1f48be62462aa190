package org.cropmae.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.cropmae.app.bench.PropagationBenchmark.Backend;
import org.junit.jupiter.api.Test;

/** Runs the benchmark on a toy size: checks the bookkeeping and the JSON, never the timings. */
class PropagationBenchmarkTest {

  @Test
  void tinyRunReportsBothLengthsAndBothBackendsAndSerialises() throws Exception {
    PropagationBenchmark.Settings s = new PropagationBenchmark.Settings(4, 6, 8, 8, 3, 2, 1L, 16);
    assertEquals(List.of(Backend.JAVA, Backend.ONNX), s.backends(), "ONNX Runtime is on the test class path");
    PropagationBenchmark.Result r = PropagationBenchmark.run(s);
    assertEquals(2, r.results().size());
    for (PropagationBenchmark.BackendResult b : r.results()) {
      assertEquals(4, b.shorter().frames());
      assertEquals(8, b.longer().frames());
      // Frame 1 sees the first frame only; from frame 2 on ring frames add radius-limited pairs.
      assertTrue(b.shorter().dotProducts() >= 3L * 24 * 24);
      assertTrue(b.longer().dotProducts() > b.shorter().dotProducts());
    }
    JsonNode json = new ObjectMapper().readTree(r.toJson());
    assertEquals(8, json.get("settings").get("frames").asInt());
    assertEquals("[\"java\",\"onnx\"]", json.get("settings").get("backends").toString());
    assertEquals(20, json.get("config").get("contextLength").asInt());
    assertTrue(json.get("matmulGflops").get("java").asDouble() > 0);
    assertTrue(json.get("matmulGflops").get("onnx").asDouble() > 0);
    JsonNode results = json.get("results");
    assertEquals("java", results.get(0).get("backend").asText());
    assertEquals("onnx", results.get(1).get("backend").asText());
    for (JsonNode b : results) {
      for (String field : new String[] {"framesPerSecond", "affinityGflops", "peakHeapMb", "retainedHeapMb"}) {
        assertTrue(b.get("longer").get(field).asDouble() > 0, field);
      }
      assertTrue(b.get("matmulGflops").asDouble() > 0);
      assertTrue(b.get("ratio").asDouble() > 0);
    }
  }

  @Test
  void settingsAreValidated() {
    assertEquals("frames must be at least 4, got 3",
        assertThrows(IllegalArgumentException.class, () -> PropagationBenchmark.Settings.davis().withFrames(3))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> PropagationBenchmark.Settings.davis().withThreads(0));
    assertEquals("backends must be non-empty and distinct, got [java, java]",
        assertThrows(IllegalArgumentException.class,
            () -> PropagationBenchmark.Settings.davis().withBackends(List.of(Backend.JAVA, Backend.JAVA))).getMessage());
    assertThrows(IllegalArgumentException.class, () -> PropagationBenchmark.Settings.davis().withBackends(List.of()));
  }
}
