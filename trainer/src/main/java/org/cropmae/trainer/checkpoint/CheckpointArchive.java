package org.cropmae.trainer.checkpoint;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The zip container torch.save writes (PyTorch >= 1.6): every record lives under one archive folder
 * {@code <name>/}: {@code data.pkl} (the pickled object), {@code data/<key>} (raw storage bytes),
 * {@code version}, and since PyTorch 2.x {@code byteorder}, {@code .format_version},
 * {@code .storage_alignment} and {@code .data/serialization_id}.
 *
 * <p>Every error is an {@link IOException} whose one-line message starts with the file path.
 */
final class CheckpointArchive implements AutoCloseable {
  /** Small metadata records (version, byteorder...) are read up to this many bytes. */
  private static final int MAX_RECORD_BYTES = 256;
  /** A metadata record longer than this is refused rather than drained for its CRC check. */
  private static final int MAX_TEXT_RECORD_BYTES = 1 << 16;
  /** Deflate cannot compress better than about 1032:1; a record claiming more is corrupt or a zip bomb. */
  static final long MAX_DEFLATE_RATIO = 1032;
  /** Bytes of a local file header before its name (30) plus the smallest central directory record (46) and end record (22). */
  private static final long MIN_ZIP_OVERHEAD = 30 + 46 + 22;

  static final String LEGACY_MESSAGE = "legacy (non-zip) PyTorch checkpoint format is not supported; re-save it "
      + "with torch.save(obj, path) from PyTorch >= 1.6 (default _use_new_zipfile_serialization=True)";

  /** The legacy format's magic number 0x1950a86a20f9469cfc6c, little-endian as its pickle stores it. */
  private static final byte[] LEGACY_MAGIC = {
    0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19
  };
  private static final String LEGACY_MAGIC_DECIMAL = "119547037146038801333356";

  private final Path file;
  private final ZipFile zip;
  private final String prefix;
  private final long fileSize;

  private CheckpointArchive(Path file, ZipFile zip, String prefix, long fileSize) {
    this.file = file;
    this.zip = zip;
    this.prefix = prefix;
    this.fileSize = fileSize;
  }

