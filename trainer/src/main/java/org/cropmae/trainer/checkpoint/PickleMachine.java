package org.cropmae.trainer.checkpoint;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle interpreter (protocols 0-5) that cannot run code.
 *
 * <p>Python's unpickler imports any {@code module.name} a pickle names and calls it, which is why
 * loading an untrusted pickle can execute arbitrary code. Here GLOBAL only produces an inert
 * {@link PickleGlobal} value; calls (REDUCE, NEWOBJ...) go through {@link Allowlist}, which emulates
 * a fixed set of harmless callables in Java and records every other call as an inert
 * {@link PickleObject}. Persistent ids (how torch.save refers to tensor storages) are handed to a
 * {@link PersistentLoader}.
 *
 * <p>Resource limits keep hostile input bounded: the stack, MARK nesting and memo sizes are capped,
 * every length is checked against the bytes that remain, and tuples used as dict keys must be small
 * enough to hash and compare in bounded time.
 */
final class PickleMachine {
  /** Resolves a persistent id (the value BINPERSID pops) to the object it stands for. */
  interface PersistentLoader {
    Object load(Object pid) throws PickleException;
  }

  static final int MAX_MARKS = 1 << 16;
  /** Bound on the total number of values a tuple used as a dict key expands to (hash/equals cost). */
  static final int MAX_KEY_VALUES = 4096;

  private final byte[] data;
  private final PersistentLoader persistent;
  private final CheckpointLimits limits;
  private long ops;
  private int pos;
  private int opStart;
  private int op;
  private final ArrayList<Object> stack = new ArrayList<>();
  private int[] marks = new int[16];
  private int markCount;
  private final HashMap<Long, Object> memo = new HashMap<>();

  private PickleMachine(byte[] data, PersistentLoader persistent, CheckpointLimits limits) {
    this.data = data;
    this.persistent = persistent;
    this.limits = limits;
  }

  /**
   * Runs the pickle in {@code data} and returns the object it describes.
   *
   * @throws PickleException naming the byte offset and opcode where the pickle is corrupt, truncated,
   *     tampered with or exceeds a limit
   */
  static Object load(byte[] data, PersistentLoader persistent) throws PickleException {
    return load(data, persistent, CheckpointLimits.defaults());
  }

  /** {@link #load(byte[], PersistentLoader)} within {@code limits} (opcodes, stack, memo, integer digits). */
  static Object load(byte[] data, PersistentLoader persistent, CheckpointLimits limits) throws PickleException {
    PickleMachine m = new PickleMachine(data, persistent, limits);
    try {
      return m.run();
    } catch (PickleException e) {
      throw new PickleException("at byte " + m.opStart + " (" + opName(m.op) + "): " + e.getMessage());
    }
  }

