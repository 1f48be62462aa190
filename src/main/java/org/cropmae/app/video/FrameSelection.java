package org.cropmae.app.video;

import java.io.IOException;
import java.util.Locale;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.video.FrameSource;

/**
 * Which frames of a video are propagated: a range ({@code start} inclusive, {@code end} exclusive,
 * each in seconds or as a frame number), every {@code every}-th frame of it, starting at the frame
 * the mask was drawn on ({@code maskFrame}, an index among the selected frames, or {@code maskTime},
 * the presentation time in seconds of that frame), at most {@code maxFrames} frames counting the
 * mask's frame.
 *
 * @param start first source frame considered, or {@code null} for the first frame
 * @param end first source frame no longer considered, or {@code null} for the end of the video
 * @param every keep one frame out of {@code every} (1 = all)
 * @param maxFrames most frames propagated (the mask's frame included), or 0 for no limit
 * @param maskFrame index among the selected frames of the frame the mask belongs to (0 = the first)
 * @param maskTime a time in seconds: the mask belongs to the frame shown at that time (the last frame
 *     of the range whose presentation time is not after it, as a browser's {@code <video>} shows
 *     it); every {@code every}-th frame is then counted from that frame. {@code null} to use
 *     {@code maskFrame}
 */
public record FrameSelection(Bound start, Bound end, int every, int maxFrames, int maskFrame, Double maskTime) {

  /**
   * A position in a video: a time in seconds ({@code 1.5s}) or a frame number ({@code 37}).
   *
   * @param seconds the time, or {@code NaN} for a frame number
   * @param frame the frame number (0-based), or {@code -1} for a time
   */
  public record Bound(double seconds, int frame) {
    /** Whether this is a time rather than a frame number. */
    public boolean isTime() {
      return frame < 0;
    }

