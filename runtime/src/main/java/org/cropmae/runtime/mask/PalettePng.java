package org.cropmae.runtime.mask;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import org.cropmae.runtime.io.AtomicFiles;

/**
 * Reads and writes label masks as PNG files, keeping palette indices and palette exactly.
 *
 * <p><b>Why our own codec.</b> Apache Commons Imaging (1.0.0-alpha6) was
 * checked first: its {@code PngImageParser} only decodes into a {@code java.awt.image.BufferedImage}
 * with the palette already applied (ARGB pixels, indices lost), and {@code PngWriter} only encodes a
 * {@code BufferedImage}. Android has no AWT, and the evaluation needs the raw indices and the
 * stored palette, so this class implements the small subset of PNG that label masks use with
 * {@code java.util.zip} only.
 *
 * <p><b>Read</b>: palette images (colour type 3) of bit depth 1, 2, 4 or 8, with their palette;
 * 8-bit greyscale images (type 0), whose grey value is the index ({@link Palette#GRAYSCALE}); 8-bit
 * RGB and RGBA images (types 2 and 6, alpha ignored) when a palette is given to map colours to
 * indices. All five scanline filters are handled. Every chunk's CRC is checked; ancillary chunks
 * (tRNS, text, gamma...) are skipped. Refused with an {@link IOException} naming the file: a
 * missing or truncated file, a bad signature or CRC, corrupt compressed data, Adam7 interlacing,
 * 16-bit samples, an index outside the palette, an unknown critical chunk.
 *
 * <p><b>Write</b>: colour type 3, bit depth 8, a PLTE with exactly the mask's palette, filter None
 * on every row (the usual choice for indexed images, as PIL and the DAVIS files do), no tRNS.
 * Files are written atomically.
 */
public final class PalettePng {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  private static final int MAX_RAW_BYTES = Integer.MAX_VALUE - 8;

  private PalettePng() {}

  /**
   * Reads a palette or 8-bit greyscale index PNG.
   *
   * @throws IOException naming {@code file} when it is missing, corrupt or not an index image (an RGB
   *     PNG needs {@link #read(Path, Palette)})
   */
  public static IndexMask read(Path file) throws IOException {
    return read(file, null);
  }

