package org.cropmae.app.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths of the official list files (relative to the official repository) found under a user's dataset root. */
class DatasetPathsTest {
  @TempDir Path tmp;

  @Test
  void officialRepositoryPathsAreFoundUnderTheRoot() throws Exception {
    Path root = tmp.resolve("my-davis");
    Path seq = Files.createDirectories(root.resolve("JPEGImages/480p/bike-packing"));
    Path listed = Path.of("datasets/davis-2017/DAVIS_480_880/JPEGImages/480p/bike-packing");
    assertEquals(seq, DatasetPaths.resolve(listed, tmp.resolve("lists"), root));
  }

  @Test
  void aPathNextToTheListWinsOverTheRoot() throws Exception {
    Path listDir = Files.createDirectories(tmp.resolve("lists"));
    Path near = Files.createDirectories(listDir.resolve("JPEGImages/480p/a"));
    Path root = tmp.resolve("root");
    Files.createDirectories(root.resolve("JPEGImages/480p/a"));
    assertEquals(near, DatasetPaths.resolve(Path.of("JPEGImages/480p/a"), listDir, root));
  }

  @Test
  void aMissingPathIsNamedUnderTheRoot() {
    Path root = tmp.resolve("root");
    assertEquals(root.resolve("x/y"), DatasetPaths.resolve(Path.of("x/y"), tmp, root));
  }
}
