package org.cropmae.app.cli;

import java.nio.file.Path;
import java.util.List;
import org.cropmae.app.clips.SyntheticClips;
import org.cropmae.runtime.data.FrameFolders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cropmae synthesize-clips}: evaluation clips with exact masks from a folder of photos. */
@Command(name = "synthesize-clips", header = "Makes synthetic evaluation clips with exact object masks from photos.",
    mixinStandardHelpOptions = true,
    description = {
        "Makes short synthetic video clips with exact object masks, in the DAVIS-2017 layout, from a folder of photos:",
        "the camera pans and zooms over one photo while two objects cut from other photos move, turn, scale and occlude",
        "each other. The same photos and seed give the same clips. Score an encoder on them with 'cropmae propagate'",
        "and 'cropmae davis-eval --davis-root OUT'."})
public final class SynthesizeClipsCommand extends CliCommand {
  @Option(names = "--photos", required = true, paramLabel = "DIR", description = "Folder of photos (.jpg/.png, at least 3).")
  Path photos;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (DAVIS layout).")
  Path out;

  @Option(names = "--count", defaultValue = "6", paramLabel = "N", description = "Clips (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--frames", defaultValue = "16", paramLabel = "N", description = "Frames per clip (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(names = "--size", defaultValue = "360x640", paramLabel = "HxW", description = "Frame size (default: ${DEFAULT-VALUE}).")
  String size;

  @Option(names = "--seed", defaultValue = "7", paramLabel = "S", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    String[] hw = size.toLowerCase(java.util.Locale.ROOT).split("x");
    if (hw.length != 2) {
      throw new UsageException("--size: expected HxW, got '" + size + "'");
    }
    int h;
    int w;
    try {
      h = Integer.parseInt(hw[0]);
      w = Integer.parseInt(hw[1]);
    } catch (NumberFormatException e) {
      throw new UsageException("--size: expected HxW, got '" + size + "'", e);
    }
    List<Path> files = FrameFolders.listImages(photos);
    List<String> names = SyntheticClips.write(files, out, new SyntheticClips.Config(count, frames, h, w, seed, 0.9f));
    stdout().println("wrote " + names.size() + " clips of " + frames + " frames to " + out);
    return 0;
  }
}