  private Object run() throws PickleException {
    while (true) {
      opStart = pos;
      if (pos >= data.length) {
        op = -1;
        throw new PickleException("truncated: the pickle ends without a STOP opcode");
      }
      op = data[pos++] & 0xFF;
      if (++ops > limits.maxPickleOps()) {
        throw new PickleException("the pickle runs more than " + limits.maxPickleOps()
            + " opcodes (limit; a real checkpoint runs far fewer)");
      }
      switch (op) {
        case 0x80 -> { // PROTO
          int v = u8();
          if (v > 5) {
            throw new PickleException("unsupported pickle protocol " + v + " (0-5 are supported)");
          }
        }
        case 0x95 -> need(u64()); // FRAME: framing only groups opcodes; check its length is there
        case '.' -> { // STOP
          Object result = pop();
          return result;
        }
        case '(' -> pushMark();
        case '0' -> { // POP
          if (markCount > 0 && marks[markCount - 1] == stack.size()) {
            markCount--;
          } else {
            pop();
          }
        }
        case '1' -> popMark(); // POP_MARK
        case '2' -> push(peek()); // DUP
        case 'N' -> push(null);
        case 0x88 -> push(Boolean.TRUE);
        case 0x89 -> push(Boolean.FALSE);
        case 'I' -> push(parseIntLine(numberLine()));
        case 'J' -> push((long) s32());
        case 'K' -> push((long) u8());
        case 'M' -> push((long) u16());
        case 'L' -> push(parseLongLine(numberLine()));
        case 0x8a -> push(longBytes(u8())); // LONG1
        case 0x8b -> push(longBytes(longLength(s32()))); // LONG4
        case 'F' -> push(parseFloat(numberLine()));
        case 'G' -> push(Double.longBitsToDouble(bigEndianLong()));
        case 'S' -> push(PickleStrings.unquote(line()));
        case 'T' -> push(utf8(length(s32()))); // BINSTRING (Python 2 str)
        case 'U' -> push(utf8(u8())); // SHORT_BINSTRING
        case 'B' -> push(bytes(length(u32()))); // BINBYTES
        case 'C' -> push(bytes(u8())); // SHORT_BINBYTES
        case 0x8e -> push(bytes(length(u64()))); // BINBYTES8
        case 0x96 -> push(bytes(length(u64()))); // BYTEARRAY8
        case 'V' -> push(PickleStrings.rawUnicodeEscape(line(StandardCharsets.ISO_8859_1))); // UNICODE
        case 'X' -> push(utf8(length(u32()))); // BINUNICODE
        case 0x8c -> push(utf8(u8())); // SHORT_BINUNICODE
        case 0x8d -> push(utf8(length(u64()))); // BINUNICODE8
        case ')' -> push(PickleTuple.EMPTY);
        case 0x85 -> push(tuple(popN(1)));
        case 0x86 -> push(tuple(popN(2)));
        case 0x87 -> push(tuple(popN(3)));
        case 't' -> push(tuple(popMark()));
        case ']' -> push(new PickleList());
        case 'l' -> { // LIST
          PickleList l = new PickleList();
          for (Object o : popMark()) {
            l.append(o);
          }
          push(l);
        }
        case '}' -> push(new PickleDict());
        case 'd' -> { // DICT
          Object[] items = popMark();
          PickleDict d = new PickleDict();
          setItems(d, items);
          push(d);
        }
        case 0x8f -> push(new PickleSet(false)); // EMPTY_SET
        case 0x91 -> { // FROZENSET
          PickleSet s = new PickleSet(true);
          addItems(s, popMark());
          push(s);
        }
        case 0x90 -> { // ADDITEMS
          Object[] items = popMark();
          if (!(peek() instanceof PickleSet s)) {
            throw new PickleException("ADDITEMS on a " + Allowlist.typeName(peek()));
          }
          addItems(s, items);
        }
        case 'a' -> { // APPEND
          Object v = pop();
          append(peek(), v);
        }
        case 'e' -> { // APPENDS
          Object[] items = popMark();
          Object target = peek();
          for (Object o : items) {
            append(target, o);
          }
        }
        case 's' -> { // SETITEM
          Object v = pop();
          Object k = pop();
          setItems(peek(), new Object[] {k, v});
        }
        case 'u' -> { // SETITEMS
          Object[] items = popMark();
          setItems(peek(), items);
        }
        case 'c' -> { // GLOBAL
          String module = line();
          String name = line();
          push(Allowlist.global(module, name));
        }
        case 0x93 -> { // STACK_GLOBAL
          Object name = pop();
          Object module = pop();
          if (!(module instanceof String m) || !(name instanceof String n)) {
            throw new PickleException("STACK_GLOBAL needs two str, got " + Allowlist.typeName(module)
                + " and " + Allowlist.typeName(name));
          }
          push(Allowlist.global(m, n));
        }
        case 'R' -> { // REDUCE
          Object args = pop();
          Object callable = pop();
          push(Allowlist.call(callable, argsTuple(args), Map.of(), false));
        }
        case 0x81 -> { // NEWOBJ
          Object args = pop();
          Object cls = pop();
          push(Allowlist.call(cls, argsTuple(args), Map.of(), true));
        }
        case 0x92 -> { // NEWOBJ_EX
          Object kwargs = pop();
          Object args = pop();
          Object cls = pop();
          push(Allowlist.call(cls, argsTuple(args), kwargsMap(kwargs), true));
        }
        case 'i' -> { // INST
          PickleGlobal cls = Allowlist.global(line(), line());
          push(Allowlist.call(cls, new PickleTuple(popMark()), Map.of(), true));
        }
        case 'o' -> { // OBJ
          Object[] items = popMark();
          if (items.length == 0) {
            throw new PickleException("OBJ without a class");
          }
          push(Allowlist.call(items[0], new PickleTuple(Arrays.copyOfRange(items, 1, items.length)), Map.of(), true));
        }
        case 'b' -> { // BUILD
          Object state = pop();
          build(peek(), state);
        }
        case 'p' -> memoPut(parseIndex(line()));
        case 'q' -> memoPut(u8());
        case 'r' -> memoPut(u32());
        case 0x94 -> memoPut(memo.size()); // MEMOIZE
        case 'g' -> push(memoGet(parseIndex(line())));
        case 'h' -> push(memoGet(u8()));
        case 'j' -> push(memoGet(u32()));
        case 'P' -> push(persistent.load(line())); // PERSID
        case 'Q' -> push(persistent.load(pop())); // BINPERSID
        case 0x82, 0x83, 0x84 -> throw new PickleException("copyreg extension codes are not supported");
        case 0x97 -> throw new PickleException("out-of-band buffers are not supported");
        case 0x98 -> { } // READONLY_BUFFER: our bytes are read-only already
        default -> throw new PickleException(
            String.format("unknown opcode 0x%02x (corrupt or tampered pickle)", op));
      }
    }
  }

