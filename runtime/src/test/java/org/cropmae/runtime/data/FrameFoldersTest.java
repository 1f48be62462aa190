package org.cropmae.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameFoldersTest {
  private static List<String> names(List<Path> paths) {
    return paths.stream().map(p -> p.getFileName().toString()).toList();
  }

  @Test
  void sortsByFrameNumberNotByName(@TempDir Path dir) throws Exception {
    for (String f : List.of("10.png", "2.png", "1.png", "2_onehot.npy", "00003.png")) {
      Files.write(dir.resolve(f), new byte[0]);
    }
    // Labels skip cached .npy files; 2 < 3 < 10 numerically.
    assertEquals(
        List.of("1.png", "2.png", "00003.png", "10.png"),
        names(FrameFolders.list(dir, FrameFolders.VOS_LABELS)));
    assertEquals(
        List.of("1.png", "2.png", "00003.png", "10.png"),
        names(FrameFolders.list(dir, FrameFolders.JHMDB_FRAMES)));
  }

  @Test
  void nonNumericNameAndMissingFolderAreNamed(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("thumbs.db"), new byte[0]);
    IOException e = assertThrows(IOException.class, () -> FrameFolders.list(dir, FrameFolders.ALL));
    assertTrue(e.getMessage().startsWith(dir.resolve("thumbs.db").toString()), e.getMessage());
    Path missing = dir.resolve("missing");
    e = assertThrows(NoSuchFileException.class, () -> FrameFolders.list(missing, FrameFolders.ALL));
    assertTrue(e.getMessage().startsWith(missing.toString()), e.getMessage());
  }
}
