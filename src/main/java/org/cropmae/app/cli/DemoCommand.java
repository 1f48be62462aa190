package org.cropmae.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cropmae.app.video.FfmpegFrameSource;
import org.cropmae.app.video.FrameSelection;
import org.cropmae.app.video.VideoPropagation;
import org.cropmae.app.video.VideoWriter;
import org.cropmae.runtime.data.DavisDataset;
import org.cropmae.runtime.data.DavisSequence;
import org.cropmae.runtime.eval.DavisEvaluator;
import org.cropmae.runtime.eval.DavisGlobalScores;
import org.cropmae.runtime.eval.DavisReport;
import org.cropmae.runtime.eval.IndexMaskReader;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.io.AtomicFiles;
import org.cropmae.runtime.io.desktop.ImageFiles;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.MaskOverlay;
import org.cropmae.runtime.mask.PalettePng;
import org.cropmae.runtime.model.ModelRegistry;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.cropmae.runtime.preprocess.ProtocolSize;
import org.cropmae.runtime.propagation.ComputePool;
import org.cropmae.runtime.propagation.PropagationConfig;
import org.cropmae.runtime.video.MaskPropagator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cropmae demo}: the bundled clip, its first-frame mask and the bundled encoder, end to end:
 * masks, overlays, an animated GIF and J&F against the clip's true masks.
 */
@Command(name = "demo", header = "Runs the bundled demo: masks propagated through a synthetic clip (scored) and a real one.",
    mixinStandardHelpOptions = true,
    description = {
        "Propagates the bundled first-frame mask through the bundled 12-frame clip with the bundled encoder,",
        "writes the masks, an overlay per frame and an animated overlay (GIF), and prints J&F (DAVIS-2017",
        "protocol) against the clip's true masks. Parameters: the paper's DAVIS ones (context 20, top-k 7,",
        "temperature 0.7, radius 20) at the clip's own size.",
        "Then propagates a hand-drawn mask through a real clip (a cockatoo, 40 frames of 448x256, decoded with",
        "FFmpeg) and writes its overlay video, cockatoo/overlay.mp4 (no ground truth: no score)."})
public final class DemoCommand extends CliCommand {
  static final String SEQUENCE = "synthetic-blobs";
  private static final String CLIP = "/org/cropmae/app/demo/";
  private static final int FRAMES = 12;
  static final String REAL_CLIP = "cockatoo.mp4";
  /** The real clip's frame whose overlay docs/images shows. */
  static final int README_FRAME = 30;

  @Option(names = "--model", paramLabel = "NAME|E.onnx|URL", description = "Registry name, ONNX file, or https://...#sha256=<hex> address (downloaded into the cache, verified; default: the registry's default model).")
  String model;

  @Option(names = "--out", defaultValue = "cropmae-demo", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Mixin EncoderOptionsMixin encoderOptions;

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    ModelRegistry registry = ModelRegistry.bundled();
    String name = model == null ? registry.defaultModel() : model;
    Path modelFile = registry.resolve(name);

    Path davis = out.resolve("clip");
    DavisSequence clip = unpackClip(davis);
    Path masksDir = out.resolve("masks");
    Path seqMasks = masksDir.resolve(SEQUENCE);
    Path overlays = out.resolve("overlays");
    List<RgbImage> gifFrames = new ArrayList<>();

    RgbImage first = ImageFiles.readRgb(clip.images().get(0));
    IndexMask firstMask = PalettePng.read(clip.annotations().get(0));
    PropagationConfig config = PropagationConfig.davis()
        .withInputSize(new ProtocolSize.Fixed(first.height(), first.width()));
    try (OnnxEncoder encoder = OnnxEncoder.open(modelFile, encoderOptions.toOptions());
        ComputePool pool = ComputePool.createDefault();
        MaskPropagator video = MaskPropagator.builder(encoder, config).pool(pool).start(first, firstMask);
        Progress progress = new Progress(stderr(), "demo", FRAMES)) {
      IndexMask mask = firstMask;
      RgbImage frame = first;
      for (int t = 0; t < FRAMES; t++) {
        if (t > 0) {
          frame = ImageFiles.readRgb(clip.images().get(t));
          mask = video.next(frame);
        }
        String id = String.format(Locale.ROOT, "%05d", t);
        PalettePng.write(seqMasks.resolve(id + ".png"), mask);
        RgbImage overlay = MaskOverlay.draw(frame, mask, 0.5f);
        ImageFiles.writePng(overlays.resolve(id + ".png"), overlay);
        gifFrames.add(overlay);
        progress.step("");
      }
    }
    Path gif = out.resolve("overlay.gif");
    ImageFiles.writeAnimatedGif(gif, gifFrames, 250);
    RealClip real = realClip(modelFile);

    DavisReport report = DavisEvaluator.builder(IndexMaskReader.PNG).build()
        .evaluate(DavisDataset.open(davis), List.of(SEQUENCE), masksDir).report();
    report.writeCsv(masksDir, "demo");
    DavisGlobalScores g = report.global();
    double seconds = (System.nanoTime() - start) / 1e9;
    stdout().printf(Locale.ROOT, "model %s (%s)%n", name, modelFile);
    stdout().printf(Locale.ROOT, "J&F-Mean %.3f  J-Mean %.3f  F-Mean %.3f  (DAVIS-2017 scoring, %d frames, first and last not scored)%n"
        + "  propagated at the clip's own %dx%d with the DAVIS preset: context %d, top-k %d, temperature %s, radius %s;"
        + " 'cropmae propagate' defaults to the paper's 480x880, which gives other numbers%n",
        g.jAndFMean(), g.jMean(), g.fMean(), FRAMES, first.height(), first.width(), config.contextLength(), config.topK(),
        config.temperature(), config.radius());
    stdout().printf(Locale.ROOT, "real clip %s: %d frames propagated from the hand-drawn mask of frame 0 (no ground truth, no score)%n",
        REAL_CLIP, real.frames());
    stdout().printf(Locale.ROOT, "wrote %s, %s, %s, %s in %.1f s%n", seqMasks, overlays, gif, real.overlay(), seconds);
    return 0;
  }

