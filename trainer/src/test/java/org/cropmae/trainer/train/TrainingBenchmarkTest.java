package org.cropmae.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link TrainingBenchmark} on the small test model (the ViT-S/16 default is run by hand). */
class TrainingBenchmarkTest {
  @Test
  void timesStepsAndPrintsJson() throws Exception {
    TrainingBenchmark.Result r = TrainingBenchmark.run(
        new TrainingBenchmark.Config("test", TrainerTest.TINY, 2, 1, 2, "cpu"));
    assertEquals(2, r.stepMs().length);
    assertTrue(r.meanStepMs() > 0 && r.imagesPerSecond() > 0, r.toJson());
    // The derived figures against their obvious computation from the measured steps.
    double mean = (r.stepMs()[0] + r.stepMs()[1]) / 2;
    assertEquals(mean, r.meanStepMs(), 1e-9 * mean, r.toJson());
    assertEquals(2 * 1000.0 / mean, r.imagesPerSecond(), 1e-9 * r.imagesPerSecond(), r.toJson());
    com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.toJson());
    assertEquals("test", json.get("arch").asText());
    assertEquals(2, json.get("batchSize").asInt());
    assertEquals(r.stepMs()[1], json.get("stepMs").get(1).asDouble(), 0.0);
    assertEquals(r.imagesPerSecond(), json.get("imagesPerSecond").asDouble(), 0.0);
  }
}
