package org.cropmae.app.evaluate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cropmae.runtime.eval.IndexMaskReader;
import org.cropmae.runtime.eval.VipEvaluator;
import org.cropmae.runtime.eval.VipMiou;
import org.cropmae.runtime.eval.VipScores;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.io.desktop.ImageFiles;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.LabelSet;
import org.cropmae.runtime.mask.Palette;
import org.cropmae.runtime.mask.PalettePng;
import org.cropmae.runtime.preprocess.ImageSize;
import org.cropmae.runtime.propagation.PropagationConfig;
import org.cropmae.runtime.tensor.FloatGrid;
import org.cropmae.runtime.video.MaskPropagator;

/**
 * VIP (video instance-level human parsing), as the official pipeline: {@code test.py} propagates the
 * category-id annotation of each video's first frame with the VIP preset (top-k 10, longer side 880,
 * the other side rounded down to a multiple of 64) and writes, for every frame including the first,
 * the arg-maxed prediction at that input size as {@code <out>/<video>/<frame>_mask.png} (class ids;
 * written here as a PNG whose palette is the grey ramp, so that OpenCV and PIL read the ids as the
 * official scorer does); {@code eval_vip.py} resizes each prediction to its label with PIL's nearest
 * neighbour and computes the mIoU over the 20 classes from one confusion matrix. Frame 0 counts in
 * the score, as in the official script.
 *
 * <p>Videos come from a {@code vip_vallist.txt}-style list or, without one, from every
 * {@code Images/<video>} folder that has an {@code Annotations/Category_ids/<video>} folder.
 */
final class VipSuite extends ListedSuite {
  private final int parallelism;

  private VipSuite(PropagationConfig config, List<BenchmarkVideo> videos, int parallelism) {
    super("vip", config, videos);
    this.parallelism = parallelism;
  }

  static VipSuite open(Path root, Path list, PropagationConfig config, int parallelism) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(root + ": VIP root folder not found");
    }
    List<BenchmarkVideo> videos = new ArrayList<>();
    if (list != null) {
      videos.addAll(readList(list, root, false));
    } else {
      Path images = root.resolve("Images");
      Path labels = root.resolve("Annotations").resolve("Category_ids");
      if (!Files.isDirectory(images) || !Files.isDirectory(labels)) {
        throw new NoSuchFileException(root + ": not a VIP folder (expected Images/ and Annotations/Category_ids/); or give --list");
      }
      List<Path> folders;
      try (Stream<Path> s = Files.list(images)) {
        folders = s.filter(Files::isDirectory).filter(p -> Files.isDirectory(labels.resolve(p.getFileName().toString())))
            .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
      }
      for (Path f : folders) {
        String id = f.getFileName().toString();
        videos.add(new BenchmarkVideo(videos.size(), id, f, labels.resolve(id)));
      }
    }
    if (videos.isEmpty()) {
      throw new IOException((list != null ? list : root) + ": no VIP video found");
    }
    return new VipSuite(config, videos, parallelism);
  }

  @Override
  public void propagate(BenchmarkVideo video, Engine engine, Path staging, Runnable frameDone) throws IOException {
    VosFrames v = VosFrames.of(video);
    IndexMask first = v.readFirstMask(Palette.GRAYSCALE);
    if (first.maxIndex() >= VipMiou.REFERENCE_CLASSES) {
      throw new IllegalArgumentException(v.firstAnnotation() + ": class id " + first.maxIndex() + " is not a VIP category (0.."
          + (VipMiou.REFERENCE_CLASSES - 1) + "); is this a Category_ids annotation?");
    }
    RgbImage frame0 = ImageFiles.readRgb(v.frames().get(0));
    Files.createDirectories(staging);
    try (MaskPropagator propagator = MaskPropagator.builder(engine.features(), config()).pool(engine.pool())
        .backend(engine.backend()).start(frame0, first)) {
      LabelSet labels = propagator.labels();
      ImageSize in = propagator.inputSize();
      write(staging, v.frames().get(0), labels.upsampleArgmax(propagator.firstLabels(), in.height(), in.width()));
      frameDone.run();
      for (int t = 1; t < v.frames().size(); t++) {
        Path file = v.frames().get(t);
        FloatGrid soft;
        try {
          soft = propagator.nextSoft(ImageFiles.readRgb(file));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        write(staging, file, labels.upsampleArgmax(soft, in.height(), in.width()));
        frameDone.run();
      }
    }
  }

  private static void write(Path dir, Path frame, IndexMask atInput) throws IOException {
    IndexMask ids = new IndexMask(atInput.height(), atInput.width(), atInput.indices(), Palette.GRAYSCALE);
    PalettePng.write(dir.resolve(maskName(frame)), ids);
  }

  /** The official name of a frame's prediction: {@code 000000000001.jpg} gives {@code 000000000001_mask.png}. */
  static String maskName(Path frame) {
    String name = frame.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return (dot > 0 ? name.substring(0, dot) : name) + "_mask.png";
  }

  @Override
  public BenchmarkScores score(List<BenchmarkVideo> done, Path out) throws IOException {
    VipEvaluator evaluator = new VipEvaluator(IndexMaskReader.PNG, VipMiou.REFERENCE_CLASSES, parallelism);
    VipMiou total = new VipMiou(VipMiou.REFERENCE_CLASSES);
    List<BenchmarkScores.Row> rows = new ArrayList<>();
    for (BenchmarkVideo video : done) {
      List<VipEvaluator.Pair> pairs = new ArrayList<>();
      try (Stream<Path> s = Files.list(out.resolve(resultPath(video)))) {
        for (Path p : s.sorted().toList()) {
          String name = p.getFileName().toString();
          if (name.contains("blend")) {
            continue;
          }
          int underscore = name.indexOf('_');
          String stem = underscore < 0 ? name : name.substring(0, underscore);
          pairs.add(new VipEvaluator.Pair(p, video.labels().resolve((stem + ".png").replace(".jpg", ".png"))));
        }
      }
      VipMiou one = evaluator.confusion(pairs);
      rows.add(new BenchmarkScores.Row(video.id(), List.of(one.scores().meanIoU(), (double) pairs.size())));
      total.merge(one);
    }
    VipScores scores = total.scores();
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("mIoU", scores.meanIoU());
    metrics.put("pixel-accuracy", scores.pixelAccuracy());
    metrics.put("mean-accuracy", scores.meanAccuracy());
    metrics.put("fwIoU", scores.frequencyWeightedIoU());
    Map<String, Object> perClass = new LinkedHashMap<>();
    for (int c = 0; c < VipMiou.REFERENCE_CLASSES; c++) {
      double iou = scores.classIoU()[c];
      perClass.put(VipMiou.CLASS_NAMES.get(c), Double.isNaN(iou) ? null : iou);
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("class_iou", perClass);
    return new BenchmarkScores(metrics, List.of("mIoU", "frames"), rows, details, List.of());
  }
}
