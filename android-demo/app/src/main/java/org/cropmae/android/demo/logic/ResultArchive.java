package org.cropmae.android.demo.logic;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.PalettePng;

/**
 * Writes a propagation result as one zip archive: every mask as a palette PNG
 * ({@link ExportNames#maskEntry}, indices and DAVIS palette exact, readable by the DAVIS tools and
 * {@code cropmae davis-eval}), the overlay animation ({@link ExportNames#OVERLAY_ENTRY}) and a table
 * of the sampled frames' times in the video ({@link ExportNames#FRAMES_ENTRY}).
 */
public final class ResultArchive {
  private ResultArchive() {}

  /** Reports how many frames were written, for a progress bar. */
  @FunctionalInterface
  public interface Progress {
    void written(int frames, int total);
  }

  /**
   * Writes the archive.
   *
   * @param out the destination (for example a {@code ContentResolver} stream); finished but not closed
   * @param frames the sampled frames, {@code T} of them, all the same size
   * @param masks their masks, {@code T} of them, each the size of its frame
   * @param timesUs the frames' presentation times in the video, microseconds, {@code T} of them
   * @param overlayAlpha opacity of the object tint in the overlay animation, 0..1
   * @param delayMs how long each overlay frame shows, milliseconds
   * @param progress told after each frame; may be {@code null}
   * @throws IllegalArgumentException when the lists' lengths differ or are zero, or a mask's size
   *     differs from its frame's
   */
  public static void write(OutputStream out, List<RgbImage> frames, List<IndexMask> masks, long[] timesUs,
      float overlayAlpha, long delayMs, Progress progress) throws IOException {
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("frames is empty");
    }
    if (masks.size() != frames.size() || timesUs.length != frames.size()) {
      throw new IllegalArgumentException("need one mask and one time per frame: " + frames.size() + " frames, "
          + masks.size() + " masks, " + timesUs.length + " times");
    }
    checkSizes(frames, masks);
    ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
    StringBuilder table = new StringBuilder("frame,time_ms,mask\n");
    for (int t = 0; t < masks.size(); t++) {
      String name = ExportNames.maskEntry(t);
      zip.putNextEntry(new ZipEntry(name));
      zip.write(PalettePng.encode(masks.get(t)));
      zip.closeEntry();
      table.append(String.format(Locale.ROOT, "%d,%.3f,%s\n", t, timesUs[t] / 1000.0, name));
    }
    zip.putNextEntry(new ZipEntry(ExportNames.FRAMES_ENTRY));
    zip.write(table.toString().getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
    zip.putNextEntry(new ZipEntry(ExportNames.OVERLAY_ENTRY));
    writeOverlay(zip, frames, masks, overlayAlpha, delayMs, progress);
    zip.closeEntry();
    zip.finish();
  }

  /**
   * Writes the overlay animation alone (each frame with its mask drawn over it, as the player shows
   * it), for the gallery.
   *
   * @param out the destination; finished but not closed
   * @throws IllegalArgumentException when the lists' lengths differ or are zero, or the sizes differ
   */
  public static void writeOverlay(OutputStream out, List<RgbImage> frames, List<IndexMask> masks, float overlayAlpha,
      long delayMs, Progress progress) throws IOException {
    if (frames.isEmpty() || masks.size() != frames.size()) {
      throw new IllegalArgumentException("need one mask per frame and at least one frame: " + frames.size() + " frames, "
          + masks.size() + " masks");
    }
    checkSizes(frames, masks);
    RgbImage first = frames.get(0);
    AnimatedGifEncoder gif = new AnimatedGifEncoder(out, first.width(), first.height(), delayMs);
    for (int t = 0; t < frames.size(); t++) {
      gif.addFrame(ArgbImages.overlay(frames.get(t), masks.get(t), overlayAlpha));
      if (progress != null) {
        progress.written(t + 1, frames.size());
      }
    }
    gif.finish();
  }

  private static void checkSizes(List<RgbImage> frames, List<IndexMask> masks) {
    RgbImage first = frames.get(0);
    for (int t = 0; t < frames.size(); t++) {
      RgbImage f = frames.get(t);
      IndexMask m = masks.get(t);
      if (f.width() != first.width() || f.height() != first.height()) {
        throw new IllegalArgumentException("frame " + t + " is " + f.height() + "x" + f.width() + " but frame 0 is "
            + first.height() + "x" + first.width() + " (height x width)");
      }
      if (m.width() != f.width() || m.height() != f.height()) {
        throw new IllegalArgumentException("mask " + t + " is " + m.height() + "x" + m.width() + " but frame " + t + " is "
            + f.height() + "x" + f.width() + " (height x width)");
      }
    }
  }
}
