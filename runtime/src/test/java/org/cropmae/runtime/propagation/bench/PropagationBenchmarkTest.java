package org.cropmae.runtime.propagation.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Runs the benchmark on a toy size: checks the bookkeeping and the JSON, never the timings. */
class PropagationBenchmarkTest {

  @Test
  void tinyRunReportsBothLengthsAndSerialises() throws Exception {
    PropagationBenchmark.Settings s = new PropagationBenchmark.Settings(4, 6, 8, 8, 3, 2, 1L, 16);
    PropagationBenchmark.Result r = PropagationBenchmark.run(s);
    assertEquals(4, r.shorter().frames());
    assertEquals(8, r.longer().frames());
    // Frame 1 sees the first frame only; from frame 2 on ring frames add radius-limited pairs.
    assertTrue(r.shorter().dotProducts() >= 3L * 24 * 24);
    assertTrue(r.longer().dotProducts() > r.shorter().dotProducts());
    JsonNode json = new ObjectMapper().readTree(r.toJson());
    assertEquals(8, json.get("settings").get("frames").asInt());
    assertEquals(20, json.get("config").get("contextLength").asInt());
    for (String field : new String[] {"framesPerSecond", "affinityGflops", "peakHeapMb", "retainedHeapMb"}) {
      assertTrue(json.get("longer").get(field).asDouble() > 0, field);
    }
    assertTrue(json.get("matmulGflops").asDouble() > 0);
    assertTrue(json.has("ratio"));
  }

  @Test
  void settingsAreValidated() {
    assertEquals("frames must be at least 4, got 3",
        assertThrows(IllegalArgumentException.class, () -> PropagationBenchmark.Settings.davis().withFrames(3))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> PropagationBenchmark.Settings.davis().withThreads(0));
  }
}
