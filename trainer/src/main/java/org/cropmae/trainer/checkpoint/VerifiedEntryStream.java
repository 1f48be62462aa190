package org.cropmae.trainer.checkpoint;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

/**
 * A zip entry's bytes with its CRC-32 and size checked against the central directory when the
 * stream ends (java.util.zip.ZipFile checks neither): a flipped bit in a record, stored or deflated,
 * is an {@link IOException} naming the file and the record, never silently different weights.
 */
final class VerifiedEntryStream extends FilterInputStream {
  private final Path file;
  private final ZipEntry entry;
  private final CRC32 crc = new CRC32();
  private long count;
  private boolean verified;

  VerifiedEntryStream(Path file, ZipEntry entry, InputStream in) {
    super(in);
    this.file = file;
    this.entry = entry;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b < 0) {
      verify();
    } else {
      crc.update(b);
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = in.read(buf, off, len);
    if (n < 0) {
      verify();
    } else if (n > 0) {
      crc.update(buf, off, n);
      count += n;
      if (entry.getSize() >= 0 && count > entry.getSize()) {
        throw new IOException(file + ": record " + entry.getName() + " holds more than the " + entry.getSize()
            + " bytes its zip directory declares (corrupt zip); re-download or re-save the checkpoint");
      }
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes must be checked too.
    byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
    long done = 0;
    while (done < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - done));
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }

  /** Reads what remains (without keeping it) and checks size and CRC-32. Returns the entry's byte count. */
  long finish() throws IOException {
    byte[] buf = new byte[8192];
    while (read(buf, 0, buf.length) >= 0) {
      // drain
    }
    return count;
  }

  private void verify() throws IOException {
    if (verified) {
      return;
    }
    if (entry.getSize() >= 0 && count != entry.getSize()) {
      throw new IOException(file + ": record " + entry.getName() + " is truncated (" + count + " of "
          + entry.getSize() + " bytes); re-download or re-save the checkpoint");
    }
    if (entry.getCrc() >= 0 && crc.getValue() != entry.getCrc()) {
      throw new IOException(String.format("%s: record %s fails its CRC-32 check (zip directory %08x, content %08x): "
          + "the file is corrupt; re-download or re-save the checkpoint", file, entry.getName(), entry.getCrc(),
          crc.getValue()));
    }
    verified = true;
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
