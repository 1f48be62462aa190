package org.cropmae.trainer.checkpoint;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Python callables the checkpoint reader emulates, and nothing else. Each is a fixed Java
 * implementation chosen by exact {@code module.name}; there is no reflection and no class loading,
 * so a pickle cannot reach any other code. Calling any other global yields an inert {@link PickleObject}.
 */
final class Allowlist {
  private Allowlist() {}

  /** The emulated callables. {@code isClass}: may also be instantiated with NEWOBJ. */
  private enum Call {
    ORDERED_DICT(true),
    DEFAULT_DICT(true),
    SET(true),
    FROZENSET(true),
    TORCH_SIZE(true),
    CODECS_ENCODE(false),
    NUMPY_SCALAR(false),
    REBUILD_TENSOR(false),
    REBUILD_TENSOR_V2(false),
    REBUILD_TENSOR_V3(false),
    REBUILD_PARAMETER(false),
    REBUILD_PARAMETER_WITH_STATE(false),
    REBUILD_FROM_TYPE_V2(false);

    final boolean isClass;

    Call(boolean isClass) {
      this.isClass = isClass;
    }
  }

  private static final Map<PickleGlobal, Call> CALLS = new HashMap<>();

  static {
    CALLS.put(new PickleGlobal("collections", "OrderedDict"), Call.ORDERED_DICT);
    CALLS.put(new PickleGlobal("collections", "defaultdict"), Call.DEFAULT_DICT);
    CALLS.put(new PickleGlobal("builtins", "set"), Call.SET);
    CALLS.put(new PickleGlobal("builtins", "frozenset"), Call.FROZENSET);
    CALLS.put(new PickleGlobal("torch", "Size"), Call.TORCH_SIZE);
    // Protocol-2 pickles written by Python 3 encode bytes objects as _codecs.encode(str, 'latin1').
    CALLS.put(new PickleGlobal("_codecs", "encode"), Call.CODECS_ENCODE);
    CALLS.put(new PickleGlobal("numpy.core.multiarray", "scalar"), Call.NUMPY_SCALAR);
    CALLS.put(new PickleGlobal("numpy._core.multiarray", "scalar"), Call.NUMPY_SCALAR);
    CALLS.put(new PickleGlobal("torch._utils", "_rebuild_tensor"), Call.REBUILD_TENSOR);
    CALLS.put(new PickleGlobal("torch._utils", "_rebuild_tensor_v2"), Call.REBUILD_TENSOR_V2);
    CALLS.put(new PickleGlobal("torch._utils", "_rebuild_tensor_v3"), Call.REBUILD_TENSOR_V3);
    CALLS.put(new PickleGlobal("torch._utils", "_rebuild_parameter"), Call.REBUILD_PARAMETER);
    CALLS.put(new PickleGlobal("torch._utils", "_rebuild_parameter_with_state"), Call.REBUILD_PARAMETER_WITH_STATE);
    CALLS.put(new PickleGlobal("torch._tensor", "_rebuild_from_type_v2"), Call.REBUILD_FROM_TYPE_V2);
    CALLS.put(new PickleGlobal("torch._utils", "_rebuild_from_type_v2"), Call.REBUILD_FROM_TYPE_V2);
  }

  /** The global a GLOBAL / STACK_GLOBAL opcode names, with Python 2 module names mapped as Python 3 does. */
  static PickleGlobal global(String module, String name) {
    String m = switch (module) {
      case "__builtin__" -> "builtins";
      case "copy_reg" -> "copyreg";
      default -> module;
    };
    return new PickleGlobal(m, name);
  }

  /** A storage class a persistent id may name: element type, and whether it is an untyped byte storage. */
  record StorageKind(TorchDType dtype, boolean untyped) {}

  /** The storage kind {@code g} names ({@code torch.FloatStorage}, {@code torch.UntypedStorage}...), or null. */
  static StorageKind storageKind(PickleGlobal g) {
    String m = g.module();
    if (m.equals("torch") || m.equals("torch.storage")) {
      if (g.name().equals("UntypedStorage")) {
        return new StorageKind(TorchDType.UINT8, true);
      }
    }
    if (m.equals("torch") || m.equals("torch.cuda")) {
      TorchDType t = TorchDType.ofStorageClass(g.name());
      if (t != null) {
        return new StorageKind(t, false);
      }
    }
    return null;
  }