    /**
     * Parses {@code 1.5s} (seconds) or {@code 37} (a frame number).
     *
     * @throws IllegalArgumentException naming {@code what} otherwise
     */
    public static Bound parse(String s, String what) {
      String v = s.strip().toLowerCase(Locale.ROOT);
      try {
        if (v.endsWith("s")) {
          double sec = Double.parseDouble(v.substring(0, v.length() - 1));
          if (sec >= 0 && Double.isFinite(sec)) {
            return new Bound(sec, -1);
          }
        } else {
          int f = Integer.parseInt(v);
          if (f >= 0) {
            return new Bound(Double.NaN, f);
          }
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(what + ": expected seconds like 1.5s or a frame number like 37, got '" + s + "'");
    }

    /** This position as a frame index at {@code fps} frames per second (times round up to the next frame). */
    double frameAt(double fps) {
      return isTime() ? seconds * fps : frame;
    }

    @Override
    public String toString() {
      return isTime() ? seconds + "s" : Integer.toString(frame);
    }
  }

  public FrameSelection {
    if (every < 1) {
      throw new IllegalArgumentException("every: expected 1 or more, got " + every);
    }
    if (maxFrames < 0) {
      throw new IllegalArgumentException("max frames: expected 0 (no limit) or more, got " + maxFrames);
    }
    if (maskFrame < 0) {
      throw new IllegalArgumentException("mask frame: expected 0 or more, got " + maskFrame);
    }
    if (maskTime != null && !(maskTime >= 0 && Double.isFinite(maskTime))) {
      throw new IllegalArgumentException("mask time: expected seconds >= 0, got " + maskTime);
    }
  }

  /** Every frame, the mask on the first. */
  public static FrameSelection all() {
    return new FrameSelection(null, null, 1, 0, 0, null);
  }

  /**
   * From option or form-field strings, any of which may be {@code null}.
   *
   * @throws IllegalArgumentException naming the option or field that is malformed
   */
  public static FrameSelection parse(String start, String end, Integer every, Integer maxFrames, Integer maskFrame,
      Double maskTime, String prefix) {
    return new FrameSelection(start == null ? null : Bound.parse(start, prefix + "start"),
        end == null ? null : Bound.parse(end, prefix + "end"), every == null ? 1 : every,
        maxFrames == null ? 0 : maxFrames, maskFrame == null ? 0 : maskFrame, maskTime);
  }

  /** Frame rate of the selected frames: the source's divided by {@code every}; 0 when the source's is unknown. */
  public double outputFrameRate(FrameSource source) {
    return source.frameRate() / every;
  }

  /**
   * An upper bound of the frames this selection takes from {@code source}, from what its header
   * declares (frame count, else duration x frame rate), or {@code -1} when the header says neither
   * and no {@code maxFrames} bounds it.
   */
  public long estimatedFrames(FrameSource source) {
    double fps = source.frameRate();
    double total = source.frameCount() > 0 ? source.frameCount()
        : (Double.isFinite(source.durationSeconds()) && fps > 0 ? Math.ceil(source.durationSeconds() * fps) : -1);
    if (total < 0) {
      return maxFrames > 0 ? maxFrames : -1;
    }
    if (end != null && (!end.isTime() || fps > 0)) {
      total = Math.min(total, Math.ceil(end.frameAt(fps)));
    }
    double from = start == null || (start.isTime() && fps <= 0) ? 0 : Math.ceil(start.frameAt(fps) - 1e-6);
    long n = (long) Math.ceil(Math.max(0, total - from) / every);
    if (maskTime == null) {
      n = Math.max(0, n - maskFrame);
    }
    return maxFrames > 0 ? Math.min(n, maxFrames) : n;
  }

  /** Starts reading {@code source} with this selection. */
  public Reader read(FrameSource source) {
    boolean times = start != null && start.isTime() || end != null && end.isTime() || maskTime != null;
    if (times && !(source.frameRate() > 0) && !(source instanceof FfmpegFrameSource)) {
      // Times are compared with presentation times; a folder of images has none unless given a frame rate.
      throw new IllegalArgumentException(source.name() + ": has no frame times; give start, end and the mask frame as frame numbers");
    }
    return new Reader(source);
  }

  /**
   * One selected frame.
   *
   * @param sourceIndex its number in the source (0-based)
   * @param outputIndex its number among the frames propagated (0 = the mask's frame)
   * @param time its presentation time in seconds from the source's first frame ({@code NaN} if none)
   * @param image the frame, upright
   */
  public record Selected(int sourceIndex, int outputIndex, double time, RgbImage image) {}

  /** Reads the selected frames of a source, one at a time. */
  public final class Reader {
    private final FrameSource source;
    private int sourceIndex = -1;
    private int inRange;
    private int selected;
    private int output;
    private boolean done;
    private Raw peeked;

    private record Raw(int index, double time, RgbImage image) {}

    private Reader(FrameSource source) {
      this.source = source;
    }

    /** The next source frame inside [start, end), or {@code null} at the end of the range. */
    private Raw nextInRange() throws IOException {
      if (peeked != null) {
        Raw r = peeked;
        peeked = null;
        return r;
      }
      while (true) {
        RgbImage image = source.next();
        if (image == null) {
          return null;
        }
        sourceIndex++;
        double t = source.time();
        if (start != null && (start.isTime() ? t < start.seconds() - 1e-6 : sourceIndex < start.frame())) {
          continue;
        }
        if (end != null && (end.isTime() ? t >= end.seconds() - 1e-6 : sourceIndex >= end.frame())) {
          return null;
        }
        return new Raw(sourceIndex, t, image);
      }
    }

    /** The next selected frame, or {@code null} when the selection is exhausted. */
    public Selected next() throws IOException {
      if (done || (maxFrames > 0 && output >= maxFrames)) {
        done = true;
        return null;
      }
      if (output == 0 && maskTime != null) {
        // The frame shown at maskTime: the last one whose time is not after it (the first when all are).
        Raw candidate = nextInRange();
        if (candidate == null) {
          done = true;
          return null;
        }
        for (Raw r = nextInRange(); r != null; r = nextInRange()) {
          if (r.time() <= maskTime + 1e-3) {
            candidate = r;
          } else {
            peeked = r;
            break;
          }
        }
        inRange = 1; // every-th frame counted from the mask's frame
        return new Selected(candidate.index(), output++, candidate.time(), candidate.image());
      }
      for (Raw r = nextInRange(); r != null; r = nextInRange()) {
        if (inRange++ % every != 0) {
          continue;
        }
        int k = selected++;
        if (output == 0 && k < maskFrame) {
          continue;
        }
        return new Selected(r.index(), output++, r.time(), r.image());
      }
      done = true;
      return null;
    }

    /** Frames returned so far. */
    public int returned() {
      return output;
    }
  }
}
