package org.cropmae.app.evaluate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cropmae.runtime.data.FrameFolders;
import org.cropmae.runtime.eval.JhmdbPck;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.io.Npy;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.io.desktop.ImageFiles;
import org.cropmae.runtime.pose.PoseLabels;
import org.cropmae.runtime.preprocess.ImageNormalization;
import org.cropmae.runtime.preprocess.ImageSize;
import org.cropmae.runtime.propagation.LabelPropagator;
import org.cropmae.runtime.propagation.PropagationConfig;
import org.cropmae.runtime.tensor.FloatGrid;

/**
 * JHMDB pose propagation, as the official pipeline: frames ({@code *.png}, by number) resized to
 * 320x320; the first frame's joints ({@code pos_img - 1}, scaled to the feature grid:
 * {@code x * newW / oriW / patch}) drawn as Gaussian label maps with a background channel
 * ({@link PoseLabels#heatmaps}); the maps propagated with the JHMDB preset; each frame's joints
 * decoded from its maps ({@link PoseLabels#decode}, frame 0 from the given maps) and saved per
 * video as {@code <out>/<i>.npy}, float32 {@code [2, J, T]} in grid units ({@code i} the list
 * line; the official code dumps the same array as a pickled {@code <i>.dat}, which {@code np.load}
 * reads like this {@code .npy}); PCK@0.1..0.5 as {@code eval_pck.py} computes it
 * ({@link JhmdbPck}), frame sizes from each video's first frame.
 */
final class JhmdbSuite extends ListedSuite {
  /** Name of the list file looked for in the dataset root when none is given. */
  static final String DEFAULT_LIST = "jhmdb_vallist.txt";

  private final int patchSize;

  private JhmdbSuite(PropagationConfig config, List<BenchmarkVideo> videos, int patchSize) {
    super("jhmdb", config, videos);
    this.patchSize = patchSize;
  }

