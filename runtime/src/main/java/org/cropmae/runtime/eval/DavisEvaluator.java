package org.cropmae.runtime.eval;

import org.cropmae.runtime.mask.IndexMask;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cropmae.runtime.data.DavisDataset;
import org.cropmae.runtime.data.DavisSequence;

/**
 * Semi-supervised DAVIS-2017 evaluation of a folder of result masks, as
 * {@code davis2017.evaluation.DAVISEvaluation(task='semi-supervised')} computes it.
 *
 * <p>For each sequence: the objects are ids {@code 1..K}, K the largest label of the first
 * annotation (void 255 excluded); the first and last annotated frames are not scored; each other
 * annotated frame {@code <id>.png} is scored against {@code <results>/<sequence>/<id>.png}, a
 * single-channel PNG whose labels must not exceed K (missing objects score as empty masks). J and
 * F come from {@link DavisMetrics}, per-object statistics from {@link DavisStatistics}, and the
 * summary from {@link DavisReport}. Void pixels are not excluded (the reference passes none for
 * this task). Frames are scored in parallel; results do not depend on the thread count.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class DavisEvaluator {
  private final IndexMaskReader reader;
  private final double boundThreshold;
  private final int parallelism;

  private DavisEvaluator(Builder b) {
    this.reader = b.reader;
    this.boundThreshold = b.boundThreshold;
    this.parallelism = b.parallelism;
  }

  /** A builder reading masks with {@code reader}. */
  public static Builder builder(IndexMaskReader reader) {
    return new Builder(reader);
  }

  /** Options of a {@link DavisEvaluator}. */
  public static final class Builder {
    private final IndexMaskReader reader;
    private double boundThreshold = DavisMetrics.DEFAULT_BOUND_THRESHOLD;
    private int parallelism = Runtime.getRuntime().availableProcessors();

    private Builder(IndexMaskReader reader) {
      this.reader = Objects.requireNonNull(reader, "reader");
    }

    /** Boundary tolerance, see {@link DavisMetrics#boundaryRadius}; default 0.008. */
    public Builder boundThreshold(double boundThreshold) {
      DavisMetrics.boundaryRadius(1, 1, boundThreshold); // validates
      this.boundThreshold = boundThreshold;
      return this;
    }

    /** Worker threads; default the number of available processors. */
    public Builder parallelism(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("parallelism must be >= 1, got " + threads);
      }
      this.parallelism = threads;
      return this;
    }

    public DavisEvaluator build() {
      return new DavisEvaluator(this);
    }
  }

  /** Evaluates every sequence of {@code subset} (e.g. {@code "val"}) against {@code results}. */
  public DavisEvaluation evaluate(DavisDataset dataset, String subset, Path results)
      throws IOException {
    return evaluate(dataset, dataset.sequenceNames(subset), results);
  }

  /**
   * Evaluates the named sequences against {@code results}, which holds one folder of PNG masks
   * per sequence.
   *
   * @throws NoSuchFileException naming a missing results folder or result mask
   * @throws IOException naming an unreadable PNG, or an annotation folder with fewer PNGs than
   *     frames
   * @throws IllegalArgumentException naming a mask whose size differs from the annotation's, a
   *     result with a label above the object count, or a sequence with fewer than 3 annotations
   */
  public DavisEvaluation evaluate(DavisDataset dataset, List<String> sequences, Path results)
      throws IOException {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(sequences, "sequences");
    Objects.requireNonNull(results, "results");
    List<Parallel.Task<Setup>> setupTasks = new ArrayList<>();
    for (String name : sequences) {
      setupTasks.add(() -> setup(dataset, name, results));
    }
    List<Setup> setups = Parallel.run(setupTasks, parallelism);

    List<Parallel.Task<DavisMetrics.FrameScores>> frameTasks = new ArrayList<>();
    for (Setup s : setups) {
      for (int i = 1; i < s.ids.size() - 1; i++) {
        int frame = i;
        frameTasks.add(() -> scoreFrame(s, frame));
      }
    }
    List<DavisMetrics.FrameScores> scores = Parallel.run(frameTasks, parallelism);

    List<DavisObjectResult> objects = new ArrayList<>();
    int next = 0;
    for (Setup s : setups) {
      int frames = s.ids.size() - 2;
      List<String> frameIds = s.ids.subList(1, s.ids.size() - 1);
      for (int o = 0; o < s.numObjects; o++) {
        double[] j = new double[frames];
        double[] f = new double[frames];
        for (int t = 0; t < frames; t++) {
          DavisMetrics.FrameScores fs = scores.get(next + t);
          j[t] = fs.jaccard()[o];
          f[t] = fs.boundaryF()[o];
        }
        objects.add(
            new DavisObjectResult(
                s.sequence.name(),
                o + 1,
                frameIds,
                j,
                f,
                DavisStatistics.of(j),
                DavisStatistics.of(f)));
      }
      next += frames;
    }
    return new DavisEvaluation(objects);
  }

  /** What a sequence's frame tasks share. */
  private record Setup(
      DavisSequence sequence, List<String> ids, Path resultDir, int numObjects, int height,
      int width, int radius) {}

  private Setup setup(DavisDataset dataset, String name, Path results) throws IOException {
    DavisSequence seq = dataset.sequence(name);
    int annotated = seq.annotations().size();
    if (annotated < seq.images().size()) {
      throw new IOException(
          dataset.annotationsDir().resolve(name) + ": " + annotated + " annotation PNGs for "
              + seq.images().size() + " frames; every frame needs one");
    }
    if (annotated < 3) {
      throw new IllegalArgumentException(
          dataset.annotationsDir().resolve(name) + ": " + annotated
              + " annotated frames; the first and last are not scored, so at least 3 are needed");
    }
    Path resultDir = results.resolve(name);
    if (!Files.isDirectory(resultDir)) {
      throw new NoSuchFileException(resultDir + ": results folder of sequence '" + name
          + "' not found");
    }
    IndexMask first = reader.read(seq.annotations().get(0));
    int numObjects = 0;
    for (byte b : first.indices()) {
      int v = b & 0xFF;
      if (v != DavisMetrics.VOID_LABEL) {
        numObjects = Math.max(numObjects, v);
      }
    }
    int radius = DavisMetrics.boundaryRadius(first.height(), first.width(), boundThreshold);
    return new Setup(
        seq, seq.annotationIds(), resultDir, numObjects, first.height(), first.width(), radius);
  }

  private DavisMetrics.FrameScores scoreFrame(Setup s, int frame) throws IOException {
    Path annotationPath = s.sequence.annotations().get(frame);
    IndexMask annotation = reader.read(annotationPath);
    requireSize(annotationPath, annotation, s, "first annotation");
    Path resultPath = s.resultDir.resolve(s.ids.get(frame) + ".png");
    if (!Files.isRegularFile(resultPath)) {
      throw new NoSuchFileException(
          resultPath + ": result mask for frame " + s.ids.get(frame) + " of sequence '"
              + s.sequence.name() + "' not found");
    }
    IndexMask result = reader.read(resultPath);
    requireSize(resultPath, result, s, "annotation");
    int max = result.maxIndex();
    if (max > s.numObjects) {
      throw new IllegalArgumentException(
          resultPath + ": holds label " + max + " but the first annotation of sequence '"
              + s.sequence.name() + "' has only " + s.numObjects + " objects");
    }
    return DavisMetrics.evaluateFrame(
        annotation.indices(), result.indices(), s.height, s.width, s.numObjects, s.radius);
  }

  private static void requireSize(Path path, IndexMask mask, Setup s, String what) {
    if (mask.height() != s.height || mask.width() != s.width) {
      throw new IllegalArgumentException(
          path + ": mask is " + mask.height() + "x" + mask.width() + " (height x width) but the "
              + what + " is " + s.height + "x" + s.width);
    }
  }
}
