package org.cropmae.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesReplacesAndLeavesNoTemporaryFile() throws IOException {
    Path f = dir.resolve("a.bin");
    AtomicFiles.write(f, new byte[] {1, 2, 3});
    AtomicFiles.write(f, out -> {
      out.write(4);
      out.write(new byte[100_000]);
    });
    byte[] got = Files.readAllBytes(f);
    assertEquals(100_001, got.length);
    assertEquals(4, got[0]);
    assertEquals(List.of("a.bin"), names());
    // Into a folder that does not exist yet (created, then forced after the rename).
    AtomicFiles.write(dir.resolve("sub/b.txt"), "x".getBytes());
    assertArrayEquals("x".getBytes(), Files.readAllBytes(dir.resolve("sub/b.txt")));
  }

  @Test
  void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
    Path f = dir.resolve("keep.txt");
    AtomicFiles.write(f, "old".getBytes());
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
      out.write("partial".getBytes());
      throw new IOException("disk full");
    }));
    assertEquals("disk full", e.getMessage());
    assertEquals("old", Files.readString(f));
    assertEquals(List.of("keep.txt"), names());
  }

  @Test
  void forcingAFolderNeverFails() {
    AtomicFiles.forceDirectory(dir);
    AtomicFiles.forceDirectory(dir.resolve("missing"));
  }

  @Test
  void leftoverTemporaryFilesAreRecognisedAndRemoved() throws IOException {
    Path tmpName = dir.resolve(".checkpoint-3.pth.3w5e11264sgsg.part");
    Files.write(tmpName, new byte[10]);
    Files.write(dir.resolve(".log.csv.0.part"), new byte[1]);
    Files.write(dir.resolve("checkpoint-2.pth"), new byte[1]);
    Files.write(dir.resolve("model.part"), new byte[1]); // not ours: no leading dot
    Files.write(dir.resolve(".hidden"), new byte[1]);
    Files.createDirectory(dir.resolve(".folder.abc.part"));
    assertTrue(AtomicFiles.isTemporaryName(tmpName.getFileName().toString()));
    assertFalse(AtomicFiles.isTemporaryName("checkpoint-2.pth"));
    assertEquals(2, AtomicFiles.removeLeftovers(dir));
    assertEquals(List.of(".folder.abc.part", ".hidden", "checkpoint-2.pth", "model.part"), names());
    assertEquals(0, AtomicFiles.removeLeftovers(dir));
    assertEquals(0, AtomicFiles.removeLeftovers(dir.resolve("missing")));
  }

  @Test
  void temporaryNamesMatchWhatWriteUses() throws IOException {
    // Interrupt a write mid-way and look at the temporary file it made.
    Path f = dir.resolve("x.pth");
    String[] seen = new String[1];
    assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
      seen[0] = names().get(0);
      throw new IOException("crash");
    }));
    assertTrue(AtomicFiles.isTemporaryName(seen[0]), seen[0]);
  }

  @Test
  void errorsNameThePathAndTheReason() throws IOException {
    // A file where the output folder should be.
    Files.write(dir.resolve("masks"), new byte[1]);
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(dir.resolve("masks/00000.png"), new byte[1]));
    assertEquals(dir.resolve("masks") + ": a file is where the output folder should be; choose another output path",
        e.getMessage());
    // Below such a file: the JDK's reason ("Not a directory") with the path.
    e = assertThrows(IOException.class, () -> AtomicFiles.write(dir.resolve("masks/sub/00000.png"), new byte[1]));
    assertTrue(e.getMessage().startsWith(dir.resolve("masks/sub/00000.png") + ": cannot write ("), e.getMessage());
    assertTrue(e.getMessage().contains("Not a directory"), e.getMessage());
    // The content's own errors pass through unchanged; nothing is left behind.
    IOException own = new IOException("clip.mp4: corrupt frame 7");
    assertEquals(own, assertThrows(IOException.class, () -> AtomicFiles.write(dir.resolve("x.bin"), out -> {
      throw own;
    })));
    assertEquals(List.of("masks"), names());
  }

  @Test
  void fileErrorsGiveBothThePathAndTheReason() {
    Path p = Path.of("/data/out/00001.png");
    // A full disk: the JDK's message is the reason alone.
    assertEquals("/data/out/00001.png: cannot write (No space left on device)",
        FileErrors.writing(p, new IOException("No space left on device")).getMessage());
    // The JDK's exceptions that carry the path alone get a reason.
    assertEquals("/data/out: no such file or folder", FileErrors.describe(new java.nio.file.NoSuchFileException("/data/out")));
    assertEquals("/data/out: permission denied", FileErrors.describe(new java.nio.file.AccessDeniedException("/data/out")));
    assertEquals("/data/out: not a folder", FileErrors.describe(new java.nio.file.NotDirectoryException("/data/out")));
    assertEquals("/a -> /b: Read-only file system",
        FileErrors.describe(new java.nio.file.FileSystemException("/a", "/b", "Read-only file system")));
    assertEquals("/data/out/00001.png: cannot write (permission denied)",
        FileErrors.writing(p, new java.nio.file.AccessDeniedException(p.toString())).getMessage());
  }
}
