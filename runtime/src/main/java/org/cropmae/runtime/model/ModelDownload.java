package org.cropmae.runtime.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Objects;
import org.cropmae.runtime.io.Sha256;

/**
 * Fetches a model file over HTTPS into a cache folder, resumably and verified: bytes go to
 * {@code <file>.part}; an interrupted download continues from where it stopped (HTTP range
 * request) when the server supports it and starts over when it does not; the finished file must
 * have the expected SHA-256, else it is deleted and the download fails; only then is it renamed to
 * its final name, so a file under the final name is always complete and verified.
 *
 * <p>Plain {@code http} is refused except to loopback addresses (tests, a local mirror). Uses
 * {@link HttpURLConnection}, which Android has too.
 */
public final class ModelDownload {
  /** Called as bytes arrive. */
  @FunctionalInterface
  public interface Progress {
    /**
     * @param bytes bytes of the file present so far (resumed bytes included)
     * @param total the file's size when the server said, else -1
     */
    void update(long bytes, long total);
  }

  /** Largest file accepted, bytes: a server that keeps sending cannot fill the disk. */
  static final long MAX_BYTES = 4L << 30;

  /** Connect and read timeout, milliseconds (tests shorten it to provoke a stalled transfer). */
  static volatile int timeoutMs = 30_000;

  private ModelDownload() {}

  /**
   * Makes {@code target} a verified copy of {@code url}: returns at once when it already exists
   * with the right SHA-256, otherwise downloads (resuming {@code target + ".part"} if present).
   *
   * @param sha256 expected lower-case hex SHA-256 of the whole file
   * @throws IOException one line naming the URL: HTTP error, network failure, or checksum mismatch
   * @throws IllegalArgumentException for a URL that is neither https nor loopback http
   */
  public static Path fetch(URI url, String sha256, Path target, Progress progress) throws IOException {
    Objects.requireNonNull(sha256, "sha256");
    checkScheme(url);
    if (Files.isRegularFile(target) && Sha256.of(target).equals(sha256)) {
      return target;
    }
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path part = target.resolveSibling(target.getFileName() + ".part");
    long have = Files.isRegularFile(part) ? Files.size(part) : 0;
    HttpURLConnection c = (HttpURLConnection) new URL(url.toString()).openConnection();
    c.setConnectTimeout(timeoutMs);
    c.setReadTimeout(timeoutMs);
    c.setInstanceFollowRedirects(true);
    if (have > 0) {
      c.setRequestProperty("Range", "bytes=" + have + "-");
    }
    try {
      int status = c.getResponseCode();
      boolean append;
      if (status == HttpURLConnection.HTTP_PARTIAL && have > 0) {
        append = true;
      } else if (status == HttpURLConnection.HTTP_OK) {
        append = false; // no range support (or nothing to resume): start over
        have = 0;
      } else if (status == 416 && have > 0) {
        // The part already holds the whole file (or is longer): verify what is there.
        return verifyAndMove(url, sha256, part, target);
      } else {
        throw new IOException(url + ": HTTP " + status + " " + Objects.toString(c.getResponseMessage(), ""));
      }
      long length = c.getContentLengthLong();
      long total = length < 0 ? -1 : length + have;
      try (InputStream in = c.getInputStream();
          OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
        byte[] buf = new byte[1 << 16];
        long done = have;
        for (int n; (n = in.read(buf)) > 0; ) {
          out.write(buf, 0, n);
          done += n;
          if (done > MAX_BYTES) {
            out.close();
            Files.deleteIfExists(part);
            throw new IOException(url + ": more than " + (MAX_BYTES >> 30) + " GiB; no model is that large (deleted)");
          }
          if (progress != null) {
            progress.update(done, total);
          }
        }
      }
    } catch (IOException e) {
      // The .part stays for the next attempt to resume.
      throw e.getMessage() != null && e.getMessage().startsWith(url.toString()) ? e
          : new IOException(url + ": download interrupted (" + e + "); run again to resume", e);
    } finally {
      c.disconnect();
    }
    return verifyAndMove(url, sha256, part, target);
  }

  /**
   * Downloads {@code https://host/path/name.onnx#sha256=<64 hex digits>} into
   * {@code cacheDir/<first 16 hex digits>/name.onnx} with {@link #fetch}. The checksum is required.
   *
   * @throws IllegalArgumentException when the address has no {@code #sha256=} fragment
   */
  public static Path fetchAddress(String address, Path cacheDir, Progress progress) throws IOException {
    URI uri = URI.create(address);
    String fragment = uri.getFragment();
    if (fragment == null || !fragment.matches("sha256=[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException(address + ": add the file's checksum as #sha256=<64 hex digits>; "
          + "downloads are never used unverified");
    }
    String sha = fragment.substring("sha256=".length()).toLowerCase(Locale.ROOT);
    URI file = URI.create(address.substring(0, address.indexOf('#')));
    String path = file.getPath() == null ? "" : file.getPath();
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (!name.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*")) {
      name = "model.onnx"; // never a name that could climb out of the cache folder
    }
    return fetch(file, sha, cacheDir.resolve(sha.substring(0, 16)).resolve(name), progress);
  }

  private static Path verifyAndMove(URI url, String sha256, Path part, Path target) throws IOException {
    String got = Sha256.of(part);
    if (!got.equals(sha256)) {
      Files.deleteIfExists(part);
      throw new IOException(url + ": SHA-256 of the download is " + got + ", expected " + sha256
          + "; refusing to use it (deleted)");
    }
    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  private static void checkScheme(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      return;
    }
    if (scheme.equals("http") && url.getHost() != null) {
      try {
        if (InetAddress.getByName(url.getHost()).isLoopbackAddress()) {
          return;
        }
      } catch (IOException e) {
        // unresolvable: refused below
      }
    }
    throw new IllegalArgumentException(url + ": only https:// URLs are accepted (plain http only to loopback)");
  }
}
