package org.cropmae.runtime.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 checksums, as lower-case hex: how the project identifies model and checkpoint files. */
public final class Sha256 {
  private Sha256() {}

  /** Lower-case hex SHA-256 of a file's bytes. */
  public static String of(Path file) throws IOException {
    MessageDigest md = newDigest();
    // A plain read loop rather than transferTo(nullOutputStream()): Android has those only from API 33.
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
      byte[] buffer = new byte[1 << 16];
      while (in.read(buffer) >= 0) {
        // the digest sees every byte read
      }
    }
    return hex(md);
  }

  /** A fresh SHA-256 digest. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /** The digest's value as lower-case hex (completes the digest). */
  public static String hex(MessageDigest md) {
    // By hand rather than java.util.HexFormat, which Android has only from API 34.
    byte[] digest = md.digest();
    char[] out = new char[2 * digest.length];
    for (int i = 0; i < digest.length; i++) {
      out[2 * i] = Character.forDigit((digest[i] >> 4) & 0xF, 16);
      out[2 * i + 1] = Character.forDigit(digest[i] & 0xF, 16);
    }
    return new String(out);
  }
}
