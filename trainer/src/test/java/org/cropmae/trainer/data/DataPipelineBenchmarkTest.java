package org.cropmae.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark runs and reports; no timing is asserted. */
class DataPipelineBenchmarkTest {
  @TempDir Path dir;

  @Test
  void runsAndReportsJson() throws IOException {
    ViewConfig views = ViewConfig.builder().inputSize(32).build();
    DataPipelineBenchmark.Config config = new DataPipelineBenchmark.Config(4, 60, 45, 0.9f, views, 2, 1, new int[] {1, 2});
    DataPipelineBenchmark.Result r = DataPipelineBenchmark.run(config, dir);
    assertArrayEquals(new int[] {1, 2}, r.workers());
    assertEquals(2, r.imagesPerSecond().length);
    assertTrue(r.imagesPerSecond()[0] > 0 && r.decodeMs() > 0 && r.meanJpegBytes() > 0);
    // Known bounds: a 60x45 JPEG at quality 0.9 is a few hundred bytes to a few kB (never more than
    // its raw 8100 bytes plus headers), and the per-core rate is the rate divided by the workers used.
    assertTrue(r.meanJpegBytes() > 200 && r.meanJpegBytes() < 60 * 45 * 3 + 2000, "meanJpegBytes " + r.meanJpegBytes());
    int cores = Runtime.getRuntime().availableProcessors();
    for (int w = 0; w < 2; w++) {
      double expected = r.imagesPerSecond()[w] / Math.max(1, Math.min(r.workers()[w], cores));
      assertEquals(expected, r.imagesPerSecondPerCore()[w], 1e-9 * expected, "images per core, " + r.workers()[w] + " workers");
    }
    com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.toJson());
    assertEquals(4, json.get("images").asInt());
    assertEquals("GlobalToLocal", json.get("strategy").asText());
    assertEquals(r.meanJpegBytes(), json.get("meanJpegBytes").asDouble(), 0.0);
    assertEquals(2, json.get("workers").get(1).asInt());
    assertEquals(r.imagesPerSecond()[1], json.get("imagesPerSecond").get(1).asDouble(), 0.0);
    assertEquals(cores, json.get("cores").asInt());
  }
}
