package org.cropmae.runtime.eval;

import org.cropmae.runtime.mask.IndexMask;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Scores a folder of VIP predictions against the VIP category labels, pairing files as
 * {@code src/eval/eval_vip.py} does: every file of every video folder of the predictions whose
 * name does not contain {@code "blend"} is a prediction, and its label is
 * {@code <labels>/<video>/<name up to the first '_'>.png} (so {@code 000000000001_mask.png} pairs
 * with {@code 000000000001.png}). Predictions are single-channel PNGs of class ids (the reference
 * writes greyscale PNGs). Files are read in parallel; the result does not depend on the order.
 */
public final class VipEvaluator {
  private final IndexMaskReader reader;
  private final int numClasses;
  private final int parallelism;

  /**
   * @param reader mask decoder
   * @param numClasses {@link VipMiou#REFERENCE_CLASSES} for VIP
   * @param parallelism worker threads (>= 1)
   */
  public VipEvaluator(IndexMaskReader reader, int numClasses, int parallelism) {
    this.reader = Objects.requireNonNull(reader, "reader");
    new VipMiou(numClasses); // validates
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
    }
    this.numClasses = numClasses;
    this.parallelism = parallelism;
  }

  /** A prediction file and its label file. */
  public record Pair(Path prediction, Path label) {}

  /**
   * The prediction/label pairs under {@code predictions}, videos and files in name order.
   * Entries of {@code predictions} that are not folders are ignored.
   */
  public static List<Pair> pairs(Path labels, Path predictions) throws IOException {
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(predictions, "predictions");
    if (!Files.isDirectory(predictions)) {
      throw new NoSuchFileException(predictions + ": predictions folder not found");
    }
    List<Pair> out = new ArrayList<>();
    for (Path video : sortedEntries(predictions)) {
      if (!Files.isDirectory(video)) {
        continue;
      }
      String videoName = video.getFileName().toString();
      for (Path file : sortedEntries(video)) {
        String name = file.getFileName().toString();
        if (name.contains("blend")) {
          continue;
        }
        int underscore = name.indexOf('_');
        String stem = underscore < 0 ? name : name.substring(0, underscore);
        String labelName = (stem + ".png").replace(".jpg", ".png");
        out.add(new Pair(file, labels.resolve(videoName).resolve(labelName)));
      }
    }
    return out;
  }

  private static List<Path> sortedEntries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
    }
  }

  /**
   * Scores every prediction under {@code predictions} against {@code labels}.
   *
   * @throws NoSuchFileException naming a missing label file
   * @throws IOException naming an unreadable PNG
   * @throws IllegalArgumentException naming a prediction with a class above numClasses
   */
  public VipScores evaluate(Path labels, Path predictions) throws IOException {
    return evaluate(pairs(labels, predictions));
  }

  /**
   * Scores the given prediction/label pairs (for example those of some videos only, as
   * {@code cropmae evaluate vip} builds them).
   *
   * @throws NoSuchFileException naming a missing label file
   * @throws IOException naming an unreadable PNG
   * @throws IllegalArgumentException naming a prediction with a class above numClasses
   */
  public VipScores evaluate(List<Pair> pairs) throws IOException {
    return confusion(pairs).scores();
  }

  /**
   * The confusion matrix of the given pairs, for callers that score parts separately and then
   * {@link VipMiou#merge} them (each file is read once).
   *
   * @throws NoSuchFileException naming a missing label file
   * @throws IOException naming an unreadable PNG
   * @throws IllegalArgumentException naming a prediction with a class above numClasses
   */
  public VipMiou confusion(List<Pair> pairs) throws IOException {
    Objects.requireNonNull(pairs, "pairs");
    List<Parallel.Task<VipMiou>> tasks = new ArrayList<>(pairs.size());
    for (Pair pair : pairs) {
      tasks.add(() -> score(pair));
    }
    VipMiou total = new VipMiou(numClasses);
    for (VipMiou part : Parallel.run(tasks, parallelism)) {
      total.merge(part);
    }
    return total;
  }

  private VipMiou score(Pair pair) throws IOException {
    if (!Files.isRegularFile(pair.label())) {
      throw new NoSuchFileException(
          pair.label() + ": label of prediction " + pair.prediction() + " not found");
    }
    IndexMask label = reader.read(pair.label());
    IndexMask prediction = reader.read(pair.prediction());
    VipMiou m = new VipMiou(numClasses);
    try {
      m.add(label, prediction);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(pair.prediction() + ": " + e.getMessage(), e);
    }
    return m;
  }
}
