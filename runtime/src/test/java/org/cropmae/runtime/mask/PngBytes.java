package org.cropmae.runtime.mask;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Builds PNG byte images from hand-written, already filtered scanlines, so that decoder tests can
 * state the raw bytes and the pixels they must decode to.
 */
final class PngBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  PngBytes() {
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
  }

  PngBytes ihdr(int width, int height, int bitDepth, int colourType, int interlace) {
    byte[] d = new byte[13];
    putInt(d, 0, width);
    putInt(d, 4, height);
    d[8] = (byte) bitDepth;
    d[9] = (byte) colourType;
    d[12] = (byte) interlace;
    return chunk("IHDR", d);
  }

  PngBytes plte(int... rgb) {
    byte[] d = new byte[rgb.length];
    for (int i = 0; i < rgb.length; i++) {
      d[i] = (byte) rgb[i];
    }
    return chunk("PLTE", d);
  }

  /** An IDAT holding the zlib compression of {@code rows} (filter bytes included). */
  PngBytes idat(int... rows) {
    byte[] raw = new byte[rows.length];
    for (int i = 0; i < rows.length; i++) {
      raw[i] = (byte) rows[i];
    }
    Deflater d = new Deflater();
    d.setInput(raw);
    d.finish();
    byte[] buf = new byte[raw.length + 64];
    int n = d.deflate(buf);
    d.end();
    return chunk("IDAT", java.util.Arrays.copyOf(buf, n));
  }

  PngBytes iend() {
    return chunk("IEND", new byte[0]);
  }

  PngBytes chunk(String type, byte[] data) {
    byte[] len = new byte[4];
    putInt(len, 0, data.length);
    byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    byte[] c = new byte[4];
    putInt(c, 0, (int) crc.getValue());
    out.writeBytes(len);
    out.writeBytes(t);
    out.writeBytes(data);
    out.writeBytes(c);
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  private static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }
}
