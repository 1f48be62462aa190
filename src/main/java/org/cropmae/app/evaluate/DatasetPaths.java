package org.cropmae.app.evaluate;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the files a benchmark list names. The official lists hold paths relative to the official
 * repository's working directory ({@code datasets/davis-2017/DAVIS_480_880/JPEGImages/480p/...});
 * a user's dataset lives elsewhere, so a relative path is tried, in order, against the current
 * folder, the list file's folder, and then with its leading components removed one at a time
 * against the dataset root ({@code datasets/jhmdb/Rename_Images/x/y} finds {@code <root>/Rename_Images/x/y}).
 */
final class DatasetPaths {
  private DatasetPaths() {}

  /**
   * The existing path {@code listed} refers to, or {@code root.resolve(listed)} when none exists (so
   * the error that follows names a plausible place).
   */
  static Path resolve(Path listed, Path listDir, Path root) {
    if (listed.isAbsolute()) {
      return listed;
    }
    if (Files.exists(listed)) {
      return listed;
    }
    if (listDir != null && Files.exists(listDir.resolve(listed))) {
      return listDir.resolve(listed);
    }
    int n = listed.getNameCount();
    for (int i = 0; i < n; i++) {
      Path candidate = root.resolve(listed.subpath(i, n));
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    return root.resolve(listed);
  }
}
