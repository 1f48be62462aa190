package org.cropmae.android.demo.logic;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes an animated GIF (GIF89a, looping forever) frame by frame to a stream, so that a long
 * result never sits in memory whole. Android has no GIF encoder and no {@code javax.imageio}, so
 * this is a small one of our own.
 *
 * <p>Each frame gets its own colour table of up to 256 colours: a frame with at most 256 distinct
 * colours is stored exactly; otherwise colours are grouped by their top 5 bits per channel and the
 * (up to) 256 most frequent groups, each as its mean colour, form the table, every pixel taking the
 * entry nearest to its group's mean. Good enough to look at; the masks themselves are exported losslessly as PNGs.
 *
 * <p>Not thread-safe.
 */
public final class AnimatedGifEncoder {
  private static final int MAX_CODES = 4096;
  private static final int HASH_SIZE = 8191; // prime, about twice the largest table

  private final OutputStream out;
  private final int width;
  private final int height;
  private final int delayCentiseconds;
  private int frames;
  private boolean finished;

  // LZW state, reused across frames.
  private final int[] hashKeys = new int[HASH_SIZE];
  private final int[] hashCodes = new int[HASH_SIZE];
  private final byte[] block = new byte[255];
  private int blockLength;
  private int bitBuffer;
  private int bitCount;
  private int codeSize;
  private int nextCode;

  /**
   * Starts an animation; writes the header at once.
   *
   * @param out where the GIF goes; not closed by this object (it may be a zip entry)
   * @param width frame width in pixels, 1..65535
   * @param height frame height in pixels, 1..65535
   * @param delayMs how long each frame shows, in milliseconds; stored in hundredths of a second,
   *     at least 2 (viewers slow shorter delays down to 0.1 s)
   * @throws IllegalArgumentException for a size outside 1..65535 or a negative delay
   */
  public AnimatedGifEncoder(OutputStream out, int width, int height, long delayMs) throws IOException {
    if (width < 1 || width > 0xFFFF || height < 1 || height > 0xFFFF) {
      throw new IllegalArgumentException("GIF frames must be 1..65535 pixels on each side, got " + width + "x" + height);
    }
    if (delayMs < 0) {
      throw new IllegalArgumentException("delayMs must be >= 0, got " + delayMs);
    }
    this.out = out;
    this.width = width;
    this.height = height;
    this.delayCentiseconds = (int) Math.min(0xFFFF, Math.max(2, Math.round(delayMs / 10.0)));
    out.write("GIF89a".getBytes(StandardCharsets.US_ASCII));
    writeShort(width);
    writeShort(height);
    out.write(0); // no global colour table: every frame brings its own
    out.write(0); // background colour index
    out.write(0); // square pixels
    // NETSCAPE2.0 application extension: loop forever.
    out.write(new byte[] {0x21, (byte) 0xFF, 0x0B});
    out.write("NETSCAPE2.0".getBytes(StandardCharsets.US_ASCII));
    out.write(new byte[] {0x03, 0x01, 0x00, 0x00, 0x00});
  }

  /** Number of frames written so far. */
  public int frameCount() {
    return frames;
  }

  /**
   * Appends a frame.
   *
   * @param argb {@code width * height} pixels {@code 0xAARRGGBB}, row-major; alpha is ignored
   * @throws IllegalArgumentException when the array does not hold {@code width * height} pixels
   * @throws IllegalStateException after {@link #finish()}
   */
  public void addFrame(int[] argb) throws IOException {
    if (finished) {
      throw new IllegalStateException("the GIF is finished");
    }
    if (argb == null || argb.length != width * height) {
      throw new IllegalArgumentException("argb: a " + width + "x" + height + " frame needs " + width * height
          + " pixels, got " + (argb == null ? "null" : argb.length));
    }
    Quantized q = quantize(argb);
    // Graphic control extension: keep the frame (disposal 1), no transparency, the delay.
    out.write(new byte[] {0x21, (byte) 0xF9, 0x04, 0x04});
    writeShort(delayCentiseconds);
    out.write(new byte[] {0x00, 0x00});
    // Image descriptor with a local colour table of 2^(bits) entries.
    int bits = Math.max(1, 32 - Integer.numberOfLeadingZeros(q.palette.length - 1));
    out.write(0x2C);
    writeShort(0);
    writeShort(0);
    writeShort(width);
    writeShort(height);
    out.write(0x80 | (bits - 1));
    byte[] table = new byte[3 << bits];
    for (int i = 0; i < q.palette.length; i++) {
      table[3 * i] = (byte) (q.palette[i] >> 16);
      table[3 * i + 1] = (byte) (q.palette[i] >> 8);
      table[3 * i + 2] = (byte) q.palette[i];
    }
    out.write(table);
    compress(q.indices, Math.max(2, bits));
    frames++;
  }

