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
    String json = r.toJson();
    assertTrue(json.startsWith("{\"images\":4,\"width\":60,\"height\":45,\"quality\":0.90,\"inputSize\":32,"
        + "\"strategy\":\"GlobalToLocal\",\"meanJpegBytes\":"), json);
    assertTrue(json.contains(",\"workers\":[1,2],\"imagesPerSecond\":["), json);
    assertTrue(json.endsWith(",\"cores\":" + Runtime.getRuntime().availableProcessors() + "}"), json);
  }
}
