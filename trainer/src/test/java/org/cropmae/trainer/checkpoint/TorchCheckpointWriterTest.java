package org.cropmae.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cropmae.runtime.io.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TorchCheckpointWriter}: what it writes reads back through {@link TorchCheckpoint}, atomically. */
class TorchCheckpointWriterTest {
  @TempDir Path dir;

  static Map<String, Object> sample(float scale) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("w", NpyArray.ofFloat32(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, scale}));
    model.put("b", NpyArray.ofFloat32(new int[] {3}, new float[] {-1.5f, 0f, 1e-30f}));
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("model", new TorchCheckpointWriter.OrderedDict(model));
    root.put("step", NpyArray.ofFloat32(new int[0], new float[] {7}));
    root.put("ids", NpyArray.ofInt64(new int[] {2}, new long[] {-3, 1L << 40}));
    Map<Object, Object> state = new LinkedHashMap<>();
    state.put(0L, Map.of("x", 1));
    root.put("state", state);
    root.put("list", List.of(1, 300, 70000, -5, 1L << 40, 0.25, "é", true, false));
    root.put("tuple", TorchCheckpointWriter.Tuple.of(0.9, 0.95));
    root.put("none", null);
    root.put("epoch", 399);
    return root;
  }

  @Test
  void roundTripsThroughTheSafeReader() throws IOException {
    Path f = dir.resolve("ckpt.pth");
    TorchCheckpointWriter.write(f, sample(6f));
    TorchCheckpoint c = TorchCheckpoint.read(f);
    Map<String, NpyArray> sd = c.stateDict();
    assertEquals(List.of("w", "b"), List.copyOf(sd.keySet()));
    assertArrayEquals(new int[] {2, 3}, sd.get("w").shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, sd.get("w").toFloatArray());
    assertArrayEquals(new float[] {-1.5f, 0f, 1e-30f}, sd.get("b").toFloatArray());
    TorchTensor step = (TorchTensor) c.entry("step");
    assertEquals(0, step.rank());
    assertEquals(7f, step.toFloat32().toFloatArray()[0]);
    assertArrayEquals(new long[] {-3, 1L << 40}, ((TorchTensor) c.entry("ids")).toNpyArray().toLongArray());
    assertEquals(List.of(1L, 300L, 70000L, -5L, 1L << 40, 0.25, "é", true, false), c.entry("list"));
    assertEquals(List.of(0.9, 0.95), List.copyOf((List<?>) c.entry("tuple")));
    assertEquals(1L, ((Map<?, ?>) ((Map<?, ?>) c.entry("state")).get(0L)).get("x"));
    assertEquals(null, c.entry("none"));
    assertEquals(399L, c.entry("epoch"));
    assertEquals("ckpt", c.describe().get("archive"));
  }

  @Test
  void storageRecordsAreAlignedAsPyTorchWritesThem() throws IOException {
    Path f = dir.resolve("aligned.pth");
    TorchCheckpointWriter.write(f, sample(6f));
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
    int records = 0;
    int pos = 0;
    while (b.getInt(pos) == 0x04034b50) { // local file header
      int size = b.getInt(pos + 18);
      int nameLen = b.getShort(pos + 26) & 0xFFFF;
      int extraLen = b.getShort(pos + 28) & 0xFFFF;
      String name = new String(Files.readAllBytes(f), pos + 30, nameLen, StandardCharsets.UTF_8);
      int data = pos + 30 + nameLen + extraLen;
      if (name.startsWith("aligned/data/")) {
        assertEquals(0, data % TorchCheckpointWriter.ALIGNMENT, name + " starts at " + data);
        records++;
      }
      pos = data + size;
    }
    assertEquals(4, records);
  }

  @Test
  void aFailureWhileWritingLeavesThePreviousFileIntact() throws IOException {
    Path f = dir.resolve("keep.pth");
    TorchCheckpointWriter.write(f, sample(6f));
    byte[] before = Files.readAllBytes(f);
    IOException e = assertThrows(IOException.class, () -> TorchCheckpointWriter.write(f, sample(9f), out ->
        new FilterOutputStream(out) {
          long written;

          @Override
          public void write(byte[] bytes, int off, int len) throws IOException {
            written += len;
            if (written > 200) {
              throw new IOException("disk full (simulated)");
            }
            out.write(bytes, off, len);
          }
        }));
    assertEquals("disk full (simulated)", e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(f));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(f), files.toList(), "the temporary file is removed");
    }
  }

  @Test
  void unsupportedValuesFailBeforeTouchingTheDisk() {
    Path f = dir.resolve("bad.pth");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TorchCheckpointWriter.write(f, Map.of("x", new Object())));
    assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    assertTrue(Files.notExists(f));
  }
}
