package org.cropmae.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded mutation fuzzing of the pickle reader and the zip reader on the two reference checkpoints:
 * bit flips, byte substitutions, truncations and insertions, in the zip structure and inside
 * {@code data.pkl}. Every input must end, within {@link #PER_INPUT}, in a value or in a one-line
 * error (PickleException / IOException / IllegalArgumentException with a non-null single-line
 * message); an OutOfMemoryError, StackOverflowError or any other Throwable fails the test with the
 * seed and mutation that reproduce it.
 */
class CheckpointFuzzTest {
  private static final Duration PER_INPUT = Duration.ofSeconds(2);
  private static final long SEED = 0x15_2024L;
  private static final int PICKLE_INPUTS = 1500;
  private static final int ZIP_INPUTS = 250;
  private static long inputs;
  private static long startNanos = System.nanoTime();

  @TempDir static Path dir;

  @AfterAll
  static void report() {
    System.out.printf("checkpoint fuzz: %d inputs in %.1f s%n", inputs, (System.nanoTime() - startNanos) / 1e9);
  }

  private static void checkMessage(String what, Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank() || m.contains("\n") || m.contains("\r")) {
      fail(what + ": error without a single-line message: " + e, e);
    }
  }

  /** A mutation of {@code data}, described for reproduction. */
  private record Mutant(byte[] bytes, String description) {}

  private static final int[] OPCODES = {'(', ')', '.', '0', '2', 'N', 'K', 'J', 'L', 'I', 'X', 'a', 'e', 'l', 't', 'd',
      's', 'u', 'R', 'b', 'c', 'h', 'q', 'r', 'j', 'Q', ']', '}', 0x80, 0x85, 0x86, 0x87, 0x8a, 0x8b, 0x8c, 0x8f,
      0x90, 0x91, 0x93, 0x94, 0x95, 0x81, 0x92, 0xff};

  private static Mutant mutate(byte[] data, SplittableRandom rng, int from, int to) {
    byte[] m;
    int at = from + rng.nextInt(Math.max(1, to - from));
    switch (rng.nextInt(6)) {
      case 0 -> {
        m = data.clone();
        int flips = 1 + rng.nextInt(3);
        StringBuilder d = new StringBuilder("flip");
        for (int i = 0; i < flips; i++) {
          int p = from + rng.nextInt(Math.max(1, to - from));
          int bit = rng.nextInt(8);
          m[p] ^= (byte) (1 << bit);
          d.append(' ').append(p).append(':').append(bit);
        }
        return new Mutant(m, d.toString());
      }
      case 1 -> {
        m = data.clone();
        int v = rng.nextBoolean() ? OPCODES[rng.nextInt(OPCODES.length)] : rng.nextInt(256);
        m[at] = (byte) v;
        return new Mutant(m, "set " + at + "=" + v);
      }
      case 2 -> {
        return new Mutant(Arrays.copyOf(data, at), "truncate " + at);
      }
      case 3 -> {
        int n = 1 + rng.nextInt(8);
        byte[] ins = new byte[n];
        for (int i = 0; i < n; i++) {
          ins[i] = (byte) (rng.nextBoolean() ? OPCODES[rng.nextInt(OPCODES.length)] : rng.nextInt(256));
        }
        m = new byte[data.length + n];
        System.arraycopy(data, 0, m, 0, at);
        System.arraycopy(ins, 0, m, at, n);
        System.arraycopy(data, at, m, at + n, data.length - at);
        return new Mutant(m, "insert " + at + " " + Arrays.toString(ins));
      }
      case 4 -> {
        int n = 1 + rng.nextInt(Math.min(64, data.length - at));
        m = new byte[data.length - n];
        System.arraycopy(data, 0, m, 0, at);
        System.arraycopy(data, at + n, m, at, data.length - at - n);
        return new Mutant(m, "delete " + at + "+" + n);
      }
      default -> {
        // Duplicate a slice (repeats opcodes: memo puts, marks, appends...).
        int n = 1 + rng.nextInt(Math.min(256, data.length - at));
        m = new byte[data.length + n];
        System.arraycopy(data, 0, m, 0, at + n);
        System.arraycopy(data, at, m, at + n, data.length - at);
        return new Mutant(m, "duplicate " + at + "+" + n);
      }
    }
  }

  private static byte[] record(Path zip, String suffix) throws IOException {
    try (ZipFile z = new ZipFile(zip.toFile())) {
      ZipEntry e = z.stream().filter(x -> x.getName().endsWith(suffix)).findFirst().orElseThrow();
      try (InputStream in = z.getInputStream(e)) {
        return in.readAllBytes();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"checkpoint.pth", "checkpoint_torch2.pth"})
  void mutatedDataPklEndsInAValueOrAOneLineError(String fixture) throws IOException {
    byte[] pickle = record(CheckpointFiles.fixture(fixture), "/data.pkl");
    SplittableRandom rng = new SplittableRandom(SEED ^ fixture.hashCode());
    CheckpointLimits limits = CheckpointLimits.defaults();
    for (int i = 0; i < PICKLE_INPUTS; i++) {
      Mutant m = mutate(pickle, rng, 0, pickle.length);
      String what = fixture + " data.pkl input " + i + " (" + m.description() + ")";
      inputs++;
      assertTimeoutPreemptively(PER_INPUT, () -> {
        try {
          PickleMachine.load(m.bytes(), pid -> TorchCheckpoint.storage(pid, new LinkedHashMap<>()), limits);
        } catch (PickleException e) {
          checkMessage(what, e);
        } catch (Throwable t) {
          fail(what + ": " + t, t);
        }
      }, what);
    }
  }

  /** Where a zip entry's data starts in the file. */
  private static long dataOffset(byte[] file, String name) {
    int loc = TorchCheckpointAttackTest.localHeader(file, name);
    int nameLen = (file[loc + 26] & 0xFF) | (file[loc + 27] & 0xFF) << 8;
    int extraLen = (file[loc + 28] & 0xFF) | (file[loc + 29] & 0xFF) << 8;
    return loc + 30L + nameLen + extraLen;
  }

  private static void readChecked(Path file, String what) {
    inputs++;
    assertTimeoutPreemptively(PER_INPUT, () -> {
      try {
        TorchCheckpoint c = TorchCheckpoint.read(file);
        c.describe();
      } catch (IOException | IllegalArgumentException e) {
        checkMessage(what, e);
        if (e instanceof IOException) {
          assertTrue(e.getMessage().startsWith(file + ": "), what + ": message does not name the file: " + e);
        }
      } catch (Throwable t) {
        fail(what + ": " + t, t);
      }
    }, what);
  }

  private static void write(FileChannel ch, long at, byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      ch.write(b, at + b.position());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"checkpoint.pth", "checkpoint_torch2.pth"})
  void mutatedZipFilesEndInAValueOrAOneLineError(String fixture) throws IOException {
    Path source = CheckpointFiles.fixture(fixture);
    byte[] original = Files.readAllBytes(source);
    String pklName;
    long pklSize;
    try (ZipFile z = new ZipFile(source.toFile())) {
      ZipEntry pkl = z.stream().filter(x -> x.getName().endsWith("/data.pkl")).findFirst().orElseThrow();
      pklName = pkl.getName();
      pklSize = pkl.getSize();
      assertTrue(pkl.getMethod() == ZipEntry.STORED, "torch.save stores records uncompressed");
    }
    int pklStart = (int) dataOffset(original, pklName);
    int cen = TorchCheckpointAttackTest.centralRecord(original, pklName);
    int loc = TorchCheckpointAttackTest.localHeader(original, pklName);
    // The central directory and end records: the last bytes after the last storage's data.
    int tailStart = original.length;
    for (int i = original.length - 22; i >= 0; i--) {
      if (original[i] == 'P' && original[i + 1] == 'K' && original[i + 2] == 1 && original[i + 3] == 2) {
        tailStart = i;
      } else if (original.length - i > 1 << 16) {
        break;
      }
    }
    Path work = dir.resolve("work-" + fixture);
    Files.copy(source, work);
    SplittableRandom rng = new SplittableRandom(SEED ^ ~fixture.hashCode());
    byte[] pkl = Arrays.copyOfRange(original, pklStart, pklStart + (int) pklSize);
    try (FileChannel ch = FileChannel.open(work, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      for (int i = 0; i < ZIP_INPUTS; i++) {
        int kind = rng.nextInt(10);
        String what = fixture + " zip input " + i;
        if (kind < 4) {
          // Inside data.pkl, CRC fixed up so the pickle reader (not the CRC check) meets the mutation:
          // only same-size mutations keep the stored record's layout.
          byte[] m = pkl.clone();
          int p = rng.nextInt(m.length);
          int v = rng.nextBoolean() ? m[p] ^ (1 << rng.nextInt(8)) : OPCODES[rng.nextInt(OPCODES.length)];
          m[p] = (byte) v;
          CRC32 crc = new CRC32();
          crc.update(m);
          byte[] c = new byte[4];
          TorchCheckpointAttackTest.putLe32(c, 0, crc.getValue());
          write(ch, pklStart, m);
          write(ch, cen + 16, c);
          write(ch, loc + 14, c);
          readChecked(work, what + " (data.pkl byte " + p + " = " + (v & 0xFF) + ", CRC fixed)");
          write(ch, pklStart, pkl);
          write(ch, cen + 16, Arrays.copyOfRange(original, cen + 16, cen + 20));
          write(ch, loc + 14, Arrays.copyOfRange(original, loc + 14, loc + 18));
        } else if (kind < 8) {
          // Bit flips in the zip: headers and data.pkl at the start, the central directory, or anywhere.
          int region = rng.nextInt(3);
          int from = region == 0 ? 0 : region == 1 ? tailStart : 0;
          int to = region == 0 ? pklStart + (int) pklSize + 512 : original.length;
          int p = from + rng.nextInt(to - from);
          int bit = rng.nextInt(8);
          write(ch, p, new byte[] {(byte) (original[p] ^ (1 << bit))});
          readChecked(work, what + " (flip byte " + p + " bit " + bit + ")");
          write(ch, p, new byte[] {original[p]});
        } else {
          // Truncations and insertions: a rewritten file.
          boolean near = rng.nextBoolean();
          int from = near ? Math.max(0, tailStart - 64) : 0;
          Mutant m = mutate(original, rng, from, original.length);
          if (m.description().startsWith("flip") || m.description().startsWith("set")) {
            m = new Mutant(Arrays.copyOf(original, from + rng.nextInt(original.length - from)), "truncate");
          }
          Path f = dir.resolve("m-" + fixture);
          Files.write(f, m.bytes());
          readChecked(f, what + " (" + (m.description().length() > 80 ? m.description().substring(0, 80)
              : m.description()) + ")");
        }
      }
    }
    assertTrue(Arrays.equals(original, Files.readAllBytes(work)), "work copy restored");
  }
}
