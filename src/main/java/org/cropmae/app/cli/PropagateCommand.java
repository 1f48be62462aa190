package org.cropmae.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.cropmae.app.video.FfmpegFrameSource;
import org.cropmae.app.video.FolderFrameSource;
import org.cropmae.app.video.FrameSelection;
import org.cropmae.app.video.VideoPropagation;
import org.cropmae.app.video.VideoWriter;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.io.Npy;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.MaskOverlay;
import org.cropmae.runtime.mask.PalettePng;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.cropmae.runtime.video.FrameFeatures;
import org.cropmae.runtime.video.RawPatchFeatures;
import org.cropmae.runtime.propagation.AffinityBackend;
import org.cropmae.runtime.propagation.ComputePool;
import org.cropmae.runtime.propagation.LabelPropagator;
import org.cropmae.runtime.propagation.PropagationConfig;
import org.cropmae.runtime.tensor.FloatGrid;
import org.cropmae.runtime.video.FrameSource;
import org.cropmae.runtime.video.MaskPropagator;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cropmae propagate}: label propagation from features, or from frames with an encoder. */
@Command(name = "propagate", mixinStandardHelpOptions = true,
    description = {
        "Propagates first-frame labels through a video with the paper's label propagation protocol.",
        "Either from encoder features (.npy in, .npy out):",
        "  cropmae propagate --features F.npy --label0 L.npy --out P.npy",
        "or from video frames with an ONNX encoder (palette PNG masks out, one per frame):",
        "  cropmae propagate --model E.onnx --frames DIR --mask first.png --out DIR",
        "  cropmae propagate --model E.onnx --video clip.mp4 --mask first.png --out DIR [--overlay overlay.mp4]",
        "Masks are named like the frames (folder) or by source frame number, 00042.png (video)."})
public final class PropagateCommand extends CliCommand {

  static final class FeatureMode {
    @Option(names = "--features", required = true, paramLabel = "F.npy",
        description = "Raw (not L2-normalised) encoder patch features [T,h,w,D].")
    Path features;

    @Option(names = "--label0", required = true, paramLabel = "L.npy",
        description = "First-frame soft labels on the feature grid [h,w,C] (e.g. one-hot masks resized with INTER_LINEAR).")
    Path label0;
  }

  static final class FeatureSource {
    @Option(names = "--model", required = true, paramLabel = "E.onnx|NAME|C.pth|URL",
        description = "Encoder: an ONNX file ('cropmae import' or 'cropmae export'), a registry name (e.g. cropmae-tiny-g2l), "
            + "an https://...#sha256=<hex> address, or a PyTorch checkpoint (converted in memory, nothing in it executed).")
    String model;

    @Option(names = "--raw-patches", required = true, paramLabel = "P",
        description = "Baseline without a model: the normalised pixels of each PxP patch as its feature vector.")
    Integer rawPatches;
  }

  static final class VideoMode {
    @ArgGroup(exclusive = true, multiplicity = "1")
    FeatureSource source;

    @ArgGroup(exclusive = true, multiplicity = "1")
    FrameInput input;

    @Option(names = "--mask", required = true, paramLabel = "first.png",
        description = "Palette PNG with the objects of the mask's frame (index 0 = background), the size of the frames as displayed.")
    Path mask;
  }

  static final class FrameInput {
    @Option(names = "--frames", required = true, paramLabel = "DIR",
        description = "Folder of frames (.jpg/.jpeg/.png), in file-name order (numeric when all names are numbers).")
    Path frames;

    @Option(names = "--video", required = true, paramLabel = "clip.mp4",
        description = "A video file (MP4, WebM, MOV, MKV, GIF, ...: what FFmpeg decodes); frames are shown upright (rotation metadata applied).")
    Path video;
  }

  static final class Mode {
    @ArgGroup(exclusive = false, multiplicity = "1", heading = "From features:%n")
    FeatureMode features;

    @ArgGroup(exclusive = false, multiplicity = "1", heading = "From frames:%n")
    VideoMode video;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Mode mode;

  @Option(names = "--out", required = true, paramLabel = "P.npy|DIR",
      description = "Features mode: soft labels [T,h,w,C] (t=0 is --label0). Frames mode: folder for one palette PNG per frame.")
  Path out;

  @Mixin VideoOptions selection;
  @Mixin PropagationOptions propagation;
  @Mixin EncoderOptionsMixin encoderOptions;

  @Override
  public Integer call() throws IOException {
    PropagationConfig config = propagation.toConfig();
    if (mode.features != null) {
      return fromFeatures(config);
    }
    return fromFrames(config);
  }

