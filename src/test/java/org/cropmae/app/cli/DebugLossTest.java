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

  @Test
  void aCheckpointWithoutDecoderIsNamedAsSuch(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
    // The official checkpoint's encoder tensors alone, as an encoder-only export would hold them.
    java.util.Map<String, org.cropmae.runtime.io.NpyArray> encoder = new java.util.LinkedHashMap<>();
    org.cropmae.trainer.checkpoint.TorchCheckpoint.read(Cli.reference("checkpoint.pth")).stateDictFloat32()
        .forEach((k, v) -> {
          if (!k.startsWith("decoder") && !k.equals("mask_token")) {
            encoder.put(k, v);
          }
        });
    java.nio.file.Path file = tmp.resolve("encoder-only.pth");
    org.cropmae.trainer.checkpoint.TorchCheckpointWriter.write(file,
        java.util.Map.of("model", new org.cropmae.trainer.checkpoint.TorchCheckpointWriter.OrderedDict(encoder)));
    Cli.Result r = Cli.run("debug", "loss", "--checkpoint", file.toString(),
        "--views", Cli.reference("train_views.npy").toString(), "--noise", Cli.reference("train_noise.npy").toString());
    assertEquals(1, r.exitCode(), r.err());
    assertEquals(1, r.errLines(), r.err());
    org.junit.jupiter.api.Assertions.assertTrue(r.err().contains(file + ": not a CropMAE training checkpoint (its "
        + encoder.size() + " tensors have no 'decoder_embed.weight')"), r.err());
    // Import names the file when a tensor is missing.
    encoder.remove("cls_token");
    java.nio.file.Path noCls = tmp.resolve("no-cls.pth");
    org.cropmae.trainer.checkpoint.TorchCheckpointWriter.write(noCls,
        java.util.Map.of("model", new org.cropmae.trainer.checkpoint.TorchCheckpointWriter.OrderedDict(encoder)));
    Cli.Result imp = Cli.run("import", "--checkpoint", noCls.toString(), "--out", tmp.resolve("x.onnx").toString());
    assertEquals(1, imp.exitCode(), imp.err());
    org.junit.jupiter.api.Assertions.assertTrue(imp.err().contains(noCls + ": state dict: missing 'cls_token'"), imp.err());
  }
}
