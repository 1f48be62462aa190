package org.cropmae.android.demo.logic;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * File names of an export: {@code cropmae-<video>-<yyyyMMdd-HHmmss>} as the base, with the video's
 * display name reduced to characters every file system and {@code MediaStore} accepts. Inside the
 * archive, masks are named like DAVIS annotations ({@code masks/00000.png}, one per sampled frame).
 */
public final class ExportNames {
  /** Longest video part kept in a base name, in characters. */
  public static final int MAX_VIDEO_PART = 40;
  /** Name of the overlay animation inside the archive and in the gallery. */
  public static final String OVERLAY_ENTRY = "overlay.gif";
  /** Name of the table of sampled frames inside the archive. */
  public static final String FRAMES_ENTRY = "frames.csv";

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

  private ExportNames() {}

  /**
   * The base name of an export.
   *
   * @param videoDisplayName the name the user knows the video by (e.g. {@code OpenableColumns.DISPLAY_NAME}),
   *     may be {@code null} or blank; its extension is dropped
   * @param time when the export was made (local time)
   */
  public static String base(String videoDisplayName, LocalDateTime time) {
    return "cropmae-" + videoPart(videoDisplayName) + "-" + STAMP.format(time);
  }

  /** The archive holding the masks, the overlay and the frame table: {@code base + ".zip"}. */
  public static String archive(String base) {
    return base + ".zip";
  }

  /** The overlay animation saved to the gallery: {@code base + ".gif"}. */
  public static String overlay(String base) {
    return base + ".gif";
  }

  /**
   * The archive entry of the mask of sampled frame {@code frame} (0-based): {@code masks/00000.png}.
   *
   * @throws IllegalArgumentException when {@code frame} is negative
   */
  public static String maskEntry(int frame) {
    if (frame < 0) {
      throw new IllegalArgumentException("frame must be >= 0, got " + frame);
    }
    return String.format(Locale.ROOT, "masks/%05d.png", frame);
  }

  /**
   * The video part of a base name: the display name without its extension, each run of characters
   * other than ASCII letters, digits, '.', '-' and '_' replaced by one '_', trimmed of '_', '.' and
   * '-' at both ends, cut to {@value #MAX_VIDEO_PART} characters; {@code video} when nothing is left.
   */
  static String videoPart(String displayName) {
    if (displayName == null) {
      return "video";
    }
    String name = displayName.trim();
    int dot = name.lastIndexOf('.');
    if (dot > 0) {
      name = name.substring(0, dot);
    }
    StringBuilder sb = new StringBuilder(name.length());
    boolean replaced = false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
      if (ok) {
        sb.append(c);
        replaced = false;
      } else if (!replaced) {
        sb.append('_');
        replaced = true;
      }
    }
    String s = trim(sb.toString());
    if (s.length() > MAX_VIDEO_PART) {
      s = trim(s.substring(0, MAX_VIDEO_PART));
    }
    return s.isEmpty() ? "video" : s;
  }

  private static String trim(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && "_.-".indexOf(s.charAt(from)) >= 0) {
      from++;
    }
    while (to > from && "_.-".indexOf(s.charAt(to - 1)) >= 0) {
      to--;
    }
    return s.substring(from, to);
  }
}
