package org.cropmae.trainer.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Test helper: writes pickle opcodes by hand, to craft checkpoints (including hostile ones). */
final class PickleBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static PickleBytes proto2() {
    return new PickleBytes().op(0x80).raw(2);
  }

  PickleBytes op(int code) {
    out.write(code);
    return this;
  }

  PickleBytes raw(int... bytes) {
    for (int b : bytes) {
      out.write(b);
    }
    return this;
  }

  PickleBytes mark() {
    return op('(');
  }

  PickleBytes str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    op('X').le32(b.length);
    out.write(b, 0, b.length);
    return this;
  }

  PickleBytes integer(long v) {
    if (v != (int) v) {
      throw new IllegalArgumentException("int32 only");
    }
    return op('J').le32((int) v);
  }

  PickleBytes global(String module, String name) {
    op('c');
    byte[] b = (module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8);
    out.write(b, 0, b.length);
    return this;
  }

  PickleBytes tuple(long... ints) {
    mark();
    for (long v : ints) {
      integer(v);
    }
    return op('t');
  }

  /** {@code ('storage', torch.<storageClass>, key, 'cpu', numel)} BINPERSID. */
  PickleBytes storage(String module, String storageClass, String key, long numel) {
    return mark().str("storage").global(module, storageClass).str(key).str("cpu").integer(numel).op('t').op('Q');
  }

  /** {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())}. */
  PickleBytes tensor(String storageClass, String key, long numel, long offset, long[] size, long[] stride) {
    global("torch._utils", "_rebuild_tensor_v2").mark();
    storage("torch", storageClass, key, numel);
    integer(offset).tuple(size).tuple(stride).op(0x89);
    global("collections", "OrderedDict").op(')').op('R');
    return op('t').op('R');
  }

  PickleBytes stop() {
    return op('.');
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  private PickleBytes le32(int v) {
    out.write(v);
    out.write(v >>> 8);
    out.write(v >>> 16);
    out.write(v >>> 24);
    return this;
  }
}