  /**
   * What calling {@code callable(*args, **kwargs)} yields: the emulation for an allowlisted global,
   * otherwise an inert {@link PickleObject} that records the call.
   *
   * @param newObj whether the pickle instantiates a class (NEWOBJ, INST, OBJ) rather than calling (REDUCE)
   */
  static Object call(Object callable, PickleTuple args, Map<String, Object> kwargs, boolean newObj)
      throws PickleException {
    if (!(callable instanceof PickleGlobal g)) {
      throw new PickleException("cannot call a " + typeName(callable) + " (only globals are callable)");
    }
    Call c = CALLS.get(g);
    if (c == null) {
      return new PickleObject(g, args, kwargs);
    }
    if (newObj && !c.isClass) {
      throw new PickleException("cannot instantiate function " + g + " as a class");
    }
    return switch (c) {
      case ORDERED_DICT -> newDict(g, args.isEmpty() ? null : args.get(0));
      case DEFAULT_DICT -> newDict(g, args.size() > 1 ? args.get(1) : null); // the factory is dropped
      case SET, FROZENSET -> newSet(g, args.isEmpty() ? null : args.get(0), c == Call.FROZENSET);
      case TORCH_SIZE -> args.isEmpty() ? PickleTuple.EMPTY : sizeTuple(args.get(0));
      case CODECS_ENCODE -> encode(g, args, kwargs);
      case NUMPY_SCALAR -> numpyScalar(g, args, kwargs);
      case REBUILD_TENSOR -> rebuildTensor(g, args, 4, 4, false);
      case REBUILD_TENSOR_V2 -> rebuildTensor(g, args, 6, 7, false);
      case REBUILD_TENSOR_V3 -> rebuildTensor(g, args, 7, 8, true);
      case REBUILD_PARAMETER -> parameterData(g, args, 3);
      case REBUILD_PARAMETER_WITH_STATE -> parameterData(g, args, 4);
      case REBUILD_FROM_TYPE_V2 -> rebuildFromType(g, args);
    };
  }

  static String typeName(Object v) {
    if (v == null) return "None";
    if (v instanceof PickleTuple) return "tuple";
    if (v instanceof PickleList) return "list";
    if (v instanceof PickleDict) return "dict";
    if (v instanceof PickleSet s) return s.frozen() ? "frozenset" : "set";
    if (v instanceof String) return "str";
    if (v instanceof Long || v instanceof BigInteger) return "int";
    if (v instanceof Double) return "float";
    if (v instanceof Boolean) return "bool";
    if (v instanceof ByteBuffer) return "bytes";
    if (v instanceof TorchTensor t) return t.isRawStorage() ? "storage" : "tensor";
    if (v instanceof PickleGlobal g) return "global " + g;
    if (v instanceof PickleObject o) return o.type() + " object";
    return v.getClass().getSimpleName();
  }

