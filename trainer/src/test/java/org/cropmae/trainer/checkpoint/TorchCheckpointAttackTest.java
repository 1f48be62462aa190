package org.cropmae.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks of issue #15 on the checkpoint importer, each reproduced at CI scale: every one must end
 * in a one-line IOException naming the file, quickly, before the memory it aims at is allocated.
 */
class TorchCheckpointAttackTest {
  private static final Duration QUICK = Duration.ofSeconds(2);

  @TempDir Path dir;

  private static IOException refused(Path file, CheckpointLimits limits) {
    IOException e = assertTimeoutPreemptively(QUICK,
        () -> assertThrows(IOException.class, () -> TorchCheckpoint.read(file, limits)));
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e;
  }

  private static void assertContains(String expected, String message) {
    assertTrue(message.contains(expected), "expected '" + expected + "' in: " + message);
  }

  /** A zip checkpoint under {@code archive/}, each record stored or deflated as asked. */
  static byte[] zip(Map<String, byte[]> records, int method) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> r : records.entrySet()) {
        ZipEntry e = new ZipEntry("archive/" + r.getKey());
        e.setMethod(method);
        if (method == ZipEntry.STORED) {
          CRC32 crc = new CRC32();
          crc.update(r.getValue());
          e.setSize(r.getValue().length);
          e.setCompressedSize(r.getValue().length);
          e.setCrc(crc.getValue());
        }
        zip.putNextEntry(e);
        zip.write(r.getValue());
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** Offset of the central directory record of {@code name}. */
  static int centralRecord(byte[] zip, String name) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    for (int i = zip.length - 46; i >= 0; i--) {
      if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2
          && le16(zip, i + 28) == n.length && matches(zip, i + 46, n)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no central record " + name);
  }

  /** Offset of the local header of {@code name}. */
  static int localHeader(byte[] zip, String name) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + 30 < zip.length; i++) {
      if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 3 && zip[i + 3] == 4
          && le16(zip, i + 26) == n.length && matches(zip, i + 30, n)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no local header " + name);
  }

  private static boolean matches(byte[] hay, int at, byte[] needle) {
    if (at + needle.length > hay.length) {
      return false;
    }
    for (int j = 0; j < needle.length; j++) {
      if (hay[at + j] != needle[j]) {
        return false;
      }
    }
    return true;
  }

  private static int le16(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
  }

  static void putLe32(byte[] b, int at, long v) {
    for (int i = 0; i < 4; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }

  private static byte[] tensorPickle(int storages, long numel) {
    PickleBytes p = PickleBytes.proto2().op('}').mark();
    for (int i = 0; i < storages; i++) {
      if (numel > Integer.MAX_VALUE) {
        throw new IllegalArgumentException();
      }
      p.str("w" + i).tensor("FloatStorage", String.valueOf(i), numel, 0, new long[] {numel}, new long[] {1});
    }
    return p.op('u').stop().toByteArray();
  }

  // ---- item 3: CPU and memory denial of service ----

  @Test
  void aProtocol0LongOfTwoMillionDigitsIsRefusedAtOnce() throws IOException {
    // 'L' + 2,000,000 digits + 'L\n' + STOP: deflates to ~2 KB; BigInteger's quadratic parse took minutes.
    byte[] pickle = ("L" + "9".repeat(2_000_000) + "L\n.").getBytes(StandardCharsets.US_ASCII);
    Path f = Files.write(dir.resolve("long.pth"), zip(CheckpointFiles.records(pickle), ZipEntry.DEFLATED));
    assertTrue(Files.size(f) < 10_000, "attack file is small: " + Files.size(f));
    assertContains("data.pkl: at byte 0 (LONG): number of more than 10000 digits",
        refused(f, CheckpointLimits.defaults()).getMessage());
    // INT too, and a LONG4 of as many bytes.
    byte[] intPickle = ("I" + "1".repeat(50_000) + "\n.").getBytes(StandardCharsets.US_ASCII);
    assertContains("(INT): number of more than 10000 digits", refused(Files.write(dir.resolve("int.pth"),
        zip(CheckpointFiles.records(intPickle), ZipEntry.DEFLATED)), CheckpointLimits.defaults()).getMessage());
    ByteBuffer long4 = ByteBuffer.allocate(1 + 4 + 1_000_000 + 1).order(ByteOrder.LITTLE_ENDIAN);
    long4.put((byte) 0x8b).putInt(1_000_000).position(long4.capacity() - 1);
    long4.put((byte) '.');
    assertContains("(LONG4): integer of 1000000 bytes is over the limit of 10000 digits",
        refused(Files.write(dir.resolve("long4.pth"), zip(CheckpointFiles.records(long4.array()),
            ZipEntry.DEFLATED)), CheckpointLimits.defaults()).getMessage());
    // A genuine big integer still reads.
    byte[] ok = ("L" + "7".repeat(300) + "L\n.").getBytes(StandardCharsets.US_ASCII);
    Path okFile = Files.write(dir.resolve("ok.pth"), zip(CheckpointFiles.records(ok), ZipEntry.DEFLATED));
    assertEquals(new java.math.BigInteger("7".repeat(300)), TorchCheckpoint.read(okFile).root());
  }

  /** EMPTY_LIST, then {@code appends} x (BININT1 0, APPEND), STOP: 2 bytes per list element. */
  private static byte[] appendBomb(int appends) {
    byte[] p = new byte[2 + appends * 3 + 1];
    p[0] = (byte) 0x80;
    p[1] = 2;
    int i = 2;
    p[i++] = ']';
    for (int k = 0; k < appends - 1; k++) {
      p[i++] = 'K';
      p[i++] = 0;
      p[i++] = 'a';
    }
    p[i++] = '.';
    return java.util.Arrays.copyOf(p, i);
  }

  @Test
  void aPickleThatInflatesBeyondTheLimitIsRefusedBeforeItIsRun() throws IOException {
    // The 1 GiB list-append bomb at 1/512 scale against a 1 MiB pickle limit.
    byte[] bomb = appendBomb(700_000);
    Path f = Files.write(dir.resolve("bomb.pth"), zip(CheckpointFiles.records(bomb), ZipEntry.DEFLATED));
    CheckpointLimits limits = CheckpointLimits.defaults().withMaxPickleBytes(1 << 20);
    assertContains("archive/data.pkl is " + bomb.length + " bytes, over the 1048576-byte limit",
        refused(f, limits).getMessage());

    // The same with a zip directory that lies (claims 1000 bytes): refused while inflating, at the limit.
    byte[] lying = zip(CheckpointFiles.records(bomb), ZipEntry.DEFLATED);
    putLe32(lying, centralRecord(lying, "archive/data.pkl") + 24, 1000);
    Path g = Files.write(dir.resolve("lying-bomb.pth"), lying);
    String msg = refused(g, limits).getMessage();
    assertTrue(msg.contains("data.pkl inflates to over 1048576 bytes") || msg.contains("holds more than the 1000 bytes"),
        msg);
  }

  @Test
  void aPickleOverTheOpcodeBudgetIsRefused() throws IOException {
    // Within the size limit but millions of objects: the opcode budget bounds what it can build.
    Path f = Files.write(dir.resolve("ops.pth"), zip(CheckpointFiles.records(appendBomb(100_000)), ZipEntry.DEFLATED));
    assertContains("the pickle runs more than 50000 opcodes",
        refused(f, CheckpointLimits.defaults().withMaxPickleOps(50_000)).getMessage());
    // The default budget leaves ample room for real checkpoints: this one (200k opcodes) reads.
    assertEquals(99_999, ((java.util.List<?>) TorchCheckpoint.read(f).root()).size());
  }

  @Test
  void storagesOverTheMemoryBudgetAreRefusedBeforeAllocating() throws IOException {
    // Four deflated storages of zeros (the 4 x 2 GiB attack at 1/512 scale: 4 x 4 MiB, 16 KB of file).
    int numel = 1 << 20;
    Map<String, byte[]> records = CheckpointFiles.records(tensorPickle(4, numel));
    for (int i = 0; i < 4; i++) {
      records.put("data/" + i, new byte[numel * 4]);
    }
    Path f = Files.write(dir.resolve("zeros.pth"), zip(records, ZipEntry.DEFLATED));
    assertTrue(Files.size(f) < 100_000, "small file: " + Files.size(f));
    String msg = refused(f, CheckpointLimits.defaults().withMaxTensorBytes(8L << 20)).getMessage();
    assertContains("its tensors need 20971520 bytes of memory (4 tensors of 16777216 bytes, largest storage "
        + "archive/data/", msg);
    assertContains(" of 4194304 bytes) but only 8388608 bytes are available", msg);
    // Within budget it reads.
    assertEquals(4, TorchCheckpoint.read(f, CheckpointLimits.defaults().withMaxTensorBytes(32L << 20)).tensors().size());
  }

  @Test
  void theFullSizeZeroStorageAttackIsRefusedByTheDefaultHeapBudget() throws IOException {
    // The attack's real declared sizes: four storages of 2^29 floats (2 GiB each); the budget check comes
    // before any record is opened, so the records here can be empty.
    long available = CheckpointLimits.defaults().maxTensorBytes();
    Assumptions.assumeTrue(available < 8L << 30, "this JVM has over 8 GiB of free heap");
    Path f = Files.write(dir.resolve("zeros8g.pth"), zip(CheckpointFiles.records(tensorPickle(4, 1 << 29)),
        ZipEntry.DEFLATED));
    assertContains("its tensors need 10737418240 bytes of memory", refused(f, CheckpointLimits.defaults()).getMessage());
  }

  @Test
  void aLyingCentralDirectoryIsCaughtBeforeAllocating() throws IOException {
    // A stored 16-byte storage whose directory entry claims 2^30 bytes (the pickle asks for 2^28 floats).
    Map<String, byte[]> records = CheckpointFiles.records(tensorPickle(1, 1 << 28));
    records.put("data/0", new byte[16]);
    byte[] zip = zip(records, ZipEntry.STORED);
    int cen = centralRecord(zip, "archive/data/0");
    putLe32(zip, cen + 20, 1L << 30);
    putLe32(zip, cen + 24, 1L << 30);
    Path f = Files.write(dir.resolve("lying.pth"), zip);
    String msg = refused(f, CheckpointLimits.defaults().withMaxTensorBytes(8L << 30)).getMessage();
    assertContains("record archive/data/0 claims 1073741824 compressed bytes but the file has " + zip.length
        + " bytes", msg);

    // Deflated: the directory's sizes are plausible (ratio < 1032) but the record really inflates to 16 bytes.
    // A 2 MB record after it makes the claimed compressed size fit in the file.
    byte[] pad = new byte[2_000_000];
    new java.util.Random(1).nextBytes(pad);
    records.put("pad", pad);
    byte[] dz = zip(records, ZipEntry.DEFLATED);
    int dcen = centralRecord(dz, "archive/data/0");
    putLe32(dz, dcen + 24, 1L << 30);
    putLe32(dz, dcen + 20, le32(dz, dcen + 20) + 1_100_000);
    Path g = Files.write(dir.resolve("lying-deflated.pth"), dz);
    String dmsg = refused(g, CheckpointLimits.defaults().withMaxTensorBytes(8L << 30)).getMessage();
    assertContains("record archive/data/0 is truncated (16 of 1073741824 bytes)", dmsg);
  }

  private static long le32(byte[] b, int at) {
    return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
  }

  // ---- item 4: corrupt weights never load silently ----

  @Test
  void aFlippedBitInAStoredStorageOfTheFixtureIsRefused() throws IOException {
    byte[] file = Files.readAllBytes(CheckpointFiles.fixture("checkpoint.pth"));
    String name;
    long offset;
    try (ZipFile zip = new ZipFile(CheckpointFiles.fixture("checkpoint.pth").toFile())) {
      ZipEntry largest = zip.stream().filter(e -> e.getName().contains("/data/"))
          .max(java.util.Comparator.comparingLong(ZipEntry::getSize)).orElseThrow();
      assertEquals(ZipEntry.STORED, largest.getMethod());
      name = largest.getName();
      offset = localHeader(file, name) + 30 + name.length() + le16(file, localHeader(file, name) + 28);
      offset += largest.getSize() / 2;
    }
    file[(int) offset] ^= 0x10;
    Path f = Files.write(dir.resolve("flipped.pth"), file);
    assertContains("record " + name + " fails its CRC-32 check", refused(f, CheckpointLimits.defaults()).getMessage());
  }

  @Test
  void aFlippedBitInADeflatedStorageOrInDataPklIsRefused() throws IOException {
    byte[] values = CheckpointFiles.floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4);
    Map<String, byte[]> records = CheckpointFiles.records(tensorPickle(1, 4));
    records.put("data/0", values);
    for (int method : new int[] {ZipEntry.STORED, ZipEntry.DEFLATED}) {
      byte[] zip = zip(records, method);
      // A wrong CRC in both headers is what a flipped content bit looks like to the reader.
      for (String record : new String[] {"archive/data/0", "archive/data.pkl"}) {
        byte[] z = zip.clone();
        int cen = centralRecord(z, record);
        long crc = le32(z, cen + 16) ^ 0x00010000;
        putLe32(z, cen + 16, crc);
        putLe32(z, localHeader(z, record) + 14, crc);
        Path f = Files.write(dir.resolve("crc-" + method + "-" + record.replace('/', '_') + ".pth"), z);
        assertContains("record " + record + " fails its CRC-32 check", refused(f, CheckpointLimits.defaults())
            .getMessage());
      }
      // A flipped bit in the stored float data itself.
      if (method == ZipEntry.STORED) {
        byte[] z = zip.clone();
        int at = localHeader(z, "archive/data/0") + 30 + "archive/data/0".length() + le16(z,
            localHeader(z, "archive/data/0") + 28);
        z[at + 5] ^= 1;
        Path f = Files.write(dir.resolve("bit.pth"), z);
        assertContains("record archive/data/0 fails its CRC-32 check",
            refused(f, CheckpointLimits.defaults()).getMessage());
      }
    }
  }
}
