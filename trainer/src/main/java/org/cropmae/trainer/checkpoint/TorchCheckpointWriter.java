package org.cropmae.trainer.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.cropmae.runtime.io.AtomicFiles;
import org.cropmae.runtime.io.NpyArray;

/**
 * Writes a checkpoint in the zip format of {@code torch.save} (PyTorch >= 1.6), so that
 * {@code torch.load(path)} in Python, the official CropMAE code and {@link TorchCheckpoint} all
 * read it.
 *
 * <p>The archive holds {@code <name>/data.pkl} (a protocol-2 pickle, as {@code torch.save}
 * writes), {@code <name>/byteorder} ({@code little}), one uncompressed {@code <name>/data/<k>}
 * record per tensor, its bytes aligned to 64 bytes in the file as PyTorch aligns them (so
 * {@code torch.load(..., mmap=True)} works too), and {@code <name>/version} ({@code 3}).
 *
 * <p>Java values map to Python as: null → None, {@link Boolean} → bool, {@link Integer}/{@link
 * Long} → int, {@link Float}/{@link Double} → float, {@link String} → str, {@link List} → list,
 * {@link Tuple} → tuple, {@link Map} with String or integer keys → dict, {@link OrderedDict} →
 * {@code collections.OrderedDict}, {@link NpyArray} (float32, float64, int64, int32, uint8; rank
 * 0 for a scalar tensor) → a contiguous CPU {@code torch.Tensor}. Only names PyTorch's
 * {@code weights_only} loader allows are written, so the file also loads with
 * {@code torch.load(path, weights_only=True)}.
 */
public final class TorchCheckpointWriter {
  /** PyTorch aligns storage records to this many bytes ({@code kFieldAlignment}). */
  static final int ALIGNMENT = 64;
  /** Zip extra-field id PyTorch pads local headers with. */
  private static final int PADDING_EXTRA_ID = 0x4246; // "FB"
  /** A fixed timestamp keeps the bytes of a checkpoint a function of its content. */
  private static final long ENTRY_TIME = 946_684_800_000L; // 2000-01-01

  private TorchCheckpointWriter() {}

  /** A Python tuple. */
  public record Tuple(List<?> items) {
    public Tuple {
      items = List.copyOf(items);
    }

    public static Tuple of(Object... items) {
      return new Tuple(List.of(items));
    }
  }

  /** A {@code collections.OrderedDict}, keys in the map's iteration order. */
  public record OrderedDict(Map<String, ?> items) {}

  /**
   * Writes {@code root} to {@code file} atomically (temporary file, then rename): a failure at any
   * point leaves an existing {@code file} untouched.
   *
   * @param root usually a {@link Map} like {@code {"model": OrderedDict, "epoch": 3, ...}}
   * @throws IllegalArgumentException for a value that has no Python counterpart here
   * @throws IOException when the file cannot be written
   */
  public static void write(Path file, Object root) throws IOException {
    write(file, root, UnaryOperator.identity());
  }

  /** {@link #write(Path, Object)} through {@code wrap} (tests inject write failures with it). */
  static void write(Path file, Object root, UnaryOperator<OutputStream> wrap) throws IOException {
    String name = archiveName(file);
    // Serialise the pickle first: an unsupported value fails before anything touches the disk.
    List<NpyArray> tensors = new ArrayList<>();
    byte[] pickle = new Pickler(tensors).dump(root);
    AtomicFiles.write(file, out -> writeArchive(wrap.apply(out), name, pickle, tensors));
  }

  /** The archive folder name torch.save uses: the file name without its extension. */
  static String archiveName(Path file) {
    String f = file.getFileName().toString();
    int dot = f.lastIndexOf('.');
    String stem = dot > 0 ? f.substring(0, dot) : f;
    return stem.isEmpty() ? "archive" : stem;
  }