  /** Opens {@code file}, checking that it is a torch.save zip checkpoint. */
  static CheckpointArchive open(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException(file + ": no such file");
    }
    if (Files.isDirectory(file)) {
      throw new IOException(file + ": is a directory, not a checkpoint file");
    }
    checkMagic(file);
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new IOException(file + ": truncated or corrupt zip archive (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new IOException(file + ": cannot open (" + e.getMessage() + ")", e);
    }
    try {
      return new CheckpointArchive(file, zip, findPrefix(file, zip), Files.size(file));
    } catch (IOException | RuntimeException e) {
      zip.close();
      throw e;
    }
  }

  private static void checkMagic(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(64);
    } catch (IOException e) {
      throw new IOException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
    if (head.length == 0) {
      throw new IOException(file + ": empty file (0 bytes), not a PyTorch checkpoint");
    }
    if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5)) {
      return;
    }
    String ascii = new String(head, StandardCharsets.ISO_8859_1);
    // Legacy torch.save pickles the magic number first; any bare pickle (PROTO first) is also not a zip.
    if ((head[0] & 0xFF) == 0x80 || indexOf(head, LEGACY_MAGIC) >= 0 || ascii.contains(LEGACY_MAGIC_DECIMAL)) {
      throw new IOException(file + ": " + LEGACY_MESSAGE);
    }
    if (head.length < 4 && "PK\u0003\u0004".startsWith(ascii)) {
      throw new IOException(file + ": truncated zip archive (" + head.length + " bytes)");
    }
    throw new IOException(String.format("%s: not a PyTorch checkpoint (not a zip archive; starts with %02x %02x)",
        file, head[0] & 0xFF, head.length > 1 ? head[1] & 0xFF : 0));
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The archive folder: the one {@code <name>/} holding {@code data.pkl}. */
  private static String findPrefix(Path file, ZipFile zip) throws IOException {
    List<String> found = new ArrayList<>();
    boolean torchScript = false;
    try {
      for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
        String name = en.nextElement().getName();
        int slash = name.indexOf('/');
        if (slash > 0 && name.indexOf('/', slash + 1) < 0) {
          String rest = name.substring(slash + 1);
          if (rest.equals("data.pkl")) {
            found.add(name.substring(0, slash + 1));
          } else if (rest.equals("constants.pkl")) {
            torchScript = true;
          }
        }
      }
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": corrupt zip archive (" + e.getMessage() + ")", e);
    }
    if (torchScript) {
      throw new IOException(file + ": is a TorchScript archive (torch.jit.save), not a torch.save checkpoint; "
          + "load it with torch.jit.load and save its state_dict() with torch.save");
    }
    if (found.isEmpty()) {
      throw new IOException(file + ": zip archive has no <name>/data.pkl record, not a torch.save checkpoint");
    }
    if (found.size() > 1) {
      throw new IOException(file + ": zip archive holds several data.pkl records " + found
          + ", not a single torch.save checkpoint");
    }
    return found.get(0);
  }

  Path file() {
    return file;
  }

  /** The archive folder name, e.g. {@code checkpoint} (without the slash). */
  String archiveName() {
    return prefix.substring(0, prefix.length() - 1);
  }

  /** A small text record such as {@code version} or {@code byteorder}, trimmed, or null if absent. */
  String textRecord(String name) throws IOException {
    ZipEntry e = zip.getEntry(prefix + name);
    if (e == null) {
      return null;
    }
    checkDeclaredSizes(e, MAX_TEXT_RECORD_BYTES);
    try (VerifiedEntryStream in = open(e)) {
      String text = new String(in.readNBytes(MAX_RECORD_BYTES), StandardCharsets.UTF_8).strip();
      in.finish();
      return text;
    } catch (ZipException | EOFException ex) {
      throw corrupt(name, ex);
    }
  }

  /** Byte order of the storage records: the {@code byteorder} record, little-endian when absent (PyTorch < 2.1). */
  ByteOrder byteOrder() throws IOException {
    String b = textRecord("byteorder");
    if (b == null || b.equals("little")) {
      return ByteOrder.LITTLE_ENDIAN;
    }
    if (b.equals("big")) {
      return ByteOrder.BIG_ENDIAN;
    }
    throw new IOException(file + ": invalid byteorder record '" + PickleStrings.clip(b) + "' (expected little or big)");
  }

  /**
   * The bytes of {@code data.pkl}, at most {@code maxBytes} (checked against the declared size before
   * reading, and while inflating, so a lying zip directory cannot make it allocate more), CRC-checked.
   */
  byte[] pickle(long maxBytes) throws IOException {
    ZipEntry e = zip.getEntry(prefix + "data.pkl");
    if (e.getSize() > maxBytes) {
      throw new IOException(file + ": " + prefix + "data.pkl is " + e.getSize() + " bytes, over the "
          + maxBytes + "-byte limit for a checkpoint's pickle");
    }
    checkDeclaredSizes(e, maxBytes);
    byte[] data;
    try (VerifiedEntryStream in = open(e)) {
      data = in.readNBytes((int) maxBytes + 1);
      if (data.length > maxBytes) {
        throw new IOException(file + ": " + prefix + "data.pkl inflates to over " + maxBytes
            + " bytes (the limit for a checkpoint's pickle)");
      }
      in.finish();
    } catch (ZipException | EOFException ex) {
      throw corrupt("data.pkl", ex);
    }
    return data;
  }

  /** Size of the checkpoint file in bytes. */
  long fileSize() {
    return fileSize;
  }

  /**
   * Checks an entry's sizes from the zip directory against the archive's real size before anything is
   * allocated for it: its compressed bytes must fit in the file, a stored record's size equals its
   * compressed size, and a deflated one cannot claim more than deflate's best ratio.
   *
   * @param maxBytes the most uncompressed bytes the caller accepts
   */
  void checkDeclaredSizes(ZipEntry e, long maxBytes) throws IOException {
    long size = e.getSize();
    long compressed = e.getCompressedSize();
    String name = e.getName();
    if (compressed > fileSize - MIN_ZIP_OVERHEAD - name.length()) {
      throw new IOException(file + ": record " + name + " claims " + compressed + " compressed bytes but the file has "
          + fileSize + " bytes (corrupt or tampered zip directory)");
    }
    if (e.getMethod() == ZipEntry.STORED && size >= 0 && compressed >= 0 && size != compressed) {
      throw new IOException(file + ": stored record " + name + " claims " + size + " bytes but " + compressed
          + " stored bytes (corrupt or tampered zip directory)");
    }
    if (size >= 0 && compressed >= 0 && size > compressed * MAX_DEFLATE_RATIO + 1024) {
      throw new IOException(file + ": record " + name + " claims " + size + " bytes from " + compressed
          + " compressed bytes, more than deflate can produce (corrupt zip or zip bomb)");
    }
    if (size > maxBytes) {
      throw new IOException(file + ": record " + name + " claims " + size + " bytes, over the " + maxBytes
          + "-byte limit");
    }
  }

  /**
   * Inflates a compressed entry without keeping its bytes, checking its real size and CRC-32 against
   * the zip directory: done before allocating for a deflated record, whose directory sizes are
   * otherwise unverified. Returns the real size.
   */
  long measure(ZipEntry e) throws IOException {
    try (VerifiedEntryStream in = open(e)) {
      return in.finish();
    } catch (ZipException | EOFException ex) {
      throw corrupt(e.getName(), ex);
    }
  }

  /** Full zip name of a storage record. */
  String storageRecordName(String key) {
    return prefix + "data/" + key;
  }

  /** The storage record {@code data/<key>}, or null if absent. */
  ZipEntry storageEntry(String key) {
    return zip.getEntry(storageRecordName(key));
  }

  /** The entry's bytes; its size and CRC-32 are checked when the stream ends (see {@link VerifiedEntryStream#finish()}). */
  VerifiedEntryStream open(ZipEntry e) throws IOException {
    try {
      return new VerifiedEntryStream(file, e, zip.getInputStream(e));
    } catch (ZipException ex) {
      throw corrupt(e.getName(), ex);
    }
  }

  IOException corrupt(String record, Exception cause) {
    return new IOException(file + ": record " + (record.startsWith(prefix) ? record : prefix + record)
        + " is truncated or corrupt (" + cause.getMessage() + ")", cause);
  }

  @Override
  public void close() throws IOException {
    zip.close();
  }
}
