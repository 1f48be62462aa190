package org.cropmae.android.demo.logic;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.cropmae.runtime.io.AtomicFiles;

/**
 * Copies a bundled encoder out of the APK into a folder ONNX Runtime can open it from. An asset is
 * not a file (it sits compressed or not inside the APK), and the runtime's
 * {@code OnnxEncoder.open} takes a path.
 *
 * <p>Copies are kept per app build ({@code stamp}, e.g. version code and install time), so a
 * model is copied once after each install or update and never re-read on later starts; copies of
 * other builds are deleted. The copy is atomic: a half-written model never has the final name.
 */
public final class ModelCache {
  private ModelCache() {}

  /** Opens the bundled model (the asset). */
  @FunctionalInterface
  public interface Source {
    InputStream open() throws IOException;
  }

  /**
   * The model as a file, copying it first if this build has not yet.
   *
   * @param root the cache folder, e.g. {@code filesDir/models}
   * @param stamp identifies the app build: ASCII letters, digits, '-', '_' and '.' only
   * @param fileName the model's file name, e.g. {@code cropmae-reference-tiny.onnx}
   * @param source opens the bundled bytes; only called when a copy is needed
   * @return {@code root/stamp/fileName}
   * @throws IllegalArgumentException when {@code stamp} or {@code fileName} is empty or not a plain name
   * @throws IOException when the copy fails (nothing is left under the final name)
   */
  public static Path ensure(Path root, String stamp, String fileName, Source source) throws IOException {
    checkName(stamp, "stamp");
    checkName(fileName, "fileName");
    Path dir = root.resolve(stamp);
    Path target = dir.resolve(fileName);
    if (Files.isRegularFile(target)) {
      return target;
    }
    deleteOtherBuilds(root, stamp);
    try (InputStream in = source.open()) {
      if (in == null) {
        throw new IOException("bundled model " + fileName + " is missing from the app");
      }
      AtomicFiles.write(target, out -> {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) >= 0; ) {
          out.write(buffer, 0, n);
        }
      });
    }
    return target;
  }

  private static void deleteOtherBuilds(Path root, String stamp) throws IOException {
    if (!Files.isDirectory(root)) {
      return;
    }
    List<Path> stale = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path p : entries) {
        if (!p.getFileName().toString().equals(stamp)) {
          stale.add(p);
        }
      }
    }
    for (Path p : stale) {
      try (Stream<Path> tree = Files.walk(p)) {
        for (Path q : (Iterable<Path>) tree.sorted(Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(q);
        }
      }
    }
  }

  private static void checkName(String name, String what) {
    if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException(what + " must be a plain file name, got '" + name + "'");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
      if (!ok) {
        throw new IllegalArgumentException(what + " must be a plain file name (letters, digits, '.', '-', '_'), got '" + name + "'");
      }
    }
  }
}