  /**
   * Reads an index PNG; an RGB(A) PNG is mapped to indices through {@code colours} (the first entry
   * with a pixel's colour; a colour that has none is an error) and gets that palette. Palette and
   * greyscale PNGs keep their own palette whatever {@code colours} is.
   *
   * @param colours palette for RGB images, or {@code null} to refuse them
   */
  public static IndexMask read(Path file, Palette colours) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": no such file");
    }
    return decode(bytes, file.toString(), colours);
  }

  /**
   * Reads an index PNG; an RGB(A) PNG whose pixels have at most 256 distinct colours gets them
   * numbered as the official evaluation's loader does ({@code np.unique} over the pixels of the
   * image as OpenCV reads it: colours sorted by blue, then green, then red, so black is 0 when
   * present), and those colours as its palette. For masks drawn in a paint program.
   *
   * @param note told, once, a one-line description of the numbering when the PNG was RGB
   * @throws IOException naming {@code file} when it is missing, corrupt, or RGB with more than 256
   *     colours (an anti-aliased or lossy-compressed drawing)
   */
  public static IndexMask readNumberingColours(Path file, java.util.function.Consumer<String> note) throws IOException {
    java.util.Objects.requireNonNull(note, "note");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": no such file");
    }
    Decoder d = new Decoder(bytes, file.toString());
    d.numbering = note;
    return d.decode(null);
  }

  /**
   * Decodes PNG bytes, as {@link #read(Path, Palette)} does.
   *
   * @param name how error messages name the source (a path or URL)
   */
  public static IndexMask decode(byte[] png, String name, Palette colours) throws IOException {
    return new Decoder(png, name).decode(colours);
  }

  /** Encodes {@code mask} as a palette PNG (bit depth 8, the mask's palette). */
  public static byte[] encode(IndexMask mask) {
    int w = mask.width(), h = mask.height();
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + w * h / 8);
    // write(b, 0, n) rather than writeBytes(b) throughout: Android has writeBytes only from API 33.
    out.write(SIGNATURE, 0, SIGNATURE.length);
    byte[] ihdr = new byte[13];
    putInt(ihdr, 0, w);
    putInt(ihdr, 4, h);
    ihdr[8] = 8; // bit depth
    ihdr[9] = 3; // colour type: palette
    // compression 0 (deflate), filter method 0, interlace 0 (none)
    writeChunk(out, "IHDR", ihdr);
    writeChunk(out, "PLTE", mask.palette().toRgbBytes());
    ByteArrayOutputStream idat = new ByteArrayOutputStream(w * h / 8 + 64);
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
    try (DeflaterOutputStream z = new DeflaterOutputStream(idat, deflater, 1 << 16)) {
      byte[] idx = mask.indices();
      for (int y = 0; y < h; y++) {
        z.write(0); // filter type None
        z.write(idx, y * w, w);
      }
    } catch (IOException e) {
      throw new AssertionError("in-memory stream failed", e);
    } finally {
      deflater.end();
    }
    writeChunk(out, "IDAT", idat.toByteArray());
    writeChunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /** Writes {@code mask} to {@code file} as a palette PNG, atomically. */
  public static void write(Path file, IndexMask mask) throws IOException {
    AtomicFiles.write(file, encode(mask));
  }

  private static void writeChunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] head = new byte[8];
    putInt(head, 0, data.length);
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(t, 0, head, 4, 4);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    byte[] tail = new byte[4];
    putInt(tail, 0, (int) crc.getValue());
    out.write(head, 0, head.length);
    out.write(data, 0, data.length);
    out.write(tail, 0, tail.length);
  }

  private static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  /** One decoding pass over a PNG byte image. */
  private static final class Decoder {
    private final byte[] png;
    private final String name;
    private int width, height, bitDepth, colourType;
    private byte[] plte;
    private final ByteArrayOutputStream idat = new ByteArrayOutputStream();
    /** Where RGB images go to be numbered (and the note about it), or null to refuse them without a palette. */
    private java.util.function.Consumer<String> numbering;

    Decoder(byte[] png, String name) {
      this.png = png;
      this.name = name;
    }

    private IOException fail(String what) {
      return new IOException(name + ": " + what);
    }

    IndexMask decode(Palette colours) throws IOException {
      readChunks();
      byte[] raw = unfilter(inflate());
      return switch (colourType) {
        case 3 -> paletteImage(raw);
        case 0 -> new IndexMask(height, width, raw, Palette.GRAYSCALE);
        default -> rgbImage(raw, colours);
      };
    }

    private void readChunks() throws IOException {
      if (png.length < SIGNATURE.length) {
        throw fail("not a PNG file (only " + png.length + " bytes)");
      }
      for (int i = 0; i < SIGNATURE.length; i++) {
        if (png[i] != SIGNATURE[i]) {
          throw fail("not a PNG file (bad signature)");
        }
      }
      int pos = SIGNATURE.length;
      boolean seenHeader = false;
      boolean seenEnd = false;
      while (!seenEnd) {
        if (png.length - pos < 12) {
          throw fail("truncated PNG (file ends at byte " + png.length + " before the IEND chunk)");
        }
        long length = getInt(pos) & 0xFFFFFFFFL;
        String type = new String(png, pos + 4, 4, StandardCharsets.ISO_8859_1);
        if (length > png.length - pos - 12L) {
          throw fail("truncated PNG (chunk " + type + " at byte " + pos + " declares " + length + " bytes, "
              + Math.max(0, png.length - pos - 12) + " remain)");
        }
        int dataStart = pos + 8;
        int len = (int) length;
        CRC32 crc = new CRC32();
        crc.update(png, pos + 4, 4 + len);
        if ((int) crc.getValue() != getInt(dataStart + len)) {
          throw fail("CRC mismatch in chunk " + type + " at byte " + pos + " (corrupt file)");
        }
        if (!seenHeader && !type.equals("IHDR")) {
          throw fail("corrupt PNG (first chunk is " + type + ", not IHDR)");
        }
        switch (type) {
          case "IHDR" -> {
            header(dataStart, len);
            seenHeader = true;
          }
          case "PLTE" -> {
            if (len == 0 || len % 3 != 0 || len > 768) {
              throw fail("corrupt PNG (PLTE of " + len + " bytes; needs 3..768, a multiple of 3)");
            }
            plte = java.util.Arrays.copyOfRange(png, dataStart, dataStart + len);
          }
          case "IDAT" -> idat.write(png, dataStart, len);
          case "IEND" -> seenEnd = true;
          default -> {
            if ((type.charAt(0) & 0x20) == 0) {
              throw fail("unsupported critical PNG chunk " + type);
            }
          }
        }
        pos = dataStart + len + 4;
      }
      if (idat.size() == 0) {
        throw fail("corrupt PNG (no IDAT image data)");
      }
      if (colourType == 3 && plte == null) {
        throw fail("corrupt PNG (palette image without a PLTE chunk)");
      }
    }

    private void header(int at, int len) throws IOException {
      if (len != 13) {
        throw fail("corrupt PNG (IHDR of " + len + " bytes, expected 13)");
      }
      width = getInt(at);
      height = getInt(at + 4);
      bitDepth = png[at + 8] & 0xFF;
      colourType = png[at + 9] & 0xFF;
      int compression = png[at + 10], filter = png[at + 11], interlace = png[at + 12];
      if (width <= 0 || height <= 0) {
        throw fail("corrupt PNG (image size " + Integer.toUnsignedString(width) + "x" + Integer.toUnsignedString(height) + ")");
      }
      if (compression != 0 || filter != 0) {
        throw fail("corrupt PNG (unknown compression " + compression + " or filter method " + filter + ")");
      }
      if (interlace == 1) {
        throw fail("interlaced (Adam7) PNGs are not supported; re-save without interlacing");
      }
      if (interlace != 0) {
        throw fail("corrupt PNG (unknown interlace method " + interlace + ")");
      }
      boolean ok = switch (colourType) {
        case 3 -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8;
        case 0, 2, 6 -> bitDepth == 8;
        default -> false;
      };
      if (!ok) {
        throw fail("unsupported PNG colour type " + colourType + " with bit depth " + bitDepth
            + " (supported: palette 1/2/4/8-bit, greyscale 8-bit, RGB/RGBA 8-bit)");
      }
    }

    private int channels() {
      return switch (colourType) {
        case 2 -> 3;
        case 6 -> 4;
        default -> 1;
      };
    }

    private int stride() {
      return (int) (((long) width * channels() * bitDepth + 7) / 8);
    }

    private byte[] inflate() throws IOException {
      long rawLen = (long) height * (1L + ((long) width * channels() * bitDepth + 7) / 8);
      if (rawLen > MAX_RAW_BYTES) {
        throw fail("image of " + width + "x" + height + " pixels is too large");
      }
      byte[] raw = new byte[(int) rawLen];
      Inflater inflater = new Inflater();
      try {
        inflater.setInput(idat.toByteArray());
        int n = 0;
        while (n < raw.length) {
          int k = inflater.inflate(raw, n, raw.length - n);
          if (k == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
            throw fail("truncated image data (" + n + " of " + raw.length + " bytes decompressed)");
          }
          n += k;
        }
      } catch (DataFormatException e) {
        throw fail("corrupt image data (zlib: " + e.getMessage() + ")");
      } finally {
        inflater.end();
      }
      return raw;
    }

    /** Undoes the per-row filters; returns the packed rows without their filter bytes. */
    private byte[] unfilter(byte[] raw) throws IOException {
      int stride = stride();
      int bpp = Math.max(1, channels() * bitDepth / 8);
      byte[] out = new byte[height * stride];
      int prev = -1; // start of the previous reconstructed row in out
      for (int y = 0; y < height; y++) {
        int in = y * (stride + 1);
        int filter = raw[in++];
        int cur = y * stride;
        switch (filter) {
          case 0 -> System.arraycopy(raw, in, out, cur, stride);
          case 1 -> {
            for (int i = 0; i < stride; i++) {
              int a = i >= bpp ? out[cur + i - bpp] : 0;
              out[cur + i] = (byte) (raw[in + i] + a);
            }
          }
          case 2 -> {
            for (int i = 0; i < stride; i++) {
              int b = prev >= 0 ? out[prev + i] : 0;
              out[cur + i] = (byte) (raw[in + i] + b);
            }
          }
          case 3 -> {
            for (int i = 0; i < stride; i++) {
              int a = i >= bpp ? out[cur + i - bpp] & 0xFF : 0;
              int b = prev >= 0 ? out[prev + i] & 0xFF : 0;
              out[cur + i] = (byte) (raw[in + i] + ((a + b) >>> 1));
            }
          }
          case 4 -> {
            for (int i = 0; i < stride; i++) {
              int a = i >= bpp ? out[cur + i - bpp] & 0xFF : 0;
              int b = prev >= 0 ? out[prev + i] & 0xFF : 0;
              int c = i >= bpp && prev >= 0 ? out[prev + i - bpp] & 0xFF : 0;
              out[cur + i] = (byte) (raw[in + i] + paeth(a, b, c));
            }
          }
          default -> throw fail("corrupt image data (unknown filter type " + (filter & 0xFF) + " in row " + y + ")");
        }
        prev = cur;
      }
      return out;
    }

    private static int paeth(int a, int b, int c) {
      int p = a + b - c;
      int pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private IndexMask paletteImage(byte[] packed) throws IOException {
      byte[] idx;
      if (bitDepth == 8) {
        idx = packed;
      } else {
        idx = new byte[width * height];
        int stride = stride(), perByte = 8 / bitDepth, mask = (1 << bitDepth) - 1;
        for (int y = 0; y < height; y++) {
          for (int x = 0; x < width; x++) {
            int b = packed[y * stride + x / perByte] & 0xFF;
            int shift = 8 - bitDepth * (x % perByte + 1); // leftmost pixel in the high bits
            idx[y * width + x] = (byte) ((b >>> shift) & mask);
          }
        }
      }
      int entries = plte.length / 3;
      for (int i = 0; i < idx.length; i++) {
        if ((idx[i] & 0xFF) >= entries) {
          throw fail("pixel (x=" + i % width + ", y=" + i / width + ") has index " + (idx[i] & 0xFF) + " but PLTE has "
              + entries + " entries");
        }
      }
      return new IndexMask(height, width, idx, Palette.ofRgb(plte));
    }

    private IndexMask rgbImage(byte[] pixels, Palette colours) throws IOException {
      if (colours == null && numbering != null) {
        return numberColours(pixels);
      }
      if (colours == null) {
        throw fail("an RGB PNG (colour type " + colourType + "), not a mask of indices; save it as an indexed (palette)"
            + " PNG with 0 for the background, as DAVIS annotations are");
      }
      Map<Integer, Integer> lookup = new HashMap<>();
      for (int i = colours.size() - 1; i >= 0; i--) {
        lookup.put(colours.rgb(i), i); // descending so that the first index with a colour wins
      }
      int cn = channels();
      byte[] idx = new byte[width * height];
      int lastRgb = -1, lastIndex = -1;
      for (int i = 0; i < idx.length; i++) {
        int p = i * cn;
        int rgb = ((pixels[p] & 0xFF) << 16) | ((pixels[p + 1] & 0xFF) << 8) | (pixels[p + 2] & 0xFF);
        if (rgb != lastRgb) {
          Integer found = lookup.get(rgb);
          if (found == null) {
            throw fail(String.format("colour #%06x at (x=%d, y=%d) is not in the palette", rgb, i % width, i / width));
          }
          lastRgb = rgb;
          lastIndex = found;
        }
        idx[i] = (byte) lastIndex;
      }
      return new IndexMask(height, width, idx, colours);
    }

    /** Numbers the colours of an RGB image in (B, G, R) order, as np.unique over cv2's BGR pixels does. */
    private IndexMask numberColours(byte[] pixels) throws IOException {
      int cn = channels();
      java.util.TreeSet<Integer> bgr = new java.util.TreeSet<>();
      int last = -1;
      for (int p = 0; p < pixels.length; p += cn) {
        int key = ((pixels[p + 2] & 0xFF) << 16) | ((pixels[p + 1] & 0xFF) << 8) | (pixels[p] & 0xFF);
        if (key != last && bgr.add(key) && bgr.size() > 256) {
          throw fail("an RGB PNG with more than 256 colours, not a mask; draw the objects in flat colours without"
              + " anti-aliasing, or save the mask as an indexed (palette) PNG");
        }
        last = key;
      }
      Map<Integer, Integer> index = new HashMap<>();
      byte[] plte = new byte[3 * bgr.size()];
      int i = 0;
      for (int key : bgr) {
        index.put(key, i);
        plte[3 * i] = (byte) key; // red is the low byte of the (B, G, R) key
        plte[3 * i + 1] = (byte) (key >>> 8);
        plte[3 * i + 2] = (byte) (key >>> 16);
        i++;
      }
      byte[] idx = new byte[width * height];
      for (int k = 0, p = 0; k < idx.length; k++, p += cn) {
        int key = ((pixels[p + 2] & 0xFF) << 16) | ((pixels[p + 1] & 0xFF) << 8) | (pixels[p] & 0xFF);
        idx[k] = (byte) (int) index.get(key);
      }
      numbering.accept(name + ": an RGB image; its " + bgr.size() + " colours were numbered 0-" + (bgr.size() - 1)
          + " as the official loader does (sorted by blue, green, red" + (bgr.first() == 0 ? "; black is 0, the background"
          : "; no black pixel, so index 0 is an object colour") + ")");
      return new IndexMask(height, width, idx, Palette.ofRgb(plte));
    }

    private int getInt(int at) {
      return ((png[at] & 0xFF) << 24) | ((png[at + 1] & 0xFF) << 16) | ((png[at + 2] & 0xFF) << 8) | (png[at + 3] & 0xFF);
    }
  }
}