  private int fromFeatures(PropagationConfig config) throws IOException {
    if (selection.used()) {
      throw new UsageException("--every, --start, --end, --max-frames, --mask-frame, --overlay and --fps apply to --frames or --video, not --features");
    }
    NpyArray features = Npy.read(mode.features.features);
    NpyArray label0 = Npy.read(mode.features.label0);
    if (features.rank() != 4 || features.dim(0) < 1) {
      throw new IllegalArgumentException(mode.features.features + ": expected features [T,h,w,D], got shape "
          + Arrays.toString(features.shape()));
    }
    if (label0.rank() != 3 || label0.dim(0) != features.dim(1) || label0.dim(1) != features.dim(2)) {
      throw new IllegalArgumentException(mode.features.label0 + ": expected labels [" + features.dim(1) + ","
          + features.dim(2) + ",C] to match the features' grid, got shape " + Arrays.toString(label0.shape()));
    }
    List<FloatGrid> soft;
    AffinityBackend backend = propagation.openAffinityBackend();
    try {
      soft = LabelPropagator.builder(config).threads(propagation.threads()).backend(backend)
          .propagate(features, FloatGrid.fromNpy(label0));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(mode.features.features + ": " + e.getMessage(), e);
    } finally {
      PropagationOptions.close(backend);
    }
    FloatGrid first = soft.get(0);
    int frame = first.values().length;
    float[] all = new float[Math.multiplyExact(frame, soft.size())];
    for (int t = 0; t < soft.size(); t++) {
      System.arraycopy(soft.get(t).values(), 0, all, t * frame, frame);
    }
    int[] shape = {soft.size(), first.height(), first.width(), first.channels()};
    Npy.write(out, NpyArray.ofFloat32(shape, all));
    stdout().println("wrote " + out + " " + Arrays.toString(shape));
    return 0;
  }

  private int fromFrames(PropagationConfig config) throws IOException {
    VideoOptions opts = selection;
    FrameSelection selection = opts.toSelection();
    IndexMask firstMask = PalettePng.readNumberingColours(mode.video.mask, stderr()::println);
    Path overlay = opts.overlay;
    if (overlay != null) {
      VideoWriter.Format.of(overlay.getFileName().toString()); // fail on the extension before any work
    }
    FrameInput input = mode.video.input;
    try (FrameSource frames = input.video != null ? FfmpegFrameSource.open(input.video)
        : new FolderFrameSource(input.frames, opts.fps == null ? 0 : opts.fps)) {
      List<Path> files = frames instanceof FolderFrameSource f ? f.files() : null;
      double fps = selection.outputFrameRate(frames);
      if (overlay != null && !(fps > 0)) {
        if (files == null) {
          throw new IllegalArgumentException(input.video + ": the video declares no frame rate; give --fps for --overlay");
        }
        fps = 10.0 / selection.every();
      }
      if (input.video != null && opts.fps != null) {
        fps = opts.fps / selection.every();
      }
      // No folder yet: the first mask written creates it (AtomicFiles), so bad input leaves nothing behind.
      VideoPropagation.fitMask(firstMask, mode.video.mask.toString(), frames);
      AffinityBackend backend = propagation.openAffinityBackend();
      FeatureSource source = mode.video.source;
      long total = selection.estimatedFrames(frames);
      double overlayFps = fps;
      int written;
      try (ModelArgument.Opened opened = source.model == null ? null : ModelArgument.open(source.model, encoderOptions.toOptions());
          ComputePool pool = ComputePool.create(propagation.threads());
          Progress progress = new Progress(stderr(), "propagate", Math.max(total, 0));
          OverlayOut video = new OverlayOut(overlay, overlayFps);
          IncompleteOutput marker = new IncompleteOutput(out, "propagate", stderr())) {
        FrameFeatures features = opened != null ? FrameFeatures.of(opened.encoder()) : new RawPatchFeatures(source.rawPatches);
        written = VideoPropagation.run(frames, selection, firstMask, mode.video.mask.toString(),
            (first, mask) -> MaskPropagator.builder(features, config).pool(pool).backend(backend).start(first, mask),
            (frame, mask) -> {
              String name = files != null ? maskName(files.get(frame.sourceIndex()))
                  : String.format(Locale.ROOT, "%05d.png", frame.sourceIndex());
              marker.start("cropmae propagate: masks of " + (input.video != null ? input.video : input.frames)
                  + " from the first mask " + mode.video.mask);
              PalettePng.write(out.resolve(name), mask);
              marker.wrote();
              video.write(frame.image(), mask);
              progress.step("");
            });
        video.finish();
        marker.complete();
      } finally {
        PropagationOptions.close(backend);
      }
      stdout().println("wrote " + written + " masks to " + out + (overlay == null ? ""
          : String.format(Locale.ROOT, " and the overlay video %s (%.3f frames/s)", overlay, overlayFps)));
    }
    return 0;
  }

  /** The optional overlay video, opened on the first frame (its size is the frames'). */
  private static final class OverlayOut implements AutoCloseable {
    private final Path target;
    private final double fps;
    private VideoWriter writer;

    OverlayOut(Path target, double fps) {
      this.target = target;
      this.fps = fps;
    }

    void write(RgbImage frame, IndexMask mask) throws IOException {
      if (target == null) {
        return;
      }
      if (writer == null) {
        writer = VideoWriter.toFile(target, frame.width(), frame.height(), fps);
      }
      writer.write(MaskOverlay.draw(frame, mask, 0.5f));
    }

    void finish() throws IOException {
      if (writer != null) {
        writer.finish();
      }
    }

    @Override
    public void close() throws IOException {
      if (writer != null) {
        writer.close();
      }
    }
  }

  /** The frame's name with a .png extension. */
  static String maskName(Path frame) {
    String name = frame.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return (dot > 0 ? name.substring(0, dot) : name) + ".png";
  }

}
