package org.cropmae.app.evaluate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cropmae.runtime.data.DavisDataset;
import org.cropmae.runtime.eval.DavisEvaluator;
import org.cropmae.runtime.eval.DavisGlobalScores;
import org.cropmae.runtime.eval.DavisReport;
import org.cropmae.runtime.eval.DavisSequenceScore;
import org.cropmae.runtime.eval.IndexMaskReader;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.io.desktop.ImageFiles;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.Palette;
import org.cropmae.runtime.mask.PalettePng;
import org.cropmae.runtime.propagation.PropagationConfig;
import org.cropmae.runtime.video.MaskPropagator;

/**
 * DAVIS-2017 semi-supervised, as the official pipeline: {@code test.py} propagates each sequence at
 * 480x880, {@code convert_davis.py} turns each frame's prediction into a palette PNG
 * {@code <out>/<sequence>/%05d.png} at the annotation's size (nearest neighbour), and the official
 * davis2017-evaluation scores them (J&F, J and F mean/recall/decay), writing its two CSV files
 * into the results folder.
 *
 * <p>Frame 0 is written as the official code writes it: the first annotation as the propagation
 * sees it (one-hot labels on the feature grid, upsampled and arg-maxed), not the annotation itself;
 * it is not scored. Sequences are found by {@code ImageSets/2017/<set>.txt} or, with a list file
 * ({@code davis_vallist_480_880.txt}), by its lines; results are paired with annotations by the
 * sequence's folder name (the official converter pairs by position in {@code val.txt}, which gives
 * the same pairs for the official list). Both the original 480p layout and the official
 * pre-resized {@code DAVIS_480_880} layout work: the input size is 480x880 either way.
 */
final class DavisSuite extends ListedSuite {
  private final DavisDataset dataset;
  private final String set;
  private final int parallelism;

  private DavisSuite(DavisDataset dataset, String set, PropagationConfig config, List<BenchmarkVideo> videos, int parallelism) {
    super("davis", config, videos);
    this.dataset = dataset;
    this.set = set;
    this.parallelism = parallelism;
  }

  /**
   * @param list a {@code davis_vallist_480_880.txt}-style list, or {@code null} for the sequences of
   *     {@code ImageSets/2017/<set>.txt}
   */
  static DavisSuite open(Path root, Path list, String set, PropagationConfig config, int parallelism) throws IOException {
    DavisDataset dataset = DavisDataset.open(root);
    List<BenchmarkVideo> videos = new ArrayList<>();
    if (list == null) {
      int i = 0;
      for (String name : dataset.sequenceNames(set)) {
        videos.add(new BenchmarkVideo(i++, name, dataset.imagesDir().resolve(name), dataset.annotationsDir().resolve(name)));
      }
    } else {
      videos.addAll(readList(list, root, false));
    }
    if (videos.isEmpty()) {
      throw new IOException((list != null ? list : dataset.imageSetFile(set)) + ": lists no sequence");
    }
    return new DavisSuite(dataset, set, config, videos, parallelism);
  }

  @Override
  public void propagate(BenchmarkVideo video, Engine engine, Path staging, Runnable frameDone) throws IOException {
    VosFrames v = VosFrames.of(video);
    IndexMask first = v.readFirstMask(Palette.DAVIS);
    RgbImage frame0 = ImageFiles.readRgb(v.frames().get(0));
    Files.createDirectories(staging);
    try (MaskPropagator propagator = MaskPropagator.builder(engine.features(), config()).pool(engine.pool())
        .backend(engine.backend()).start(frame0, first)) {
      PalettePng.write(staging.resolve(maskName(0)), propagator.toMask(propagator.firstLabels()));
      frameDone.run();
      for (int t = 1; t < v.frames().size(); t++) {
        Path file = v.frames().get(t);
        IndexMask mask;
        try {
          mask = propagator.next(ImageFiles.readRgb(file));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        PalettePng.write(staging.resolve(maskName(t)), mask);
        frameDone.run();
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().startsWith(video.frames().toString()) ? e.getMessage()
          : video.frames() + ": " + e.getMessage(), e);
    }
  }

  /** The official converter's name for frame {@code t}: {@code %05d.png}. */
  static String maskName(int t) {
    return String.format(Locale.ROOT, "%05d.png", t);
  }

  @Override
  public BenchmarkScores score(List<BenchmarkVideo> done, Path out) throws IOException {
    List<String> names = done.stream().map(BenchmarkVideo::id).toList();
    DavisReport report = DavisEvaluator.builder(IndexMaskReader.PNG).parallelism(parallelism).build()
        .evaluate(dataset, names, out).report();
    report.writeCsv(out, set);
    Map<String, Double> metrics = new LinkedHashMap<>();
    double[] values = report.global().values();
    for (int i = 0; i < values.length; i++) {
      metrics.put(DavisGlobalScores.COLUMNS.get(i), values[i]);
    }
    List<BenchmarkScores.Row> rows = new ArrayList<>();
    for (DavisSequenceScore s : report.perSequence()) {
      rows.add(new BenchmarkScores.Row(s.sequence(), List.of(s.jMean(), s.fMean())));
    }
    return new BenchmarkScores(metrics, List.of("J-Mean", "F-Mean"), rows, Map.of(),
        List.of(DavisReport.globalCsvName(set), DavisReport.perSequenceCsvName(set)));
  }
}
