package org.cropmae.runtime.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A DAVIS-2017 dataset folder: {@code JPEGImages/<res>/<seq>/*.jpg},
 * {@code Annotations/<res>/<seq>/*.png} and {@code ImageSets/2017/<subset>.txt}, read the way
 * {@code davis2017.davis.DAVIS} reads it for the semi-supervised task.
 */
public final class DavisDataset {
  /** The resolution folder the benchmark uses. */
  public static final String DEFAULT_RESOLUTION = "480p";

  private final Path root;
  private final String resolution;

  private DavisDataset(Path root, String resolution) {
    this.root = root;
    this.resolution = resolution;
  }

  /** Opens {@code root} at {@value #DEFAULT_RESOLUTION}. */
  public static DavisDataset open(Path root) throws IOException {
    return open(root, DEFAULT_RESOLUTION);
  }

  /**
   * Opens {@code root} at {@code resolution} (a folder name such as {@code "480p"} or
   * {@code "Full-Resolution"}).
   *
   * @throws NoSuchFileException when {@code root} or its annotations folder is missing
   */
  public static DavisDataset open(Path root, String resolution) throws IOException {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(resolution, "resolution");
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(root + ": DAVIS root folder not found");
    }
    DavisDataset d = new DavisDataset(root, resolution);
    if (!Files.isDirectory(d.annotationsDir())) {
      throw new NoSuchFileException(d.annotationsDir() + ": DAVIS annotations folder not found");
    }
    return d;
  }

  public Path root() {
    return root;
  }

  public String resolution() {
    return resolution;
  }

  /** {@code <root>/JPEGImages/<resolution>}. */
  public Path imagesDir() {
    return root.resolve("JPEGImages").resolve(resolution);
  }

  /** {@code <root>/Annotations/<resolution>}. */
  public Path annotationsDir() {
    return root.resolve("Annotations").resolve(resolution);
  }

  /** {@code <root>/ImageSets/2017/<subset>.txt}. */
  public Path imageSetFile(String subset) {
    return root.resolve("ImageSets").resolve("2017").resolve(subset + ".txt");
  }

  /**
   * The sequence names listed for {@code subset} (e.g. {@code "val"}), one per line, trimmed, in
   * file order; blank lines are skipped and repeated names kept once (the reference keys its
   * sequences by name).
   */
  public List<String> sequenceNames(String subset) throws IOException {
    Objects.requireNonNull(subset, "subset");
    Path file = imageSetFile(subset);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file + ": sequence list for subset '" + subset + "' not found");
    }
    LinkedHashSet<String> names = new LinkedHashSet<>();
    for (String line : Files.readAllLines(file)) {
      String name = line.strip();
      if (!name.isEmpty()) {
        names.add(name);
      }
    }
    return List.copyOf(names);
  }

  /** The sequences of {@code subset}, in list order. */
  public List<DavisSequence> sequences(String subset) throws IOException {
    List<DavisSequence> out = new ArrayList<>();
    for (String name : sequenceNames(subset)) {
      out.add(sequence(name));
    }
    return out;
  }

  /**
   * One sequence by name. Its frames and annotations are the {@code *.jpg} and {@code *.png}
   * files of its folders (hidden files excluded, as {@code glob} does), sorted by name.
   *
   * @throws NoSuchFileException when the sequence has no frames
   */
  public DavisSequence sequence(String name) throws IOException {
    Objects.requireNonNull(name, "name");
    Path imageDir = imagesDir().resolve(name);
    List<Path> images = listSorted(imageDir, ".jpg");
    if (images.isEmpty()) {
      throw new NoSuchFileException(imageDir + ": no .jpg frames for sequence '" + name + "'");
    }
    List<Path> annotations = listSorted(annotationsDir().resolve(name), ".png");
    return new DavisSequence(name, images, annotations);
  }

  private static List<Path> listSorted(Path dir, String suffix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(
              p -> {
                String n = p.getFileName().toString();
                return n.endsWith(suffix) && !n.startsWith(".") && Files.isRegularFile(p);
              })
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
          .toList();
    }
  }
}
