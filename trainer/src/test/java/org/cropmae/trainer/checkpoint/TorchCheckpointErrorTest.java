package org.cropmae.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a checkpoint can be bad: each fails with one IOException line naming the file, or loads inertly. */
class TorchCheckpointErrorTest {
  @TempDir Path dir;

  private static IOException readFails(Path file) {
    IOException e = assertThrows(IOException.class, () -> TorchCheckpoint.read(file));
    assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e;
  }

  private static void assertContains(String expected, String message) {
    assertTrue(message.contains(expected), "expected '" + expected + "' in: " + message);
  }

  @Test
  void missingFile() {
    assertContains("no such file", readFails(dir.resolve("nope.pth")).getMessage());
  }

  @Test
  void truncatedFileAtSeveralOffsets() throws IOException {
    byte[] full = Files.readAllBytes(CheckpointFiles.fixture("checkpoint.pth"));
    for (int cut : new int[] {0, 1, 3, 30, 20_000, 8_000_000, full.length - 200, full.length - 23, full.length - 1}) {
      Path f = Files.write(dir.resolve("cut" + cut + ".pth"), Arrays.copyOf(full, cut));
      String msg = readFails(f).getMessage();
      assertTrue(msg.contains("truncated") || msg.contains("empty file"), cut + ": " + msg);
    }
  }

  @Test
  void legacyFormatAsksForAResave() throws IOException {
    // What torch.save(..., _use_new_zipfile_serialization=False) starts with: PROTO 2, LONG1 magic number.
    byte[] legacy = {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20,
        0x6a, (byte) 0xa8, 0x50, 0x19, 0x2e, (byte) 0x80, 2, 0x4d, (byte) 0xe9, 0x03, 0x2e};
    Path f = Files.write(dir.resolve("legacy.pth"), legacy);
    assertEquals(f + ": legacy (non-zip) PyTorch checkpoint format is not supported; re-save it with "
        + "torch.save(obj, path) from PyTorch >= 1.6 (default _use_new_zipfile_serialization=True)",
        readFails(f).getMessage());
  }

  @Test
  void otherFilesAreNotCheckpoints() throws IOException {
    Path text = Files.writeString(dir.resolve("notes.pth"), "hello");
    assertContains("not a PyTorch checkpoint (not a zip archive", readFails(text).getMessage());
    Path noPickle = CheckpointFiles.writeZip(dir.resolve("other.zip"), Map.of("readme.txt", new byte[3]));
    assertContains("no <name>/data.pkl record", readFails(noPickle).getMessage());
    Map<String, byte[]> script = CheckpointFiles.records(PickleBytes.proto2().op('N').stop().toByteArray());
    script.put("constants.pkl", PickleBytes.proto2().op(')').stop().toByteArray());
    assertContains("TorchScript archive", readFails(CheckpointFiles.writeZip(dir.resolve("ts.pt"), script)).getMessage());
    Path folder = Files.createDirectory(dir.resolve("folder.pth"));
    assertContains("is a directory", readFails(folder).getMessage());
  }

