package org.cropmae.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code cropmae debug loss} reproduces the official trainer's loss on the fixture views. */
class DebugLossTest {
  @Test
  void printsTheOfficialEvalModeLoss() throws Exception {
    Cli.Result r = Cli.run("debug", "loss", "--checkpoint", Cli.reference("checkpoint.pth").toString(),
        "--views", Cli.reference("train_views.npy").toString(), "--noise", Cli.reference("train_noise.npy").toString());
    assertEquals(0, r.exitCode(), r.err());
    JsonNode got = new ObjectMapper().readTree(r.out());
    double want = new ObjectMapper().readTree(Cli.reference("train_expected.json").toFile()).get("loss").asDouble();
    // Issue tolerance: 1e-4 relative (measured: identical to the printed digits).
    assertEquals(want, got.get("loss").asDouble(), 1e-4 * want);
    assertEquals(0.985, got.get("mask_ratio").asDouble(), 0);
  }

  @Test
  void mismatchedViewsAreOneLine() {
    Cli.Result r = Cli.run("debug", "loss", "--checkpoint", Cli.reference("checkpoint.pth").toString(),
        "--views", Cli.reference("train_noise.npy").toString());
    assertEquals(1, r.exitCode(), r.err());
    assertEquals(1, r.errLines(), r.err());
  }
}
