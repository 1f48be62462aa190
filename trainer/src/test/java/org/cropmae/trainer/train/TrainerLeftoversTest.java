package org.cropmae.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A crashed run's temporary files are removed when a run starts or resumes in its folder. */
class TrainerLeftoversTest {
  @TempDir Path dir;

  @Test
  void partialFilesOfAnInterruptedRunAreRemoved() throws IOException {
    Path partial = Files.write(dir.resolve(".checkpoint-4.pth.k3j2h1.part"), new byte[1000]);
    Path plot = Files.createDirectories(dir.resolve(Trainer.RECONSTRUCTIONS))
        .resolve(".epoch-0004.png.zz9.part");
    Files.write(plot, new byte[1]);
    Path kept = Files.write(dir.resolve("checkpoint-3.pth"), new byte[10]);
    assertEquals(2, Trainer.removePartialFiles(dir));
    assertFalse(Files.exists(partial));
    assertFalse(Files.exists(plot));
    assertTrue(Files.exists(kept));
    assertEquals(0, Trainer.removePartialFiles(dir));
  }
}
