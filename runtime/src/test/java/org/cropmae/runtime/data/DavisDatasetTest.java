package org.cropmae.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DavisDatasetTest {
  private static Path touch(Path p) throws Exception {
    Files.createDirectories(p.getParent());
    return Files.write(p, new byte[0]);
  }

  private static Path layout(Path root) throws Exception {
    for (String f : List.of("00010.jpg", "00002.jpg", "00000.jpg", ".hidden.jpg", "notes.txt")) {
      touch(root.resolve("JPEGImages/480p/cows/" + f));
    }
    for (String f : List.of("00010.png", "00000.png", "00002.png", "a.b.png")) {
      touch(root.resolve("Annotations/480p/cows/" + f));
    }
    touch(root.resolve("JPEGImages/480p/dogs/00000.jpg"));
    Files.createDirectories(root.resolve("ImageSets/2017"));
    Files.writeString(root.resolve("ImageSets/2017/val.txt"), "cows\n  dogs \n\ncows\n");
    return root;
  }

  @Test
  void readsSequencesInReferenceOrder(@TempDir Path dir) throws Exception {
    DavisDataset d = DavisDataset.open(layout(dir));
    // Trimmed, blank lines skipped, repeated names once, file order kept.
    assertEquals(List.of("cows", "dogs"), d.sequenceNames("val"));
    DavisSequence cows = d.sequence("cows");
    // Sorted by name (zero-padded, as DAVIS names frames); hidden and other files ignored.
    assertEquals(
        List.of("00000.jpg", "00002.jpg", "00010.jpg"),
        cows.images().stream().map(p -> p.getFileName().toString()).toList());
    assertEquals(dir.resolve("Annotations/480p/cows/00000.png"), cows.annotations().get(0));
    // Frame ids drop the extension and, like the reference, the remaining dots.
    assertEquals(List.of("00000", "00002", "00010", "ab"), cows.annotationIds());
    List<DavisSequence> all = d.sequences("val");
    assertEquals(2, all.size());
    assertTrue(all.get(1).annotations().isEmpty());
  }

  @Test
  void missingPiecesAreNamed(@TempDir Path dir) throws Exception {
    NoSuchFileException e =
        assertThrows(NoSuchFileException.class, () -> DavisDataset.open(dir.resolve("nope")));
    assertTrue(e.getMessage().startsWith(dir.resolve("nope").toString()), e.getMessage());

    DavisDataset d = DavisDataset.open(layout(dir));
    e = assertThrows(NoSuchFileException.class, () -> d.sequenceNames("test-dev"));
    assertTrue(e.getMessage().contains("test-dev.txt"), e.getMessage());
    e = assertThrows(NoSuchFileException.class, () -> d.sequence("horses"));
    assertTrue(e.getMessage().contains("horses"), e.getMessage());

    Path noAnn = dir.resolve("other");
    Files.createDirectories(noAnn.resolve("JPEGImages/480p"));
    e = assertThrows(NoSuchFileException.class, () -> DavisDataset.open(noAnn));
    assertTrue(e.getMessage().contains("Annotations"), e.getMessage());
  }
}