  private static PickleDict newDict(PickleGlobal g, Object init) throws PickleException {
    PickleDict d = new PickleDict();
    if (init instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        d.put0(e.getKey(), e.getValue());
      }
    } else if (init instanceof List<?> pairs) {
      for (Object p : pairs) {
        if (!(p instanceof List<?> kv) || kv.size() != 2) {
          throw new PickleException(g + " needs (key, value) pairs, got a " + typeName(p));
        }
        PickleMachine.checkHashable(kv.get(0));
        d.put0(kv.get(0), kv.get(1));
      }
    } else if (init != null) {
      throw new PickleException(g + " cannot be built from a " + typeName(init));
    }
    return d;
  }

  private static PickleSet newSet(PickleGlobal g, Object init, boolean frozen) throws PickleException {
    PickleSet s = new PickleSet(frozen);
    if (init instanceof Map<?, ?> m) {
      init = List.copyOf(m.keySet());
    }
    if (init instanceof Iterable<?> items) {
      for (Object o : items) {
        PickleMachine.checkHashable(o);
        s.add0(o);
      }
    } else if (init != null) {
      throw new PickleException(g + " cannot be built from a " + typeName(init));
    }
    return s;
  }

  private static Object encode(PickleGlobal g, PickleTuple args, Map<String, Object> kwargs) {
    if (args.size() == 2 && args.get(0) instanceof String s && args.get(1) instanceof String enc) {
      String e = enc.toLowerCase(Locale.ROOT).replace('_', '-');
      if (e.equals("latin1") || e.equals("latin-1") || e.equals("iso-8859-1")) {
        if (s.chars().allMatch(ch -> ch < 256)) {
          return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1)).asReadOnlyBuffer();
        }
      } else if (e.equals("utf-8") || e.equals("utf8")) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
      }
    }
    return new PickleObject(g, args, kwargs);
  }

  /**
   * {@code numpy.core.multiarray.scalar(dtype, data)}: a NumPy scalar (e.g. a {@code np.float64} in an
   * optimizer or argument state) decoded inertly to Double/Long/BigInteger/Boolean from its dtype
   * descriptor and raw bytes. Other dtypes stay an inert object.
   */
  private static Object numpyScalar(PickleGlobal g, PickleTuple args, Map<String, Object> kwargs) {
    if (args.size() == 2
        && args.get(0) instanceof PickleObject dtype
        && dtype.module().startsWith("numpy")
        && dtype.name().equals("dtype")
        && !dtype.args().isEmpty()
        && dtype.args().get(0) instanceof String descr
        && args.get(1) instanceof ByteBuffer raw) {
      ByteOrder order = ByteOrder.LITTLE_ENDIAN;
      if (dtype.state() instanceof List<?> st && st.size() > 1 && ">".equals(st.get(1))) {
        order = ByteOrder.BIG_ENDIAN;
      }
      String code = descr.isEmpty() || "<>|=".indexOf(descr.charAt(0)) < 0 ? descr : descr.substring(1);
      ByteBuffer b = raw.duplicate().order(order);
      int n = b.remaining();
      Object v = switch (code) {
        case "b1" -> n == 1 ? (Object) (b.get() != 0) : null;
        case "f2" -> n == 2 ? (Object) (double) TorchTensor.halfToFloat(b.getShort()) : null;
        case "f4" -> n == 4 ? (Object) (double) b.getFloat() : null;
        case "f8" -> n == 8 ? (Object) b.getDouble() : null;
        case "i1" -> n == 1 ? (Object) (long) b.get() : null;
        case "i2" -> n == 2 ? (Object) (long) b.getShort() : null;
        case "i4" -> n == 4 ? (Object) (long) b.getInt() : null;
        case "i8" -> n == 8 ? (Object) b.getLong() : null;
        case "u1" -> n == 1 ? (Object) (long) (b.get() & 0xFF) : null;
        case "u2" -> n == 2 ? (Object) (long) (b.getShort() & 0xFFFF) : null;
        case "u4" -> n == 4 ? (Object) (b.getInt() & 0xFFFFFFFFL) : null;
        case "u8" -> n == 8 ? unsigned64(b.getLong()) : null;
        default -> null;
      };
      if (v != null) {
        return v;
      }
    }
    return new PickleObject(g, args, kwargs);
  }

  private static Object unsigned64(long v) {
    return v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
  }

  private static PickleTuple sizeTuple(Object dims) throws PickleException {
    if (!(dims instanceof List<?> l)) {
      throw new PickleException("torch.Size needs a sequence of ints, got a " + typeName(dims));
    }
    for (Object d : l) {
      if (!(d instanceof Long)) {
        throw new PickleException("torch.Size needs ints, got a " + typeName(d));
      }
    }
    return new PickleTuple(l.toArray());
  }

  /**
   * {@code _rebuild_tensor(storage, offset, size, stride)},
   * {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])} and
   * {@code _rebuild_tensor_v3(storage, offset, size, stride, requires_grad, hooks, dtype[, metadata])}.
   * Only the view geometry matters here; autograd flags, hooks and metadata have no meaning outside PyTorch.
   */
  private static TorchTensor rebuildTensor(PickleGlobal g, PickleTuple args, int minArgs, int maxArgs, boolean v3)
      throws PickleException {
    if (args.size() < minArgs || args.size() > maxArgs) {
      throw new PickleException(g + " takes " + minArgs + (maxArgs > minArgs ? "-" + maxArgs : "")
          + " arguments, got " + args.size());
    }
    Object s = args.get(0);
    if (!(s instanceof TorchTensor st) || !st.isRawStorage()) {
      String what = s instanceof PickleObject o ? "an object of the disallowed global " + o.type()
          : s instanceof PickleGlobal pg ? "the disallowed global " + pg : "a " + typeName(s);
      throw new PickleException(g + " needs a storage from a persistent id but got " + what);
    }
    StorageRef storage = st.storage();
    TorchDType dtype = storage.dtype();
    long storageElements = storage.numel();
    if (v3) {
      Object d = args.get(6);
      TorchDType t = d instanceof PickleGlobal pg && pg.module().equals("torch") ? TorchDType.ofTorchName(pg.name()) : null;
      if (t == null) {
        throw new PickleException(g + ": unsupported or disallowed tensor dtype " + PickleText.render(d));
      }
      if (!storage.untyped() && storage.dtype() != t) {
        throw new PickleException(g + ": a " + t + " tensor cannot view a typed " + storage.dtype() + " storage");
      }
      dtype = t;
      storageElements = storage.byteSize() / t.bytes();
    }
    long offset = nonNegativeInt(g, "storage_offset", args.get(1));
    List<?> size = intList(g, "size", args.get(2));
    List<?> stride = intList(g, "stride", args.get(3));
    if (size.size() != stride.size()) {
      throw new PickleException(g + ": size has " + size.size() + " dimensions but stride has " + stride.size());
    }
    int[] shape = new int[size.size()];
    long[] strides = new long[size.size()];
    long numel = 1;
    long last = offset;
    for (int i = 0; i < shape.length; i++) {
      long dim = (Long) size.get(i);
      long st2 = (Long) stride.get(i);
      if (dim > Integer.MAX_VALUE || st2 > Long.MAX_VALUE / Integer.MAX_VALUE) {
        throw new PickleException(g + ": dimension " + dim + " / stride " + st2 + " is too large");
      }
      shape[i] = (int) dim;
      strides[i] = st2;
      numel = Math.min(numel * dim, Long.MAX_VALUE / Integer.MAX_VALUE);
      long span = dim > 0 ? (dim - 1) * st2 : 0;
      if (last > Long.MAX_VALUE - span) {
        throw new PickleException(g + ": view (size " + size + ", stride " + stride + ") is too large");
      }
      last += span;
    }
    if (numel > Integer.MAX_VALUE - 8) {
      throw new PickleException(g + ": a tensor of " + numel + " elements exceeds the Java array limit");
    }
    if (numel > 0 && last >= storageElements) {
      throw new PickleException(g + ": view (offset " + offset + ", size " + size + ", stride " + stride
          + ") reaches element " + last + " but storage '" + storage.key() + "' holds " + storageElements
          + " " + dtype + " elements");
    }
    return TorchTensor.view(storage, dtype, offset, shape, strides);
  }

  private static long nonNegativeInt(PickleGlobal g, String what, Object v) throws PickleException {
    if (!(v instanceof Long l) || l < 0) {
      throw new PickleException(g + ": " + what + " must be a non-negative int, got " + PickleText.render(v));
    }
    return l;
  }

  private static List<?> intList(PickleGlobal g, String what, Object v) throws PickleException {
    if (!(v instanceof List<?> l)) {
      throw new PickleException(g + ": " + what + " must be a tuple of ints, got a " + typeName(v));
    }
    for (Object o : l) {
      nonNegativeInt(g, what, o);
    }
    return l;
  }

  /** {@code _rebuild_parameter(data, requires_grad, hooks[, state])}: a Parameter is its data tensor here. */
  private static TorchTensor parameterData(PickleGlobal g, PickleTuple args, int n) throws PickleException {
    if (args.size() != n) {
      throw new PickleException(g + " takes " + n + " arguments, got " + args.size());
    }
    if (!(args.get(0) instanceof TorchTensor t) || t.isRawStorage()) {
      throw new PickleException(g + " needs a tensor but got a " + typeName(args.get(0)));
    }
    return t;
  }

  /**
   * {@code _rebuild_from_type_v2(func, new_type, args, state)}: how tensors of a subclass or with
   * Python attributes are saved. The inner rebuild runs (if allowlisted); the subclass and attributes
   * are Python-side details that are dropped.
   */
  private static Object rebuildFromType(PickleGlobal g, PickleTuple args) throws PickleException {
    if (args.size() != 4 || !(args.get(2) instanceof PickleTuple inner)) {
      throw new PickleException(g + " takes (func, type, args tuple, state)");
    }
    return call(args.get(0), inner, Map.of(), false);
  }
}