  private static void writeArchive(OutputStream sink, String name, byte[] pickle, List<NpyArray> tensors)
      throws IOException {
    CountingStream counted = new CountingStream(sink);
    ZipOutputStream zip = new ZipOutputStream(counted, StandardCharsets.UTF_8);
    zip.setMethod(ZipOutputStream.STORED);
    String prefix = name + "/";
    put(zip, counted, prefix + "data.pkl", pickle, false);
    put(zip, counted, prefix + "byteorder", "little".getBytes(StandardCharsets.US_ASCII), false);
    for (int i = 0; i < tensors.size(); i++) {
      put(zip, counted, prefix + "data/" + i, littleEndian(tensors.get(i)), true);
    }
    put(zip, counted, prefix + "version", "3\n".getBytes(StandardCharsets.US_ASCII), false);
    zip.finish();
    zip.flush();
  }

  private static void put(ZipOutputStream zip, CountingStream counted, String entryName, byte[] data, boolean align)
      throws IOException {
    ZipEntry e = new ZipEntry(entryName);
    e.setMethod(ZipEntry.STORED);
    e.setTime(ENTRY_TIME);
    e.setSize(data.length);
    e.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    if (align) {
      // Local header: 30 fixed bytes, the name, then the extra field; pad so the data starts aligned.
      long start = counted.count + 30 + entryName.getBytes(StandardCharsets.UTF_8).length + 4;
      int pad = (int) ((ALIGNMENT - start % ALIGNMENT) % ALIGNMENT);
      byte[] extra = new byte[4 + pad];
      extra[0] = (byte) PADDING_EXTRA_ID;
      extra[1] = (byte) (PADDING_EXTRA_ID >>> 8);
      extra[2] = (byte) pad;
      extra[3] = (byte) (pad >>> 8);
      e.setExtra(extra);
    }
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }

  private static byte[] littleEndian(NpyArray a) {
    ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(a.size(), a.dtype().bytes())).order(ByteOrder.LITTLE_ENDIAN);
    switch (a.dtype()) {
      case FLOAT32 -> b.asFloatBuffer().put(a.toFloatArray());
      case FLOAT64 -> b.asDoubleBuffer().put(a.toDoubleArray());
      case INT64 -> b.asLongBuffer().put(a.toLongArray());
      case INT32 -> {
        for (long v : a.toLongArray()) {
          b.putInt((int) v);
        }
      }
      case UINT8 -> b.put(a.toByteArray());
      default -> throw new IllegalArgumentException("tensor dtype " + a.dtype() + " cannot be written");
    }
    return b.array();
  }

  /** Counts the bytes the zip stream writes, to place each record's data on the alignment. */
  private static final class CountingStream extends FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }

  /** A protocol-2 pickler for the value types listed in the class comment. */
  private static final class Pickler {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
    private final List<NpyArray> tensors;
    private int depth;

    Pickler(List<NpyArray> tensors) {
      this.tensors = tensors;
    }

    byte[] dump(Object root) {
      out.write(0x80); // PROTO
      out.write(2);
      value(root);
      out.write('.'); // STOP
      return out.toByteArray();
    }

    private void value(Object v) {
      if (++depth > 100) {
        throw new IllegalArgumentException("checkpoint value nested more than 100 levels deep");
      }
      if (v == null) {
        out.write('N');
      } else if (v instanceof Boolean b) {
        out.write(b ? 0x88 : 0x89);
      } else if (v instanceof Integer || v instanceof Long) {
        integer(((Number) v).longValue());
      } else if (v instanceof Float || v instanceof Double) {
        out.write('G'); // BINFLOAT, big-endian double
        long bits = Double.doubleToLongBits(((Number) v).doubleValue());
        for (int s = 56; s >= 0; s -= 8) {
          out.write((int) (bits >>> s));
        }
      } else if (v instanceof String s) {
        string(s);
      } else if (v instanceof NpyArray a) {
        tensor(a);
      } else if (v instanceof Tuple t) {
        tuple(t.items());
      } else if (v instanceof OrderedDict d) {
        global("collections", "OrderedDict");
        out.write(')');
        out.write('R');
        items(d.items());
      } else if (v instanceof Map<?, ?> m) {
        out.write('}');
        items(m);
      } else if (v instanceof List<?> l) {
        out.write(']');
        if (!l.isEmpty()) {
          out.write('(');
          l.forEach(this::value);
          out.write('e'); // APPENDS
        }
      } else {
        throw new IllegalArgumentException("checkpoint: a " + v.getClass().getName() + " has no pickle form");
      }
      depth--;
    }

    private void items(Map<?, ?> m) {
      if (m.isEmpty()) {
        return;
      }
      out.write('(');
      for (Map.Entry<?, ?> e : m.entrySet()) {
        Object k = e.getKey();
        if (!(k instanceof String || k instanceof Integer || k instanceof Long)) {
          throw new IllegalArgumentException("checkpoint: dict key " + k + " is not a string or integer");
        }
        value(k);
        value(e.getValue());
      }
      out.write('u'); // SETITEMS
    }

    private void tuple(List<?> items) {
      switch (items.size()) {
        case 0 -> out.write(')');
        case 1, 2, 3 -> {
          items.forEach(this::value);
          out.write(0x84 + items.size()); // TUPLE1..3
        }
        default -> {
          out.write('(');
          items.forEach(this::value);
          out.write('t');
        }
      }
    }

    private void integer(long v) {
      if (v >= 0 && v < 256) {
        out.write('K');
        out.write((int) v);
      } else if (v >= 0 && v < 65536) {
        out.write('M');
        out.write((int) v);
        out.write((int) (v >>> 8));
      } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
        out.write('J');
        for (int s = 0; s < 32; s += 8) {
          out.write((int) (v >>> s));
        }
      } else {
        out.write(0x8a); // LONG1: 8 bytes two's complement, little-endian
        out.write(8);
        for (int s = 0; s < 64; s += 8) {
          out.write((int) (v >>> s));
        }
      }
    }

    private void string(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.write('X'); // BINUNICODE
      for (int sh = 0; sh < 32; sh += 8) {
        out.write(b.length >>> sh);
      }
      out.write(b, 0, b.length);
    }

    private void global(String module, String name) {
      out.write('c');
      byte[] b = (module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII);
      out.write(b, 0, b.length);
    }

    /** {@code torch._utils._rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict())}. */
    private void tensor(NpyArray a) {
      String storageClass = switch (a.dtype()) {
        case FLOAT32 -> "FloatStorage";
        case FLOAT64 -> "DoubleStorage";
        case INT64 -> "LongStorage";
        case INT32 -> "IntStorage";
        case UINT8 -> "ByteStorage";
        default -> throw new IllegalArgumentException("checkpoint: tensor dtype " + a.dtype() + " cannot be written");
      };
      int key = tensors.size();
      tensors.add(a);
      global("torch._utils", "_rebuild_tensor_v2");
      out.write('(');
      // Persistent id ('storage', torch.<Type>Storage, key, location, numel).
      out.write('(');
      string("storage");
      global("torch", storageClass);
      string(Integer.toString(key));
      string("cpu");
      integer(a.size());
      out.write('t');
      out.write('Q'); // BINPERSID
      integer(0);
      int[] shape = a.shape();
      List<Object> size = new ArrayList<>();
      List<Object> stride = new ArrayList<>();
      long step = 1;
      long[] strides = new long[shape.length];
      for (int i = shape.length - 1; i >= 0; i--) {
        strides[i] = step;
        step *= shape[i];
      }
      for (int i = 0; i < shape.length; i++) {
        size.add((long) shape[i]);
        stride.add(strides[i]);
      }
      tuple(size);
      tuple(stride);
      out.write(0x89); // requires_grad False
      global("collections", "OrderedDict");
      out.write(')');
      out.write('R');
      out.write('t');
      out.write('R');
    }
  }
}