  /**
   * @param list a {@code jhmdb_vallist.txt}-style list, or {@code null} for {@code <root>/jhmdb_vallist.txt}
   * @param patchSize the encoder's patch size: predictions are in cells of that size
   */
  static JhmdbSuite open(Path root, Path list, PropagationConfig config, int patchSize) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(root + ": JHMDB root folder not found");
    }
    if (list == null) {
      list = root.resolve(DEFAULT_LIST);
      if (!Files.isRegularFile(list)) {
        throw new NoSuchFileException(root + ": no " + DEFAULT_LIST + "; give the validation list with --list "
            + "(the official repository's downstreams/propagation/jhmdb_vallist.txt)");
      }
    }
    return new JhmdbSuite(config, readList(list, root, true), patchSize);
  }

  private static List<Path> frames(BenchmarkVideo video) throws IOException {
    List<Path> frames = FrameFolders.list(video.frames(), FrameFolders.JHMDB_FRAMES);
    if (frames.isEmpty()) {
      throw new IOException(video.frames() + ": no .png frames");
    }
    return frames;
  }

  @Override
  public int frameCount(BenchmarkVideo video) throws IOException {
    return FrameFolders.list(video.frames(), FrameFolders.JHMDB_FRAMES).size();
  }

  @Override
  public Path resultPath(BenchmarkVideo video) {
    return Path.of(video.index() + ".npy");
  }

  @Override
  public void propagate(BenchmarkVideo video, BenchmarkSuite.Engine engine, Path staging, Runnable frameDone)
      throws IOException {
    List<Path> frames = frames(video);
    double[][][] joints = JhmdbJoints.read(video.labels());
    int numJoints = joints[0].length;
    RgbImage frame0 = ImageFiles.readRgb(frames.get(0));
    ImageSize in = config().inputSize().inputSize(frame0.height(), frame0.width());
    int patch = engine.features().patchSize();
    if (patch != patchSize) {
      throw new IllegalStateException("encoder patch " + patch + " but the suite was opened for " + patchSize);
    }
    int gridH = ceilDiv(in.height(), patch);
    int gridW = ceilDiv(in.width(), patch);
    double[] x = new double[numJoints];
    double[] y = new double[numJoints];
    for (int j = 0; j < numJoints; j++) {
      // As jhmdb.py: (pos - 1) * new / ori / map_scale, in float64, left to right.
      x[j] = (joints[0][j][0] - 1) * (double) in.width() / (double) frame0.width() / patch;
      y[j] = (joints[1][j][0] - 1) * (double) in.height() / (double) frame0.height() / patch;
    }
    FloatGrid labels0 = PoseLabels.heatmaps(x, y, gridH, gridW, PoseLabels.REFERENCE_SIGMA);
    ImageNormalization normalization = engine.features().normalization();
    int frameCount = frames.size();
    float[] coords = new float[2 * numJoints * frameCount];
    store(coords, PoseLabels.decode(labels0, PoseLabels.REFERENCE_TOP_K), 0, numJoints, frameCount);
    frameDone.run();
    try (LabelPropagator propagator = LabelPropagator.builder(config()).pool(engine.pool()).backend(engine.backend())
        .start(features(engine, normalization, frame0, in, frames.get(0)), labels0)) {
      for (int t = 1; t < frameCount; t++) {
        Path file = frames.get(t);
        RgbImage frame = ImageFiles.readRgb(file);
        if (frame.height() != frame0.height() || frame.width() != frame0.width()) {
          throw new IllegalArgumentException(file + ": frame is " + frame.height() + "x" + frame.width()
              + " but the first frame is " + frame0.height() + "x" + frame0.width());
        }
        FloatGrid soft = propagator.next(features(engine, normalization, frame, in, file));
        store(coords, PoseLabels.decode(soft, PoseLabels.REFERENCE_TOP_K), t, numJoints, frameCount);
        frameDone.run();
      }
    }
    Npy.write(staging, NpyArray.ofFloat32(new int[] {2, numJoints, frameCount}, coords));
  }

  private static FloatGrid features(BenchmarkSuite.Engine engine, ImageNormalization normalization, RgbImage frame,
      ImageSize in, Path file) {
    try {
      return engine.features().features(normalization.apply(frame, in));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static void store(float[] coords, float[][] xy, int t, int joints, int frames) {
    for (int r = 0; r < 2; r++) {
      for (int j = 0; j < joints; j++) {
        coords[(r * joints + j) * frames + t] = xy[r][j];
      }
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  @Override
  public BenchmarkScores score(List<BenchmarkVideo> done, Path out) throws IOException {
    List<JhmdbPck.Video> all = new ArrayList<>();
    List<BenchmarkScores.Row> rows = new ArrayList<>();
    int gridW = -1;
    int gridH = -1;
    for (BenchmarkVideo video : done) {
      double[][][] gt = JhmdbJoints.read(video.labels());
      Path predFile = out.resolve(resultPath(video));
      NpyArray pred = Npy.read(predFile);
      if (pred.rank() != 3 || pred.dim(0) != 2 || pred.dim(1) != gt[0].length || pred.dim(2) < gt[0][0].length) {
        throw new IOException(predFile + ": expected predictions [2, " + gt[0].length + ", >=" + gt[0][0].length
            + "], found " + java.util.Arrays.toString(pred.shape()) + "; rerun the video with --force");
      }
      float[] p = pred.toFloatArray();
      int joints = pred.dim(1);
      int frames = pred.dim(2);
      float[][][] predictions = new float[2][joints][frames];
      for (int r = 0; r < 2; r++) {
        for (int j = 0; j < joints; j++) {
          System.arraycopy(p, (r * joints + j) * frames, predictions[r][j], 0, frames);
        }
      }
      RgbImage first = ImageFiles.readRgb(frames(video).get(0));
      ImageSize in = config().inputSize().inputSize(first.height(), first.width());
      gridW = ceilDiv(in.width(), patchSize);
      gridH = ceilDiv(in.height(), patchSize);
      JhmdbPck.Video v = new JhmdbPck.Video(gt, predictions, first.height(), first.width());
      all.add(v);
      rows.add(new BenchmarkScores.Row(video.id(), List.of(pckOrNaN(List.of(v), gridW, gridH, 0.1),
          pckOrNaN(List.of(v), gridW, gridH, 0.2), (double) frames)));
    }
    List<JhmdbPck.Result> results = JhmdbPck.evaluate(all, gridW, gridH, JhmdbPck.REFERENCE_THRESHOLDS);
    Map<String, Double> metrics = new LinkedHashMap<>();
    Map<String, Object> perJoint = new LinkedHashMap<>();
    for (JhmdbPck.Result r : results) {
      String key = "PCK@" + r.threshold();
      metrics.put(key, r.mean());
      perJoint.put(key, r.perJoint());
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("per_joint_pck", perJoint);
    return new BenchmarkScores(metrics, List.of("PCK@0.1", "PCK@0.2", "frames"), rows, details, List.of());
  }

  private static double pckOrNaN(List<JhmdbPck.Video> videos, int gridW, int gridH, double threshold) {
    try {
      return JhmdbPck.evaluate(videos, gridW, gridH, List.of(threshold)).get(0).mean();
    } catch (IllegalArgumentException e) {
      return Double.NaN; // a joint never visible in this one video: its per-video PCK is undefined
    }
  }
}
