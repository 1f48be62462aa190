package org.cropmae.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.io.NpyDType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tensor layouts and dtypes torch.save can produce, in hand-built checkpoints with known values. */
class TorchTensorLayoutTest {
  @TempDir Path dir;

  private static final float[] ZERO_TO_ELEVEN = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};

  private static long[] l(long... v) {
    return v;
  }

  /** Views of one shared 12-float storage 0..11, as transposes, slices, expand() and permute() save them. */
  @ParameterizedTest
  @ValueSource(strings = {"little", "big", ""})
  void stridedViewsOfASharedStorageAreCopiedToCOrder(String byteorder) throws IOException {
    PickleBytes p = PickleBytes.proto2().op('}').mark();
    p.str("full").tensor("FloatStorage", "0", 12, 0, l(3, 4), l(4, 1));
    p.str("transposed").tensor("FloatStorage", "0", 12, 0, l(4, 3), l(1, 4));
    p.str("slice").tensor("FloatStorage", "0", 12, 5, l(2, 2), l(4, 1));
    p.str("expanded").tensor("FloatStorage", "0", 12, 1, l(2, 3), l(0, 1));
    p.str("scalar").tensor("FloatStorage", "0", 12, 7, l(), l());
    p.str("every2").tensor("FloatStorage", "0", 12, 0, l(6), l(2));
    p.str("permuted").tensor("FloatStorage", "0", 12, 0, l(2, 3, 2), l(1, 4, 2));
    p.str("empty").tensor("FloatStorage", "0", 12, 12, l(0, 3), l(3, 1));
    Map<String, byte[]> records = CheckpointFiles.records(p.op('u').stop().toByteArray());
    ByteOrder order = byteorder.equals("big") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    if (!byteorder.isEmpty()) {
      records.put("byteorder", byteorder.getBytes());
    }
    records.put("data/0", CheckpointFiles.floats(order, ZERO_TO_ELEVEN));
    Map<String, NpyArray> sd = TorchCheckpoint.read(CheckpointFiles.writeZip(dir.resolve("views.pth"), records))
        .stateDict();

    assertArrayEquals(ZERO_TO_ELEVEN, sd.get("full").toFloatArray());
    assertArrayEquals(new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, sd.get("transposed").toFloatArray());
    assertArrayEquals(new int[] {4, 3}, sd.get("transposed").shape());
    assertArrayEquals(new float[] {5, 6, 9, 10}, sd.get("slice").toFloatArray());
    assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3}, sd.get("expanded").toFloatArray());
    assertArrayEquals(new float[] {7}, sd.get("scalar").toFloatArray());
    assertArrayEquals(new int[0], sd.get("scalar").shape());
    assertArrayEquals(new float[] {0, 2, 4, 6, 8, 10}, sd.get("every2").toFloatArray());
    assertArrayEquals(new float[] {0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11}, sd.get("permuted").toFloatArray());
    assertArrayEquals(new int[] {0, 3}, sd.get("empty").shape());
  }

  private static byte[] shorts(int... bits) {
    ByteBuffer b = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : bits) {
      b.putShort((short) v);
    }
    return b.array();
  }

  @Test
  void everyStorageDtypeDecodes() throws IOException {
    PickleBytes p = PickleBytes.proto2().op('}').mark();
    p.str("half").tensor("HalfStorage", "h", 7, 0, l(7), l(1));
    p.str("bf16").tensor("BFloat16Storage", "b", 3, 0, l(3), l(1));
    p.str("double").tensor("DoubleStorage", "d", 2, 0, l(2), l(1));
    p.str("long").tensor("LongStorage", "l", 2, 0, l(2), l(1));
    p.str("int").tensor("IntStorage", "i", 2, 0, l(2), l(1));
    p.str("short").tensor("ShortStorage", "s", 2, 0, l(2), l(1));
    p.str("char").tensor("CharStorage", "c", 2, 0, l(2), l(1));
    p.str("byte").tensor("ByteStorage", "u", 2, 0, l(2), l(1));
    p.str("bool").tensor("BoolStorage", "o", 2, 0, l(2), l(1));
    Map<String, byte[]> r = CheckpointFiles.records(p.op('u').stop().toByteArray());
    // float16: 1, -2, 65504 (max), 2^-24 (smallest subnormal), +inf, -0, NaN.
    r.put("data/h", shorts(0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x8000, 0x7E00));
    // bfloat16: 1, -5, 3.140625.
    r.put("data/b", shorts(0x3F80, 0xC0A0, 0x4049));
    r.put("data/d", ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1).putDouble(1e300).array());
    r.put("data/l", ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).putLong(1L << 40).array());
    r.put("data/i", ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-7).putInt(1 << 30).array());
    r.put("data/s", shorts(-300, 32767));
    r.put("data/c", new byte[] {-3, 127});
    r.put("data/u", new byte[] {(byte) 200, 1});
    r.put("data/o", new byte[] {0, 1});
    TorchCheckpoint ckpt = TorchCheckpoint.read(CheckpointFiles.writeZip(dir.resolve("dtypes.pth"), r));
    Map<String, TorchTensor> t = ckpt.tensors();

    assertEquals(TorchDType.FLOAT16, t.get("half").dtype());
    float[] half = t.get("half").toFloat32().toFloatArray();
    assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY, -0f}, java.util.Arrays.copyOf(half, 6));
    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(half[5]));
    assertTrue(Float.isNaN(half[6]));
    assertArrayEquals(new float[] {1f, -5f, 3.140625f}, t.get("bf16").toFloat32().toFloatArray());
    assertThrows(IllegalStateException.class, () -> t.get("half").toNpyArray());
    String msg = assertThrows(IllegalStateException.class, ckpt::stateDict).getMessage();
    assertTrue(msg.contains("float16") && msg.contains("stateDictFloat32()"), msg);

    NpyArray dbl = t.get("double").toNpyArray();
    assertEquals(NpyDType.FLOAT64, dbl.dtype());
    assertArrayEquals(new double[] {0.1, 1e300}, dbl.toDoubleArray());
    assertArrayEquals(new float[] {0.1f, Float.POSITIVE_INFINITY}, t.get("double").toFloat32().toFloatArray());
    assertEquals(NpyDType.INT64, t.get("long").toNpyArray().dtype());
    assertArrayEquals(new long[] {-1, 1L << 40}, t.get("long").toNpyArray().toLongArray());
    assertArrayEquals(new long[] {-7, 1 << 30}, t.get("int").toNpyArray().toLongArray());
    assertArrayEquals(new long[] {-300, 32767}, t.get("short").toNpyArray().toLongArray());
    assertArrayEquals(new long[] {-3, 127}, t.get("char").toNpyArray().toLongArray());
    assertArrayEquals(new long[] {200, 1}, t.get("byte").toNpyArray().toLongArray());
    assertEquals(NpyDType.UINT8, t.get("bool").toNpyArray().dtype());
    assertArrayEquals(new long[] {0, 1}, t.get("bool").toNpyArray().toLongArray());

    Map<String, NpyArray> f32 = ckpt.stateDictFloat32();
    for (NpyArray a : f32.values()) {
      assertEquals(NpyDType.FLOAT32, a.dtype());
    }
    assertArrayEquals(new float[] {-3f, 127f}, f32.get("char").toFloatArray());
  }

  @Test
  void parametersSubclassedTensorsAndV3TensorsRebuild() throws IOException {
    PickleBytes p = PickleBytes.proto2().op('}').mark();
    // nn.Parameter: _rebuild_parameter(tensor, requires_grad, OrderedDict())
    p.str("module.param").global("torch._utils", "_rebuild_parameter").mark()
        .tensor("FloatStorage", "0", 2, 0, l(2), l(1)).op(0x88).global("collections", "OrderedDict").op(')').op('R')
        .op('t').op('R');
    // A tensor with Python attributes: _rebuild_from_type_v2(_rebuild_tensor_v2, Tensor, args, state)
    p.str("module.typed").global("torch._tensor", "_rebuild_from_type_v2").mark()
        .global("torch._utils", "_rebuild_tensor_v2").global("torch", "Tensor").mark()
        .storage("torch", "FloatStorage", "0", 2).integer(1).tuple(1).tuple(1).op(0x89).op('}').op('t')
        .op('}').op('t').op('R');
    // PyTorch >= 2.3 dtypes: _rebuild_tensor_v3(untyped storage, offset, size, stride, rg, hooks, dtype)
    p.str("module.v3").global("torch._utils", "_rebuild_tensor_v3").mark()
        .storage("torch", "UntypedStorage", "1", 8).integer(1).tuple(1).tuple(1).op(0x89).op('}')
        .global("torch", "float32").op('t').op('R');
    Map<String, byte[]> r = CheckpointFiles.records(p.op('u').stop().toByteArray());
    r.put("data/0", CheckpointFiles.floats(ByteOrder.LITTLE_ENDIAN, 1.5f, -2.5f));
    r.put("data/1", CheckpointFiles.floats(ByteOrder.LITTLE_ENDIAN, 3f, 4f));
    TorchCheckpoint ckpt = TorchCheckpoint.read(CheckpointFiles.writeZip(dir.resolve("param.pth"), r));
    Map<String, NpyArray> sd = ckpt.stateDict();
    // Every key had DistributedDataParallel's "module." prefix: stripped.
    assertEquals(List.of("param", "typed", "v3"), List.copyOf(sd.keySet()));
    assertArrayEquals(new float[] {1.5f, -2.5f}, sd.get("param").toFloatArray());
    assertArrayEquals(new float[] {-2.5f}, sd.get("typed").toFloatArray());
    assertArrayEquals(new float[] {4f}, sd.get("v3").toFloatArray());
  }

  @Test
  void prefixIsKeptUnlessEveryKeyHasIt() throws IOException {
    PickleBytes p = PickleBytes.proto2().op('}').mark();
    p.str("module.a").tensor("FloatStorage", "0", 1, 0, l(1), l(1));
    p.str("b").tensor("FloatStorage", "0", 1, 0, l(1), l(1));
    Map<String, byte[]> r = CheckpointFiles.records(p.op('u').stop().toByteArray());
    r.put("data/0", CheckpointFiles.floats(ByteOrder.LITTLE_ENDIAN, 9f));
    TorchCheckpoint ckpt = TorchCheckpoint.read(CheckpointFiles.writeZip(dir.resolve("bare.pth"), r));
    // A bare state_dict (torch.save(model.state_dict(), path)) is the checkpoint itself.
    assertEquals(List.of("module.a", "b"), List.copyOf(ckpt.stateDict().keySet()));
    assertSame(ckpt.tensors().get("b"), ((Map<?, ?>) ckpt.root()).get("b"));
    assertTrue(ckpt.describe().get("state_dict").startsWith("2 tensors, 2 elements, float32"));
  }
}