  // ---- stack ----

  private void push(Object v) throws PickleException {
    if (stack.size() >= limits.maxStack()) {
      throw new PickleException("stack exceeds " + limits.maxStack() + " entries");
    }
    stack.add(v);
  }

  private Object pop() throws PickleException {
    int floor = markCount > 0 ? marks[markCount - 1] : 0;
    if (stack.size() <= floor) {
      throw new PickleException("stack underflow (corrupt or tampered pickle)");
    }
    return stack.remove(stack.size() - 1);
  }

  private Object peek() throws PickleException {
    int floor = markCount > 0 ? marks[markCount - 1] : 0;
    if (stack.size() <= floor) {
      throw new PickleException("stack underflow (corrupt or tampered pickle)");
    }
    return stack.get(stack.size() - 1);
  }

  private Object[] popN(int n) throws PickleException {
    Object[] out = new Object[n];
    for (int i = n - 1; i >= 0; i--) {
      out[i] = pop();
    }
    return out;
  }

  private void pushMark() throws PickleException {
    if (markCount == MAX_MARKS) {
      throw new PickleException("MARK nesting exceeds " + MAX_MARKS);
    }
    if (markCount == marks.length) {
      marks = Arrays.copyOf(marks, markCount * 2);
    }
    marks[markCount++] = stack.size();
  }

  /** Pops everything above the topmost MARK, and the MARK. */
  private Object[] popMark() throws PickleException {
    if (markCount == 0) {
      throw new PickleException("no MARK on the stack (corrupt or tampered pickle)");
    }
    int m = marks[--markCount];
    List<Object> top = stack.subList(m, stack.size());
    Object[] items = top.toArray();
    top.clear();
    return items;
  }

  // ---- memo ----

  private void memoPut(long index) throws PickleException {
    if (memo.size() >= limits.maxMemo() && !memo.containsKey(index)) {
      throw new PickleException("memo exceeds " + limits.maxMemo() + " entries");
    }
    memo.put(index, peek());
  }

  private Object memoGet(long index) throws PickleException {
    Object v = memo.get(index);
    if (v == null && !memo.containsKey(index)) {
      throw new PickleException("memo has no entry " + index + " (corrupt or tampered pickle)");
    }
    return v;
  }

  // ---- containers ----

  private PickleTuple tuple(Object[] items) {
    return new PickleTuple(items);
  }