  /** The real fixture with one byte of its data.pkl changed. */
  private Path tamperedFixture(int offset, int value) throws IOException {
    Map<String, byte[]> records = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(CheckpointFiles.fixture("checkpoint.pth").toFile())) {
      for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
        ZipEntry e = en.nextElement();
        try (InputStream in = zip.getInputStream(e)) {
          records.put(e.getName().substring("checkpoint/".length()), in.readAllBytes());
        }
      }
    }
    records.get("data.pkl")[offset] = (byte) value;
    return CheckpointFiles.writeZip(dir.resolve("tampered" + offset + ".pth"), records);
  }

  @Test
  void tamperedPickleFailsCleanly() throws IOException {
    // Byte 5 of the fixture's data.pkl is the MARK that opens the top-level items.
    assertContains("at byte 5 (opcode 0xff): unknown opcode 0xff", readFails(tamperedFixture(5, 0xff)).getMessage());
    // Turning that MARK into REDUCE pops from the lone empty dict: stack underflow.
    assertContains("stack underflow", readFails(tamperedFixture(5, 'R')).getMessage());
    // A BINGET of a memo slot never stored.
    assertContains("memo has no entry", readFails(
        CheckpointFiles.writeZip(dir.resolve("memo.pth"), CheckpointFiles.records(
            PickleBytes.proto2().op('h').raw(7).stop().toByteArray()))).getMessage());
    // Cut short: no STOP.
    assertContains("without a STOP", readFails(
        CheckpointFiles.writeZip(dir.resolve("nostop.pth"), CheckpointFiles.records(
            PickleBytes.proto2().op('}').toByteArray()))).getMessage());
  }

  private Path oneTensor(String name, byte[] storageBytes, long numel, long[] size, long[] stride) throws IOException {
    byte[] pickle = PickleBytes.proto2().op('}').str("w")
        .tensor("FloatStorage", "0", numel, 0, size, stride).op('s').stop().toByteArray();
    Map<String, byte[]> records = CheckpointFiles.records(pickle);
    if (storageBytes != null) {
      records.put("data/0", storageBytes);
    }
    return CheckpointFiles.writeZip(dir.resolve(name), records);
  }

  @Test
  void missingOrShortStorageRecord() throws IOException {
    Path missing = oneTensor("missing.pth", null, 4, new long[] {4}, new long[] {1});
    assertContains("storage record archive/data/0 is missing (needed by a float32 tensor [4])",
        readFails(missing).getMessage());
    Path shortRecord = oneTensor("short.pth", new byte[8], 4, new long[] {4}, new long[] {1});
    assertContains("storage record archive/data/0 holds 8 bytes but its 4-element float32 storage needs 16",
        readFails(shortRecord).getMessage());
    Path expanded = oneTensor("expanded.pth", new byte[4], 1, new long[] {1 << 20, 1 << 10}, new long[] {0, 0});
    assertContains("tensors would expand 4 bytes of storage to 4294967296 bytes", readFails(expanded).getMessage());
    Path outside = oneTensor("outside.pth", new byte[16], 4, new long[] {2, 2}, new long[] {3, 1});
    assertContains("reaches element 4 but storage '0' holds 4 float32 elements", readFails(outside).getMessage());
  }

  @Test
  void disallowedGlobalsATensorDependsOnAreRefused() throws IOException {
    byte[] badStorageType = PickleBytes.proto2().op('}').str("w")
        .global("torch._utils", "_rebuild_tensor_v2").mark()
        .storage("os", "system", "0", 4).integer(0).tuple(4).tuple(1).op(0x89).op('}').op('t').op('R')
        .op('s').stop().toByteArray();
    assertContains("storage type os.system, which is not an allowed torch storage type",
        readFails(CheckpointFiles.writeZip(dir.resolve("st.pth"), CheckpointFiles.records(badStorageType))).getMessage());

    byte[] objectAsStorage = PickleBytes.proto2().op('}').str("w")
        .global("torch._utils", "_rebuild_tensor_v2").mark()
        .global("os", "system").str("true").op(0x85).op('R')
        .integer(0).tuple(4).tuple(1).op(0x89).op('}').op('t').op('R').op('s').stop().toByteArray();
    assertContains("needs a storage from a persistent id but got an object of the disallowed global os.system",
        readFails(CheckpointFiles.writeZip(dir.resolve("obj.pth"), CheckpointFiles.records(objectAsStorage))).getMessage());
  }

  @Test
  void hostileCallsLoadAsInertValuesAndNeverRun() throws IOException {
    Path marker = dir.resolve("pwned");
    String cmd = "touch " + marker;
    byte[] pickle = PickleBytes.proto2().op('}').mark()
        .str("system").global("os", "system").str(cmd).op(0x85).op('R')
        .str("eval").global("builtins", "eval").str("__import__('os').system('" + cmd + "')").op(0x85).op('R')
        .str("popen").global("subprocess", "Popen").mark().mark().str("touch").str(marker.toString()).op('l')
        .op('t').op('R')
        // Protocol-4 style: module and name from the stack.
        .str("stack").str("posix").str("system").op(0x93).str(cmd).op(0x85).op('R')
        .op('u').stop().toByteArray();
    Path f = CheckpointFiles.writeZip(dir.resolve("hostile.pth"), CheckpointFiles.records(pickle));
    TorchCheckpoint ckpt = TorchCheckpoint.read(f);
    assertFalse(Files.exists(marker));
    PickleObject system = assertInstanceOf(PickleObject.class, ckpt.entry("system"));
    assertEquals(new PickleGlobal("os", "system"), system.type());
    assertEquals(List.of(cmd), system.args());
    assertEquals(new PickleGlobal("builtins", "eval"), ((PickleObject) ckpt.entry("eval")).type());
    assertEquals(List.of(List.of("touch", marker.toString())), ((PickleObject) ckpt.entry("popen")).args());
    assertEquals(new PickleGlobal("posix", "system"), ((PickleObject) ckpt.entry("stack")).type());
    assertContains("no state_dict found", assertThrows(IllegalStateException.class, ckpt::stateDict).getMessage());
    assertFalse(Files.exists(marker));
  }

  @Test
  void resourceLimitsAreEnforced() throws IOException {
    PickleBytes marks = PickleBytes.proto2();
    for (int i = 0; i <= PickleMachine.MAX_MARKS; i++) {
      marks.mark();
    }
    assertContains("MARK nesting exceeds", readFails(CheckpointFiles.writeZip(dir.resolve("marks.pth"),
        CheckpointFiles.records(marks.stop().toByteArray()))).getMessage());

    // A string whose length prefix promises more bytes than the pickle has.
    byte[] longString = PickleBytes.proto2().op('X').raw(0xff, 0xff, 0xff, 0x7f).raw('a').stop().toByteArray();
    assertContains("truncated: needs 2147483647 more bytes", readFails(CheckpointFiles.writeZip(
        dir.resolve("str.pth"), CheckpointFiles.records(longString))).getMessage());

    // Doubling a tuple 40 times costs 80 opcodes but would expand to 2^40 values when hashed as a key.
    PickleBytes bomb = PickleBytes.proto2().op('}').op(')');
    for (int i = 0; i < 40; i++) {
      bomb.op('2').op(0x86);
    }
    bomb.integer(1).op('s').stop();
    assertContains("dict key or set element is too large", readFails(CheckpointFiles.writeZip(
        dir.resolve("bomb.pth"), CheckpointFiles.records(bomb.toByteArray()))).getMessage());

    byte[] listKey = PickleBytes.proto2().op('}').op(']').integer(1).op('s').stop().toByteArray();
    assertContains("unhashable list", readFails(CheckpointFiles.writeZip(
        dir.resolve("listkey.pth"), CheckpointFiles.records(listKey))).getMessage());
  }

  @Test
  void invalidByteorderRecord() throws IOException {
    Map<String, byte[]> records = CheckpointFiles.records(PickleBytes.proto2().op('N').stop().toByteArray());
    records.put("byteorder", "middle".getBytes());
    assertContains("invalid byteorder record 'middle'",
        readFails(CheckpointFiles.writeZip(dir.resolve("bo.pth"), records)).getMessage());
  }

  @Test
  void stateDictAccessorsNameTheProblem() throws IOException {
    byte[] pickle = PickleBytes.proto2().op('}').mark().str("model").op('}').str("w").integer(3).op('s')
        .str("epoch").integer(1).op('u').stop().toByteArray();
    TorchCheckpoint ckpt = TorchCheckpoint.read(CheckpointFiles.writeZip(dir.resolve("nosd.pth"),
        CheckpointFiles.records(pickle)));
    assertContains("no state_dict found", assertThrows(IllegalStateException.class, ckpt::tensors).getMessage());
    assertContains("entry 'model' is not a dict of tensors: key 'w' holds a int",
        assertThrows(IllegalArgumentException.class, () -> ckpt.stateDict("model")).getMessage());
    assertContains("checkpoint has no entry 'optimizer' (entries: [model, epoch])",
        assertThrows(IllegalArgumentException.class, () -> ckpt.entry("optimizer")).getMessage());
    assertContains("is a int, not a dict of tensors",
        assertThrows(IllegalArgumentException.class, () -> ckpt.tensors("epoch")).getMessage());
    // Values the state dict check never touches stay usable.
    assertEquals(1L, ckpt.entry("epoch"));
  }
}
