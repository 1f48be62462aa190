package org.cropmae.trainer.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --resume} reads checkpoints with the same checked reader: a flipped bit is refused, not trained on. */
class ResumeCorruptCheckpointTest {
  @TempDir Path dir;

  @Test
  void aCheckpointWithAFlippedStorageBitIsRefused() throws Exception {
    Path official = Path.of(getClass().getResource("/reference/checkpoint.pth").toURI());
    assertTrue(TrainingCheckpoint.load(official).epoch() >= 0); // the intact file loads
    byte[] file = Files.readAllBytes(official);
    String name;
    long dataAt;
    try (ZipFile zip = new ZipFile(official.toFile())) {
      ZipEntry largest = zip.stream().filter(e -> e.getName().contains("/data/"))
          .max(Comparator.comparingLong(ZipEntry::getSize)).orElseThrow();
      name = largest.getName();
      // Find its local header to flip a byte in the middle of its data.
      byte[] n = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      int loc = -1;
      for (int i = 0; i + 30 + n.length < file.length && loc < 0; i++) {
        if (file[i] == 'P' && file[i + 1] == 'K' && file[i + 2] == 3 && file[i + 3] == 4
            && java.util.Arrays.equals(file, i + 30, i + 30 + n.length, n, 0, n.length)) {
          loc = i;
        }
      }
      int extra = (file[loc + 28] & 0xFF) | (file[loc + 29] & 0xFF) << 8;
      dataAt = loc + 30L + n.length + extra + largest.getSize() / 3;
    }
    file[(int) dataAt] ^= 0x04;
    Path broken = Files.write(dir.resolve("checkpoint-7.pth"), file);
    IOException e = assertThrows(IOException.class, () -> TrainingCheckpoint.load(TrainingCheckpoint.resolve(broken)));
    assertTrue(e.getMessage().startsWith(broken + ": record " + name + " fails its CRC-32 check"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }
}
