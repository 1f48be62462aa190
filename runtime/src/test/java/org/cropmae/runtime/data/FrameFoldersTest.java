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

  @Test
  void listImagesOrdersNumberedFramesByNumberOthersByNameAndSkipsNonImages(@TempDir Path dir) throws Exception {
    Path numbered = Files.createDirectories(dir.resolve("numbered"));
    for (String n : List.of("10.jpg", "2.JPG", "1.png", "notes.txt")) {
      Files.writeString(numbered.resolve(n), "x");
    }
    assertEquals(List.of("1.png", "2.JPG", "10.jpg"),
        FrameFolders.listImages(numbered).stream().map(p -> p.getFileName().toString()).toList());

    Path named = Files.createDirectories(dir.resolve("named"));
    for (String n : List.of("b.jpg", "frame10.png", "a.jpeg")) {
      Files.writeString(named.resolve(n), "x");
    }
    assertEquals(List.of("a.jpeg", "b.jpg", "frame10.png"),
        FrameFolders.listImages(named).stream().map(p -> p.getFileName().toString()).toList());

    Path empty = Files.createDirectories(dir.resolve("empty"));
    Files.writeString(empty.resolve("readme.txt"), "x");
    IOException e = assertThrows(IOException.class, () -> FrameFolders.listImages(empty));
    assertEquals(empty + ": no .jpg, .jpeg or .png frames", e.getMessage());
  }
}