  private static PickleTuple argsTuple(Object args) throws PickleException {
    if (!(args instanceof PickleTuple t)) {
      throw new PickleException("call arguments must be a tuple, got a " + Allowlist.typeName(args));
    }
    return t;
  }

  private static Map<String, Object> kwargsMap(Object kwargs) throws PickleException {
    if (!(kwargs instanceof Map<?, ?> m)) {
      throw new PickleException("keyword arguments must be a dict, got a " + Allowlist.typeName(kwargs));
    }
    PickleDict out = new PickleDict();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String)) {
        throw new PickleException("keyword argument names must be str");
      }
      out.put0(e.getKey(), e.getValue());
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> typed = (Map<String, Object>) (Map<?, ?>) out;
    return typed;
  }

  private static void append(Object target, Object value) throws PickleException {
    if (target instanceof PickleList l) {
      l.append(value);
    } else if (target instanceof PickleObject o) {
      o.append(value);
    } else {
      throw new PickleException("APPEND to a " + Allowlist.typeName(target));
    }
  }

  private static void setItems(Object target, Object[] kv) throws PickleException {
    if (kv.length % 2 != 0) {
      throw new PickleException("odd number of items for a dict (corrupt or tampered pickle)");
    }
    for (int i = 0; i < kv.length; i += 2) {
      if (target instanceof PickleDict d) {
        checkHashable(kv[i]);
        d.put0(kv[i], kv[i + 1]);
      } else if (target instanceof PickleObject o) {
        checkHashable(kv[i]);
        o.setItem(kv[i], kv[i + 1]);
      } else {
        throw new PickleException("SETITEM on a " + Allowlist.typeName(target));
      }
    }
  }

  private static void addItems(PickleSet s, Object[] items) throws PickleException {
    for (Object o : items) {
      checkHashable(o);
      s.add0(o);
    }
  }

  /**
   * Refuses dict keys / set elements Python could not hash (lists, dicts, sets) and tuples too large
   * to hash and compare in bounded time (a pickle can share sub-tuples to build exponentially large
   * trees from few bytes).
   */
  static void checkHashable(Object key) throws PickleException {
    int[] budget = {MAX_KEY_VALUES};
    checkHashable(key, budget);
  }

  private static void checkHashable(Object key, int[] budget) throws PickleException {
    if (--budget[0] < 0) {
      throw new PickleException("dict key or set element is too large (over " + MAX_KEY_VALUES + " values)");
    }
    if (key instanceof PickleTuple t) {
      for (Object o : t) {
        checkHashable(o, budget);
      }
    } else if (key instanceof PickleList || key instanceof PickleDict || key instanceof PickleSet) {
      throw new PickleException("unhashable " + Allowlist.typeName(key) + " used as a dict key or set element");
    }
  }

  private static void build(Object target, Object state) throws PickleException {
    if (target instanceof PickleObject o) {
      o.setState(state);
    } else if (target instanceof PickleDict d) {
      // e.g. the _metadata attribute Module.state_dict() puts on its OrderedDict.
      Object attrs = state instanceof PickleTuple t && t.size() == 2 ? t.get(0) : state;
      if (attrs != null && !(attrs instanceof Map<?, ?>)) {
        throw new PickleException("BUILD on a dict needs a dict of attributes, got a " + Allowlist.typeName(attrs));
      }
      if (attrs != null) {
        for (Map.Entry<?, ?> e : ((Map<?, ?>) attrs).entrySet()) {
          if (!(e.getKey() instanceof String name)) {
            throw new PickleException("attribute names must be str");
          }
          d.putAttribute(name, e.getValue());
        }
      }
    } else if (!(target instanceof TorchTensor)) {
      // A tensor's BUILD state holds Python-side attributes only; anything else cannot take a state.
      throw new PickleException("BUILD on a " + Allowlist.typeName(target));
    }
  }

  // ---- reading ----

  private void need(long n) throws PickleException {
    if (n < 0 || n > data.length - pos) {
      throw new PickleException("truncated: needs " + n + " more bytes but only " + (data.length - pos) + " remain");
    }
  }

  private int u8() throws PickleException {
    need(1);
    return data[pos++] & 0xFF;
  }

  private int u16() throws PickleException {
    need(2);
    int v = (data[pos] & 0xFF) | (data[pos + 1] & 0xFF) << 8;
    pos += 2;
    return v;
  }

  private int s32() throws PickleException {
    need(4);
    int v = (data[pos] & 0xFF) | (data[pos + 1] & 0xFF) << 8 | (data[pos + 2] & 0xFF) << 16 | (data[pos + 3] & 0xFF) << 24;
    pos += 4;
    return v;
  }

  private long u32() throws PickleException {
    return s32() & 0xFFFFFFFFL;
  }

  private long u64() throws PickleException {
    long lo = u32();
    long hi = u32();
    return hi << 32 | lo;
  }

  private long bigEndianLong() throws PickleException {
    need(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = v << 8 | (data[pos++] & 0xFF);
    }
    return v;
  }

  /** A length prefix, checked against the bytes that remain (so no allocation exceeds the input). */
  private int length(long n) throws PickleException {
    need(n);
    return (int) n;
  }

  private String utf8(int n) throws PickleException {
    need(n);
    String s = new String(data, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  private ByteBuffer bytes(int n) throws PickleException {
    need(n);
    ByteBuffer b = ByteBuffer.wrap(Arrays.copyOfRange(data, pos, pos + n)).asReadOnlyBuffer();
    pos += n;
    return b;
  }

  /** The text up to the next newline (protocol-0 arguments). */
  private String line() throws PickleException {
    return line(StandardCharsets.UTF_8);
  }

  /**
   * A protocol-0 number's text, refused before parsing when longer than the digit limit: BigInteger's
   * decimal parse is quadratic, so a pickle of a few kilobytes could otherwise take minutes.
   */
  private String numberLine() throws PickleException {
    int end = pos;
    int max = limits.maxIntegerDigits() + 8; // sign, 'L' suffix, spaces
    while (end < data.length && data[end] != '\n') {
      if (end - pos > max) {
        throw new PickleException("number of more than " + limits.maxIntegerDigits()
            + " digits (limit; no real checkpoint stores such numbers)");
      }
      end++;
    }
    return line(StandardCharsets.ISO_8859_1);
  }

  private String line(java.nio.charset.Charset charset) throws PickleException {
    int end = pos;
    while (end < data.length && data[end] != '\n') {
      end++;
    }
    if (end == data.length) {
      throw new PickleException("truncated: missing end of line");
    }
    String s = new String(data, pos, end - pos, charset);
    pos = end + 1;
    return s;
  }

  /** A LONG4 length: within the bytes that remain and the integer size limit. */
  private int longLength(long n) throws PickleException {
    int len = length(n);
    if ((long) len * 12 / 5 > limits.maxIntegerDigits()) {
      throw new PickleException("integer of " + len + " bytes is over the limit of " + limits.maxIntegerDigits()
          + " digits (no real checkpoint stores such numbers)");
    }
    return len;
  }

  /** LONG1/LONG4 payload: little-endian two's complement. */
  private Object longBytes(int n) throws PickleException {
    need(n);
    byte[] be = new byte[n];
    for (int i = 0; i < n; i++) {
      be[i] = data[pos + n - 1 - i];
    }
    pos += n;
    return n == 0 ? (Object) 0L : narrow(new BigInteger(be));
  }

  private static Object narrow(BigInteger v) {
    return v.bitLength() < 64 ? (Object) v.longValue() : v;
  }

  private static Object parseIntLine(String s) throws PickleException {
    // Protocol 0 writes booleans as INT 01 / 00.
    if (s.equals("01")) {
      return Boolean.TRUE;
    }
    if (s.equals("00")) {
      return Boolean.FALSE;
    }
    return parseLongLine(s);
  }

  private static Object parseLongLine(String s) throws PickleException {
    String t = s.endsWith("L") ? s.substring(0, s.length() - 1) : s;
    try {
      return narrow(new BigInteger(t.trim()));
    } catch (NumberFormatException e) {
      throw new PickleException("malformed integer '" + PickleStrings.clip(s) + "'");
    }
  }

  private static Double parseFloat(String s) throws PickleException {
    String t = s.trim();
    switch (t) {
      case "inf":
        return Double.POSITIVE_INFINITY;
      case "-inf":
        return Double.NEGATIVE_INFINITY;
      case "nan":
        return Double.NaN;
      default:
        try {
          return Double.parseDouble(t);
        } catch (NumberFormatException e) {
          throw new PickleException("malformed float '" + PickleStrings.clip(s) + "'");
        }
    }
  }

  private static long parseIndex(String s) throws PickleException {
    try {
      long v = Long.parseLong(s.trim());
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new PickleException("malformed memo index '" + PickleStrings.clip(s) + "'");
    }
  }

  static String opName(int op) {
    return switch (op) {
      case -1 -> "end of data";
      case 0x80 -> "PROTO";
      case 0x95 -> "FRAME";
      case '.' -> "STOP";
      case '(' -> "MARK";
      case '0' -> "POP";
      case '1' -> "POP_MARK";
      case '2' -> "DUP";
      case 'N' -> "NONE";
      case 0x88 -> "NEWTRUE";
      case 0x89 -> "NEWFALSE";
      case 'I' -> "INT";
      case 'J' -> "BININT";
      case 'K' -> "BININT1";
      case 'M' -> "BININT2";
      case 'L' -> "LONG";
      case 0x8a -> "LONG1";
      case 0x8b -> "LONG4";
      case 'F' -> "FLOAT";
      case 'G' -> "BINFLOAT";
      case 'S' -> "STRING";
      case 'T' -> "BINSTRING";
      case 'U' -> "SHORT_BINSTRING";
      case 'B' -> "BINBYTES";
      case 'C' -> "SHORT_BINBYTES";
      case 0x8e -> "BINBYTES8";
      case 0x96 -> "BYTEARRAY8";
      case 'V' -> "UNICODE";
      case 'X' -> "BINUNICODE";
      case 0x8c -> "SHORT_BINUNICODE";
      case 0x8d -> "BINUNICODE8";
      case ')' -> "EMPTY_TUPLE";
      case 0x85 -> "TUPLE1";
      case 0x86 -> "TUPLE2";
      case 0x87 -> "TUPLE3";
      case 't' -> "TUPLE";
      case ']' -> "EMPTY_LIST";
      case 'l' -> "LIST";
      case '}' -> "EMPTY_DICT";
      case 'd' -> "DICT";
      case 0x8f -> "EMPTY_SET";
      case 0x91 -> "FROZENSET";
      case 0x90 -> "ADDITEMS";
      case 'a' -> "APPEND";
      case 'e' -> "APPENDS";
      case 's' -> "SETITEM";
      case 'u' -> "SETITEMS";
      case 'c' -> "GLOBAL";
      case 0x93 -> "STACK_GLOBAL";
      case 'R' -> "REDUCE";
      case 0x81 -> "NEWOBJ";
      case 0x92 -> "NEWOBJ_EX";
      case 'i' -> "INST";
      case 'o' -> "OBJ";
      case 'b' -> "BUILD";
      case 'p' -> "PUT";
      case 'q' -> "BINPUT";
      case 'r' -> "LONG_BINPUT";
      case 0x94 -> "MEMOIZE";
      case 'g' -> "GET";
      case 'h' -> "BINGET";
      case 'j' -> "LONG_BINGET";
      case 'P' -> "PERSID";
      case 'Q' -> "BINPERSID";
      case 0x82 -> "EXT1";
      case 0x83 -> "EXT2";
      case 0x84 -> "EXT4";
      case 0x97 -> "NEXT_BUFFER";
      case 0x98 -> "READONLY_BUFFER";
      default -> String.format("opcode 0x%02x", op);
    };
  }
}
