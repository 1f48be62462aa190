package org.cropmae.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checked against the FIPS 180-2 test vectors, so that the hand-written hex stays lower-case and complete. */
class Sha256Test {
  @TempDir Path dir;

  @Test
  void standardVectors() throws IOException {
    Path empty = dir.resolve("empty");
    Files.write(empty, new byte[0]);
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256.of(empty));
    Path abc = dir.resolve("abc");
    Files.write(abc, "abc".getBytes(StandardCharsets.US_ASCII));
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Sha256.of(abc));
  }

  @Test
  void fileLargerThanTheReadBuffer() throws IOException {
    // One million 'a': the long FIPS vector, read in several chunks.
    Path a = dir.resolve("a");
    Files.write(a, "a".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII));
    assertEquals("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", Sha256.of(a));
  }
}
