package org.cropmae.runtime.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Lists the frames of a video folder in the reference's order: by the integer before the first
 * dot of the file name ({@code int(name.split('.')[0])}), so {@code 2.jpg} precedes {@code 10.jpg}.
 */
public final class FrameFolders {
  private FrameFolders() {}

  /** Every entry: the frame folders of DAVIS and VIP lists ({@code vos.py} keeps all files). */
  public static final Predicate<String> ALL = name -> true;

  /** Label files of DAVIS and VIP lists: names without {@code "npy"} (skips cached arrays). */
  public static final Predicate<String> VOS_LABELS = name -> !name.contains("npy");

  /** Frames of JHMDB lists: names containing {@code ".png"}. */
  public static final Predicate<String> JHMDB_FRAMES = name -> name.contains(".png");

  /** Image files a user's video folder holds: {@code .jpg}, {@code .jpeg}, {@code .png}, any case. */
  public static final Predicate<String> IMAGES = name -> {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
  };

  /**
   * The images of a user's video folder in video order: by frame number as {@link #list} when every
   * name starts with a number, otherwise by file name.
   *
   * @throws IOException naming {@code dir} when it is missing or holds no image
   */
  public static List<Path> listImages(Path dir) throws IOException {
    List<Path> images;
    try {
      images = list(dir, IMAGES);
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException notNumbered) {
      try (Stream<Path> s = Files.list(dir)) {
        images = s.filter(p -> IMAGES.test(p.getFileName().toString()))
            .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
      }
    }
    if (images.isEmpty()) {
      throw new IOException(dir + ": no .jpg, .jpeg or .png frames");
    }
    return images;
  }

  /**
   * The entries of {@code dir} whose file name passes {@code keep}, sorted by frame number (ties by
   * name).
   *
   * @throws IOException naming the entry whose name does not start with a frame number
   */
  public static List<Path> list(Path dir, Predicate<String> keep) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(keep, "keep");
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir + ": frame folder not found");
    }
    List<Path> entries;
    try (Stream<Path> s = Files.list(dir)) {
      entries = s.filter(p -> keep.test(p.getFileName().toString())).toList();
    }
    List<Numbered> numbered = new ArrayList<>(entries.size());
    for (Path p : entries) {
      numbered.add(new Numbered(frameNumber(p), p));
    }
    numbered.sort(
        Comparator.comparingLong(Numbered::number)
            .thenComparing(n -> n.path().getFileName().toString()));
    return numbered.stream().map(Numbered::path).toList();
  }

  private record Numbered(long number, Path path) {}

  private static long frameNumber(Path p) throws IOException {
    String name = p.getFileName().toString();
    int dot = name.indexOf('.');
    String head = (dot < 0 ? name : name.substring(0, dot)).strip();
    try {
      return Long.parseLong(head);
    } catch (NumberFormatException e) {
      throw new IOException(p + ": file name does not start with a frame number");
    }
  }
}
