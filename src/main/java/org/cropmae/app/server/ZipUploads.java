package org.cropmae.app.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads the images of an uploaded zip in memory: nothing is ever written to disk, so entry names
 * cannot escape anywhere; still, names that try ({@code ..}, absolute paths, backslashes, drive
 * letters) are refused, because a client sending them is broken or hostile.
 *
 * <p>Zip bombs are stopped while inflating: the entry count, the total inflated size and each
 * entry's inflated/compressed ratio are checked as bytes come out, so no more than
 * {@link ServerLimits#maxUncompressedBytes()} is ever allocated.
 *
 * <p>Entries are ordered by the number in their file name (its last run of digits:
 * {@code 00012.jpg} is 12, {@code frame-7.png} is 7). Folder entries and hidden files (a base name
 * starting with a dot, as macOS adds under {@code __MACOSX/}) are skipped.
 */
final class ZipUploads {
  private static final int LOCAL_HEADER = 0x04034b50;
  private static final int EMPTY_ARCHIVE = 0x06054b50;
  /** ZipInputStream reads ahead through a buffer of this size; the compressed count may be this far ahead. */
  private static final int READ_AHEAD = 512;
  /** Compressed bytes granted to every entry before the ratio is enforced, so tiny entries pass. */
  private static final int RATIO_SLACK = 4096;

  private ZipUploads() {}

  /**
   * The images in {@code zip}, ordered by frame number.
   *
   * @param part the form field the zip came in, for messages
   * @throws HttpError 400 for a corrupt zip, bad or duplicate names, no images; 413 over a limit
   */
  static List<NamedBytes> read(byte[] zip, String part, ServerLimits limits) {
    if (zip.length >= 4 && littleEndianInt(zip) == EMPTY_ARCHIVE) {
      throw HttpError.badRequest(part + ": the zip file is empty");
    }
    if (zip.length < 4 || littleEndianInt(zip) != LOCAL_HEADER) {
      throw HttpError.badRequest(part + ": not a zip file");
    }
    Counting raw = new Counting(zip);
    List<NamedBytes> images = new ArrayList<>();
    Set<String> fileNames = new HashSet<>();
    long inflated = 0;
    int entries = 0;
    try (ZipInputStream in = new ZipInputStream(raw)) {
      byte[] buf = new byte[16384];
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (++entries > limits.maxZipEntries()) {
          throw HttpError.tooLarge(part + ": the zip has more than " + limits.maxZipEntries() + " entries");
        }
        String name = e.getName();
        checkName(name, part);
        String fileName = name.substring(name.lastIndexOf('/') + 1);
        boolean skip = e.isDirectory() || fileName.isEmpty() || fileName.startsWith(".");
        long start = raw.position();
        ByteArrayOutputStream content = new ByteArrayOutputStream(skip ? 0 : 1 << 16);
        long entryBytes = 0;
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
          entryBytes += n;
          inflated += n;
          if (inflated > limits.maxUncompressedBytes()) {
            throw HttpError.tooLarge(part + ": the zip inflates to more than " + limits.maxUncompressedBytes() + " bytes");
          }
          long compressed = Math.max(0, raw.position() - start - READ_AHEAD);
          if (entryBytes > (compressed + RATIO_SLACK) * limits.maxCompressionRatio()) {
            throw HttpError.tooLarge(part + "/" + name + ": inflates more than " + limits.maxCompressionRatio()
                + " times its compressed size (zip bomb?)");
          }
          if (!skip) {
            content.write(buf, 0, n);
          }
        }
        if (skip) {
          continue;
        }
        if (!fileNames.add(fileName)) {
          throw HttpError.badRequest(part + ": two entries are named " + fileName);
        }
        if (images.size() == limits.maxFrames()) {
          throw HttpError.tooLarge(part + ": more than " + limits.maxFrames() + " images");
        }
        images.add(new NamedBytes(part + "/" + name, fileName, content.toByteArray()));
      }
    } catch (IOException | IllegalArgumentException e) {
      // ZipException for corrupt data; IllegalArgumentException for malformed entry names.
      throw HttpError.badRequest(part + ": corrupt zip file (" + oneLine(e) + ")");
    }
    if (images.isEmpty()) {
      throw HttpError.badRequest(part + ": the zip holds no image files");
    }
    return sortByFrameNumber(images, part);
  }

  /** Refuses entry names that would leave a folder if anyone wrote them out. */
  static void checkName(String name, String part) {
    boolean bad = name.isEmpty() || name.startsWith("/") || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0
        || (name.length() >= 2 && name.charAt(1) == ':');
    for (String segment : name.split("/", -1)) {
      bad |= segment.equals("..");
    }
    if (bad) {
      throw HttpError.badRequest(part + ": unsafe entry name '" + printable(name)
          + "' (absolute paths, '..', backslashes and drive letters are refused)");
    }
  }

  /** Orders files by the last number in their name; files without one or with equal numbers are refused. */
  static List<NamedBytes> sortByFrameNumber(List<NamedBytes> files, String part) {
    List<NamedBytes> sorted = new ArrayList<>(files);
    Set<Long> seen = new HashSet<>();
    for (NamedBytes f : files) {
      if (!seen.add(frameNumber(f.fileName(), part))) {
        throw HttpError.badRequest(part + ": two files have frame number " + frameNumber(f.fileName(), part)
            + " (" + f.fileName() + ")");
      }
    }
    sorted.sort(Comparator.comparingLong(f -> frameNumber(f.fileName(), part)));
    return sorted;
  }

  private static long frameNumber(String fileName, String part) {
    int dot = fileName.lastIndexOf('.');
    String stem = dot > 0 ? fileName.substring(0, dot) : fileName;
    int end = stem.length();
    while (end > 0 && !Character.isDigit(stem.charAt(end - 1))) {
      end--;
    }
    int start = end;
    while (start > 0 && Character.isDigit(stem.charAt(start - 1))) {
      start--;
    }
    if (start == end) {
      throw HttpError.badRequest(part + ": " + fileName + " has no frame number in its name (expected e.g. 00012.jpg)");
    }
    String digits = stem.substring(start, end).replaceFirst("^0+(?=.)", "");
    if (digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw HttpError.badRequest(part + ": " + fileName + " has an unusable frame number");
    }
    return Long.parseLong(digits);
  }

  private static int littleEndianInt(byte[] b) {
    return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
  }

  static String printable(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints().limit(200).forEach(c -> {
      if (c < 0x20 || c == 0x7F) {
        out.append(String.format("\\x%02x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }

  static String oneLine(Exception e) {
    String m = e.getMessage();
    return (m == null ? e.getClass().getSimpleName() : m).replaceAll("\\s+", " ").strip();
  }

  /** The body as a stream that tells how far it has been read (the compressed bytes consumed). */
  private static final class Counting extends ByteArrayInputStream {
    Counting(byte[] b) {
      super(b);
    }

    synchronized long position() {
      return pos;
    }
  }
}