  /**
   * Writes the trailer. The stream is flushed, not closed.
   *
   * @throws IllegalStateException when no frame was added (a GIF needs one)
   */
  public void finish() throws IOException {
    if (finished) {
      return;
    }
    if (frames == 0) {
      throw new IllegalStateException("a GIF needs at least one frame");
    }
    out.write(0x3B);
    out.flush();
    finished = true;
  }

  /** A frame reduced to a colour table and one table index per pixel. */
  record Quantized(int[] palette, byte[] indices) {}

  /** Reduces a frame to at most 256 colours (see the class comment). Package-private for tests. */
  static Quantized quantize(int[] argb) {
    int[] exact = distinctColours(argb, 256);
    if (exact != null) {
      Arrays.sort(exact);
      byte[] idx = new byte[argb.length];
      int last = -1;
      int lastIndex = 0;
      for (int i = 0; i < argb.length; i++) {
        int c = argb[i] & 0xFFFFFF;
        if (c != last) {
          last = c;
          lastIndex = Arrays.binarySearch(exact, c);
        }
        idx[i] = (byte) lastIndex;
      }
      return new Quantized(exact, idx);
    }
    // Popularity over 15-bit colour groups, each represented by its mean colour.
    int[] count = new int[1 << 15];
    long[] sum = new long[3 << 15];
    for (int p : argb) {
      int r = (p >> 16) & 0xFF;
      int g = (p >> 8) & 0xFF;
      int b = p & 0xFF;
      int bin = group(r, g, b);
      count[bin]++;
      sum[3 * bin] += r;
      sum[3 * bin + 1] += g;
      sum[3 * bin + 2] += b;
    }
    int used = 0;
    for (int c : count) {
      used += c > 0 ? 1 : 0;
    }
    int[] bins = new int[used];
    for (int bin = 0, n = 0; bin < count.length; bin++) {
      if (count[bin] > 0) {
        bins[n++] = bin;
      }
    }
    // Most frequent first; ties by bin number so that the result does not depend on the sort.
    Integer[] order = new Integer[used];
    for (int i = 0; i < used; i++) {
      order[i] = bins[i];
    }
    Arrays.sort(order, (a, b) -> count[a] != count[b] ? Integer.compare(count[b], count[a]) : Integer.compare(a, b));
    // More than 256 colours can still fall into fewer than 256 groups.
    int[] palette = new int[Math.min(256, used)];
    for (int i = 0; i < palette.length; i++) {
      palette[i] = mean(order[i], count, sum);
    }
    int[] binIndex = new int[1 << 15];
    for (int bin : bins) {
      binIndex[bin] = nearest(palette, mean(bin, count, sum));
    }
    byte[] idx = new byte[argb.length];
    for (int i = 0; i < argb.length; i++) {
      int p = argb[i];
      idx[i] = (byte) binIndex[group((p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF)];
    }
    return new Quantized(palette, idx);
  }

  private static int group(int r, int g, int b) {
    return (r >> 3) << 10 | (g >> 3) << 5 | (b >> 3);
  }

  private static int mean(int bin, int[] count, long[] sum) {
    int n = count[bin];
    int r = (int) ((sum[3 * bin] + n / 2) / n);
    int g = (int) ((sum[3 * bin + 1] + n / 2) / n);
    int b = (int) ((sum[3 * bin + 2] + n / 2) / n);
    return r << 16 | g << 8 | b;
  }

  private static int nearest(int[] palette, int rgb) {
    int best = 0;
    int bestDistance = Integer.MAX_VALUE;
    for (int i = 0; i < palette.length; i++) {
      int dr = ((palette[i] >> 16) & 0xFF) - ((rgb >> 16) & 0xFF);
      int dg = ((palette[i] >> 8) & 0xFF) - ((rgb >> 8) & 0xFF);
      int db = (palette[i] & 0xFF) - (rgb & 0xFF);
      int d = dr * dr + dg * dg + db * db;
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    }
    return best;
  }

  /** The distinct colours (RGB, alpha dropped) when there are at most {@code limit}, else {@code null}. */
  private static int[] distinctColours(int[] argb, int limit) {
    int[] seen = new int[limit];
    int n = 0;
    int last = -1;
    outer:
    for (int p : argb) {
      int c = p & 0xFFFFFF;
      if (c == last) {
        continue;
      }
      last = c;
      for (int i = 0; i < n; i++) {
        if (seen[i] == c) {
          continue outer;
        }
      }
      if (n == limit) {
        return null;
      }
      seen[n++] = c;
    }
    return Arrays.copyOf(seen, n);
  }

  /** Variable-length LZW of the GIF specification, codes packed LSB first into 255-byte sub-blocks. */
  private void compress(byte[] pixels, int minCodeSize) throws IOException {
    out.write(minCodeSize);
    int clear = 1 << minCodeSize;
    int end = clear + 1;
    bitBuffer = 0;
    bitCount = 0;
    blockLength = 0;
    resetTable(minCodeSize);
    writeCode(clear);
    int prefix = pixels[0] & 0xFF;
    for (int i = 1; i < pixels.length; i++) {
      int k = pixels[i] & 0xFF;
      int key = prefix << 8 | k;
      int slot = find(key);
      if (hashKeys[slot] == key) {
        prefix = hashCodes[slot];
        continue;
      }
      writeCode(prefix);
      if (nextCode < MAX_CODES) {
        hashKeys[slot] = key;
        hashCodes[slot] = nextCode++;
      } else {
        // Table full: start over, as decoders expect after a clear code.
        writeCode(clear);
        resetTable(minCodeSize);
      }
      prefix = k;
    }
    writeCode(prefix);
    writeCode(end);
    if (bitCount > 0) {
      writeByte(bitBuffer & 0xFF);
    }
    flushBlock();
    out.write(0); // block terminator
  }

  private void resetTable(int minCodeSize) {
    Arrays.fill(hashKeys, -1);
    codeSize = minCodeSize + 1;
    nextCode = (1 << minCodeSize) + 2;
  }

  /** The slot holding {@code key}, or the empty slot where it belongs (open addressing, linear probing). */
  private int find(int key) {
    int slot = (key * 31 + (key >>> 13)) % HASH_SIZE;
    if (slot < 0) {
      slot += HASH_SIZE;
    }
    while (hashKeys[slot] != -1 && hashKeys[slot] != key) {
      slot = slot + 1 == HASH_SIZE ? 0 : slot + 1;
    }
    return slot;
  }

  private void writeCode(int code) throws IOException {
    bitBuffer |= code << bitCount;
    bitCount += codeSize;
    while (bitCount >= 8) {
      writeByte(bitBuffer & 0xFF);
      bitBuffer >>>= 8;
      bitCount -= 8;
    }
    // The decoder widens its codes once its table would need the next bit; it runs one entry
    // behind the encoder, so widen when the code about to be assigned no longer fits.
    if (nextCode > (1 << codeSize) - 1 && codeSize < 12) {
      codeSize++;
    }
  }

  private void writeByte(int b) throws IOException {
    block[blockLength++] = (byte) b;
    if (blockLength == 255) {
      flushBlock();
    }
  }

  private void flushBlock() throws IOException {
    if (blockLength > 0) {
      out.write(blockLength);
      out.write(block, 0, blockLength);
      blockLength = 0;
    }
  }

  private void writeShort(int v) throws IOException {
    out.write(v & 0xFF);
    out.write((v >> 8) & 0xFF);
  }
}
