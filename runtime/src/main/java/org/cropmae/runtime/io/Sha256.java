package org.cropmae.runtime.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 checksums, as lower-case hex: how the project identifies model and checkpoint files. */
public final class Sha256 {
  private Sha256() {}

  /** Lower-case hex SHA-256 of a file's bytes. */
  public static String of(Path file) throws IOException {
    MessageDigest md = newDigest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
      in.transferTo(OutputStream.nullOutputStream());
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
    return HexFormat.of().formatHex(md.digest());
  }
}
