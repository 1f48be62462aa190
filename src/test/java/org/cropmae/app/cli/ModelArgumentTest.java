package org.cropmae.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.cropmae.runtime.io.Npy;
import org.cropmae.runtime.io.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One --model argument for every command: ONNX file, registry name or checkpoint. */
class ModelArgumentTest {
  @TempDir Path tmp;

  /** A checkpoint converted in memory gives the official encoder output (1e-4 abs, as ImportEmbedPropagateTest). */
  @Test
  void embedTakesACheckpoint() throws Exception {
    Path out = tmp.resolve("y.npy");
    Cli.Result r = Cli.run("embed", "--model", Cli.reference("checkpoint.pth").toString(), "--input",
        Cli.reference("encoder_input_224x224.npy").toString(), "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    float[] want = Npy.read(Cli.reference("encoder_output_224x224.npy")).toFloatArray();
    float[] got = Npy.read(out).toFloatArray();
    assertEquals(want.length, got.length);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 1e-4, "value " + i);
    }
  }

  @Test
  void embedTakesARegistryName() throws Exception {
    Path out = tmp.resolve("y.npy");
    Cli.Result r = Cli.run("embed", "--model", "cropmae-reference-tiny", "--input",
        Cli.reference("encoder_input_224x224.npy").toString(), "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    NpyArray y = Npy.read(out);
    assertEquals(3, y.rank());
    assertEquals(197, y.dim(1));
  }

  @Test
  void anUnknownNameIsOneLine() {
    Cli.Result r = Cli.run("embed", "--model", "no-such-model", "--input",
        Cli.reference("encoder_input_224x224.npy").toString(), "--out", tmp.resolve("y.npy").toString());
    assertEquals(1, r.exitCode());
    assertEquals(1, r.errLines(), r.err());
    assertTrue(r.err().contains("no-such-model"), r.err());
  }
}
