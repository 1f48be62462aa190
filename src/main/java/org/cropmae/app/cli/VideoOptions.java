package org.cropmae.app.cli;

import java.nio.file.Path;
import org.cropmae.app.video.FrameSelection;
import picocli.CommandLine.Option;

/** Frame selection and overlay options of {@code cropmae propagate} in frames mode (video or folder). */
final class VideoOptions {
  @Option(names = "--every", paramLabel = "N", description = "Propagate through every N-th frame only (default: 1, all).")
  Integer every;

  @Option(names = "--start", paramLabel = "T|F", description = "First frame: seconds (1.5s) or a frame number (37); default the first.")
  String start;

  @Option(names = "--end", paramLabel = "T|F", description = "Stop before this time (4s) or frame number (120); default the end.")
  String end;

  @Option(names = "--max-frames", paramLabel = "N", description = "Propagate through at most N frames, the mask's included.")
  Integer maxFrames;

  @Option(names = "--mask-frame", paramLabel = "K",
      description = "The mask is drawn on frame K of the selected frames (0 = the first); propagation runs forward from it.")
  Integer maskFrame;

  @Option(names = "--overlay", paramLabel = "out.mp4",
      description = "Also write the frames with coloured masks and outlines as a video (.mp4 H.264, .webm VP8 or .gif), "
          + "at the source frame rate divided by --every.")
  Path overlay;

  @Option(names = "--fps", paramLabel = "FPS",
      description = "Frame rate for --overlay and for times in --start/--end of a --frames folder (default 10); overrides a video's.")
  Double fps;

  /** Whether any of these options was given. */
  boolean used() {
    return every != null || start != null || end != null || maxFrames != null || maskFrame != null || overlay != null || fps != null;
  }

  FrameSelection toSelection() {
    if (fps != null && !(fps > 0 && Double.isFinite(fps))) {
      throw new UsageException("--fps: expected a positive frame rate, got " + fps);
    }
    return FrameSelection.parse(start, end, every, maxFrames, maskFrame, null, "--");
  }
}