  /** Frames propagated through the real clip and the overlay video written. */
  private record RealClip(int frames, Path overlay) {}

  /**
   * The real clip (an excerpt of imageio's cockatoo video) from the jar, decoded by FFmpeg in memory,
   * the hand-drawn mask of frame 0 propagated through it: masks and an overlay video under
   * {@code out/cockatoo/}, and the overlay of frame {@value #README_FRAME} as a PNG (the README's picture).
   */
  private RealClip realClip(Path modelFile) throws IOException {
    byte[] mp4 = resource(CLIP + REAL_CLIP);
    IndexMask mask = PalettePng.decode(resource(CLIP + "cockatoo-mask-00000.png"), "cockatoo-mask-00000.png", null);
    Path dir = out.resolve("cockatoo");
    Path masks = dir.resolve("masks");
    Path overlay = dir.resolve("overlay.mp4");
    try (FfmpegFrameSource src = FfmpegFrameSource.open(mp4, REAL_CLIP);
        OnnxEncoder encoder = OnnxEncoder.open(modelFile, encoderOptions.toOptions());
        ComputePool pool = ComputePool.createDefault();
        Progress progress = new Progress(stderr(), "demo (real clip)", Math.max(0, src.frameCount()));
        VideoWriter video = VideoWriter.toFile(overlay, src.width(), src.height(), src.frameRate())) {
      PropagationConfig config = PropagationConfig.davis()
          .withInputSize(new ProtocolSize.Fixed(src.height(), src.width()));
      int n = VideoPropagation.run(src, FrameSelection.all(), mask, REAL_CLIP + " mask",
          (first, m) -> MaskPropagator.builder(encoder, config).pool(pool).start(first, m), (frame, m) -> {
            PalettePng.write(masks.resolve(String.format(Locale.ROOT, "%05d.png", frame.sourceIndex())), m);
            RgbImage drawn = MaskOverlay.draw(frame.image(), m, 0.5f);
            video.write(drawn);
            if (frame.sourceIndex() == README_FRAME) {
              ImageFiles.writePng(dir.resolve(String.format(Locale.ROOT, "overlay-%05d.png", README_FRAME)), drawn);
            }
            progress.step("");
          });
      video.finish();
      return new RealClip(n, overlay);
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = DemoCommand.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("demo clip: " + name + " is missing from the application jar");
      }
      return in.readAllBytes();
    }
  }

  /** Copies the bundled clip into a DAVIS-2017 layout under {@code root}, so the standard reader and evaluator apply. */
  private static DavisSequence unpackClip(Path root) throws IOException {
    Path images = root.resolve("JPEGImages/480p").resolve(SEQUENCE);
    Path annotations = root.resolve("Annotations/480p").resolve(SEQUENCE);
    for (int t = 0; t < FRAMES; t++) {
      String id = String.format(Locale.ROOT, "%05d", t);
      copyResource(CLIP + "frames/" + id + ".jpg", images.resolve(id + ".jpg"));
      copyResource(CLIP + "masks/" + id + ".png", annotations.resolve(id + ".png"));
    }
    AtomicFiles.write(root.resolve("ImageSets/2017/val.txt"), (SEQUENCE + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return DavisDataset.open(root).sequence(SEQUENCE);
  }

  private static void copyResource(String resource, Path target) throws IOException {
    try (InputStream in = DemoCommand.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("demo clip: " + resource + " is missing from the application jar");
      }
      AtomicFiles.write(target, in::transferTo);
    }
  }
}
