package org.cropmae.runtime.io;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0, C order, the
 * dtypes of {@link NpyDType}). Written files are little-endian version 1.0 (2.0 when the header
 * needs it), readable by {@code numpy.load}.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
  /** Headers above this size are not NumPy's: refuse them before allocating. */
  private static final int MAX_HEADER = 1 << 20;

  private Npy() {}

  /**
   * Reads an array from a file.
   *
   * @throws IOException with a one-line message naming {@code file} when it is missing,
   *     truncated, not a {@code .npy} file or of an unsupported layout
   */
  public static NpyArray read(Path file) throws IOException {
    long fileSize;
    try {
      fileSize = Files.size(file);
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": no such file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, fileSize);
    } catch (NpyFormatException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads an array from a stream positioned at the start of a {@code .npy} image.
   *
   * @throws IOException when the stream is truncated or not a {@code .npy} image
   */
  public static NpyArray read(InputStream in) throws IOException {
    return read(in, -1);
  }

  private static NpyArray read(InputStream input, long knownSize) throws IOException {
    try {
      return readBody(input, knownSize);
    } catch (EOFException e) {
      // DataInputStream's fixed-size reads (version, header length) end this way on a cut file.
      throw new NpyFormatException("truncated (unexpected end of data in the header)");
    }
  }

  private static NpyArray readBody(InputStream input, long knownSize) throws IOException {
    DataInputStream in = new DataInputStream(input);
    byte[] magic = new byte[6];
    readFully(in, magic, "magic string");
    for (int i = 0; i < 6; i++) {
      if (magic[i] != MAGIC[i]) {
        throw new NpyFormatException("not a .npy file (bad magic string)");
      }
    }
    int major = in.readUnsignedByte();
    in.readUnsignedByte();
    long headerLen;
    int prefix;
    if (major == 1) {
      headerLen = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
      prefix = 10;
    } else if (major == 2 || major == 3) {
      headerLen = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
      prefix = 12;
    } else {
      throw new NpyFormatException("unsupported .npy format version " + major);
    }
    if (headerLen > MAX_HEADER) {
      throw new NpyFormatException("header of " + headerLen + " bytes is implausibly large");
    }
    byte[] headerBytes = new byte[(int) headerLen];
    readFully(in, headerBytes, "header");
    String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

    Matcher d = DESCR.matcher(header);
    Matcher f = FORTRAN.matcher(header);
    Matcher s = SHAPE.matcher(header);
    if (!d.find() || !f.find() || !s.find()) {
      throw new NpyFormatException("malformed header: " + header.strip());
    }
    String descr = d.group(1);
    NpyDType dtype;
    try {
      dtype = NpyDType.parse(descr);
    } catch (IllegalArgumentException e) {
      throw new NpyFormatException(e.getMessage());
    }
    if (f.group(1).equals("True")) {
      throw new NpyFormatException("Fortran-order arrays are not supported; save with np.ascontiguousarray");
    }
    int[] shape = parseShape(s.group(1));
    long count;
    try {
      count = NpyArray.sizeOf(shape);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new NpyFormatException(e.getMessage());
    }
    long dataBytes = count * dtype.bytes();
    if (knownSize >= 0 && knownSize - prefix - headerLen < dataBytes) {
      throw new NpyFormatException(
          "truncated: shape needs " + dataBytes + " data bytes, file has " + (knownSize - prefix - headerLen));
    }
    ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    return NpyArray.adopt(dtype, shape, readData(in, dtype, (int) count, order));
  }

  private static Object readData(DataInputStream in, NpyDType dtype, int count, ByteOrder order)
      throws IOException {
    final int chunkElems = Math.max(1, (1 << 16) / dtype.bytes());
    byte[] buf = new byte[Math.min(count, chunkElems) * dtype.bytes()];
    Object out = switch (dtype) {
      case FLOAT32 -> new float[count];
      case FLOAT64 -> new double[count];
      case UINT8 -> new byte[count];
      case INT32 -> new int[count];
      case INT64 -> new long[count];
    };
    if (dtype == NpyDType.UINT8) {
      readFully(in, (byte[]) out, "data");
      return out;
    }
    for (int start = 0; start < count; start += chunkElems) {
      int n = Math.min(chunkElems, count - start);
      readFully(in, buf, 0, n * dtype.bytes(), "data");
      ByteBuffer bb = ByteBuffer.wrap(buf, 0, n * dtype.bytes()).order(order);
      switch (dtype) {
        case FLOAT32 -> bb.asFloatBuffer().get((float[]) out, start, n);
        case FLOAT64 -> bb.asDoubleBuffer().get((double[]) out, start, n);
        case INT32 -> bb.asIntBuffer().get((int[]) out, start, n);
        case INT64 -> bb.asLongBuffer().get((long[]) out, start, n);
        default -> throw new AssertionError(dtype);
      }
    }
    return out;
  }

  private static int[] parseShape(String body) throws NpyFormatException {
    String[] parts = body.split(",");
    int n = 0;
    int[] dims = new int[parts.length];
    for (String p : parts) {
      String t = p.strip();
      if (t.isEmpty()) {
        continue;
      }
      if (t.endsWith("L")) {
        t = t.substring(0, t.length() - 1);
      }
      try {
        dims[n++] = Integer.parseInt(t);
      } catch (NumberFormatException e) {
        throw new NpyFormatException("bad shape (" + body + ")");
      }
      if (dims[n - 1] < 0) {
        throw new NpyFormatException("bad shape (" + body + ")");
      }
    }
    return java.util.Arrays.copyOf(dims, n);
  }

  private static void readFully(DataInputStream in, byte[] b, String what) throws IOException {
    readFully(in, b, 0, b.length, what);
  }

  private static void readFully(DataInputStream in, byte[] b, int off, int len, String what)
      throws IOException {
    try {
      in.readFully(b, off, len);
    } catch (EOFException e) {
      throw new NpyFormatException("truncated while reading the " + what);
    }
  }

  /** Writes {@code array} to {@code file} atomically (temporary file, then rename). */
  public static void write(Path file, NpyArray array) throws IOException {
    AtomicFiles.write(file, out -> write(out, array));
  }

  /** Writes {@code array} as a {@code .npy} image to {@code out}; the stream is not closed. */
  public static void write(OutputStream out, NpyArray array) throws IOException {
    int[] shape = array.shape();
    StringBuilder sh = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sh.append(shape[i]);
      if (shape.length == 1 || i < shape.length - 1) {
        sh.append(shape.length == 1 ? "," : ", ");
      }
    }
    sh.append(')');
    String dict = "{'descr': '" + array.dtype().descr() + "', 'fortran_order': False, 'shape': " + sh + ", }";
    // Pad so that the data starts on a 64-byte boundary, terminated by a newline, as NumPy does.
    int major = dict.length() + 1 + 10 > 65535 ? 2 : 1;
    int prefix = major == 1 ? 10 : 12;
    int total = prefix + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    ByteArrayOutputStream head = new ByteArrayOutputStream(prefix + header.length());
    head.write(MAGIC);
    head.write(major);
    head.write(0);
    int hl = header.length();
    if (major == 1) {
      head.write(hl & 0xFF);
      head.write((hl >>> 8) & 0xFF);
    } else {
      for (int i = 0; i < 4; i++) head.write((hl >>> (8 * i)) & 0xFF);
    }
    head.write(header.getBytes(StandardCharsets.ISO_8859_1));
    out.write(head.toByteArray());

    NpyDType dtype = array.dtype();
    Object data = array.storage();
    int count = array.size();
    if (dtype == NpyDType.UINT8) {
      out.write((byte[]) data);
      return;
    }
    int chunkElems = (1 << 16) / dtype.bytes();
    ByteBuffer bb = ByteBuffer.allocate(chunkElems * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    for (int start = 0; start < count; start += chunkElems) {
      int n = Math.min(chunkElems, count - start);
      bb.clear();
      switch (dtype) {
        case FLOAT32 -> bb.asFloatBuffer().put((float[]) data, start, n);
        case FLOAT64 -> bb.asDoubleBuffer().put((double[]) data, start, n);
        case INT32 -> bb.asIntBuffer().put((int[]) data, start, n);
        case INT64 -> bb.asLongBuffer().put((long[]) data, start, n);
        default -> throw new AssertionError(dtype);
      }
      out.write(bb.array(), 0, n * dtype.bytes());
    }
  }

  /** A malformed {@code .npy} image; {@link #read(Path)} prefixes the file name. */
  static final class NpyFormatException extends IOException {
    NpyFormatException(String message) {
      super(message);
    }
  }
}
