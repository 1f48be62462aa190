package org.cropmae.app.video;

import java.io.IOException;
import java.util.function.BiFunction;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.video.FrameSource;
import org.cropmae.runtime.video.MaskPropagator;

/**
 * The loop shared by {@code cropmae propagate --video}, the server and the demo: selected frames of
 * a {@link FrameSource} through a {@link MaskPropagator}, streaming (one decoded frame and the
 * propagation context in memory, whatever the video's length), each mask handed to a sink as soon as
 * it is computed.
 */
public final class VideoPropagation {
  private VideoPropagation() {}

  /** Receives each frame and its mask, in order; frame 0 is the mask's frame with the given mask. */
  @FunctionalInterface
  public interface Sink {
    void accept(FrameSelection.Selected frame, IndexMask mask) throws IOException;
  }

  /**
   * The first mask made to fit the source's displayed size: as it is when it has that size; turned
   * like the frames when it has the stored (unrotated) size of a rotated video.
   *
   * @param maskName how messages name the mask (e.g. its file)
   * @throws IllegalArgumentException when the size is neither, in one line naming both inputs
   */
  public static IndexMask fitMask(IndexMask mask, String maskName, FrameSource source) {
    String misfit = sizeMismatch(mask.height(), mask.width(), maskName, source);
    if (misfit != null) {
      throw new IllegalArgumentException(misfit);
    }
    int r = source.rotation();
    return mask.width() == source.width() && mask.height() == source.height() ? mask : Rotation.rotate(mask, r);
  }

  /**
   * Why a mask of {@code height x width} pixels does not fit {@code source} (neither its displayed
   * size nor, for a rotated video, its stored size), in one line naming both; {@code null} when it fits.
   */
  public static String sizeMismatch(int height, int width, String maskName, FrameSource source) {
    if (width == source.width() && height == source.height()) {
      return null;
    }
    int r = source.rotation();
    boolean swap = r == 90 || r == 270;
    if (swap && width == source.height() && height == source.width()) {
      return null;
    }
    String stored = r == 0 ? "" : ", stored " + (swap ? source.width() + "x" + source.height() : source.height() + "x" + source.width())
        + " and shown turned " + r + " degrees";
    return maskName + ": the mask is " + height + "x" + width + " but the frames of " + source.name() + " are "
        + source.height() + "x" + source.width() + " (height x width" + stored
        + "); draw the mask on a frame of the video as it is displayed";
  }

  /**
   * Propagates {@code firstMask} from the mask's frame of the selection to its last frame.
   *
   * @param start starts the propagator on the mask's frame and the (fitted) mask
   * @return the number of frames handed to the sink (the mask's frame included)
   * @throws IOException when decoding fails, naming the source
   * @throws IllegalArgumentException when the selection holds no frame, or the mask does not fit
   */
  public static int run(FrameSource source, FrameSelection selection, IndexMask firstMask, String maskName,
      BiFunction<RgbImage, IndexMask, MaskPropagator> start, Sink sink) throws IOException {
    IndexMask mask = fitMask(firstMask, maskName, source);
    FrameSelection.Reader reader = selection.read(source);
    FrameSelection.Selected first = reader.next();
    if (first == null) {
      throw new IllegalArgumentException(source.name() + ": no frame to propagate through ("
          + (selection.equals(FrameSelection.all()) ? "the video has no frames" : "no frame in the selected range: " + describe(selection))
          + ")");
    }
    try (MaskPropagator propagator = start.apply(first.image(), mask)) {
      sink.accept(first, mask);
      for (FrameSelection.Selected f = reader.next(); f != null; f = reader.next()) {
        IndexMask m;
        try {
          m = propagator.next(f.image());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(source.name() + ": frame " + f.sourceIndex() + ": " + e.getMessage(), e);
        }
        sink.accept(f, m);
      }
    }
    return reader.returned();
  }

  static String describe(FrameSelection s) {
    return "start " + (s.start() == null ? "0" : s.start()) + ", end " + (s.end() == null ? "none" : s.end())
        + ", every " + s.every() + (s.maskTime() != null ? ", mask at " + s.maskTime() + "s" : ", mask frame " + s.maskFrame());
  }
}
