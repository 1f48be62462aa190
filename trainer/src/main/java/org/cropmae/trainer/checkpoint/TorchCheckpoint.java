package org.cropmae.trainer.checkpoint;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import org.cropmae.runtime.io.NpyArray;

/**
 * A PyTorch checkpoint read safely from the zip format {@code torch.save} writes (PyTorch 1.6 to 2.x),
 * such as the official CropMAE trainer's
 * {@code {'model': state_dict, 'optimizer': ..., 'epoch': int, 'scaler': ..., 'args': Namespace}}.
 *
 * <p>Reading never executes code from the file. The pickle is interpreted by a restricted machine:
 * tensors are rebuilt from an allowlist of PyTorch functions emulated in Java, and any other Python
 * global (e.g. {@code argparse.Namespace}, or a hostile {@code os.system}) becomes an inert
 * {@link PickleObject} that is never resolved or invoked. Python values map to Java as: None → null,
 * bool → {@link Boolean}, int → {@link Long} (or {@link java.math.BigInteger} beyond 64 bits),
 * float → {@link Double}, str → {@link String}, bytes → read-only {@link java.nio.ByteBuffer},
 * tuple/list → read-only {@link List}, dict/OrderedDict → read-only {@link Map} ({@link PickleDict}),
 * set → read-only {@link Set}, tensor → {@link TorchTensor}, NumPy scalar → Double/Long/Boolean.
 *
 * <p>Every tensor's values are read eagerly into memory; instances are immutable and thread-safe.
 */
public final class TorchCheckpoint {
  private static final String DDP_PREFIX = "module.";
  /** How many times its storages' bytes the copied-out tensors may take (see {@link #materialize}). */
  private static final long MAX_VIEW_EXPANSION = 64;

  private final Path file;
  private final String archiveName;
  private final Map<String, String> records;
  private final Object root;

  private TorchCheckpoint(Path file, String archiveName, Map<String, String> records, Object root) {
    this.file = file;
    this.archiveName = archiveName;
    this.records = records;
    this.root = root;
  }

  /**
   * Reads a checkpoint written by {@code torch.save} (zip format, PyTorch >= 1.6).
   *
   * @throws IOException with a one-line message naming the file if it is missing, not a zip
   *     checkpoint (legacy format, TorchScript archive...), truncated, corrupt or tampered with, or if a
   *     tensor needs a storage record that is missing, too short, or of a type that is not allowed
   */
  public static TorchCheckpoint read(Path file) throws IOException {
    return read(file, CheckpointLimits.defaults());
  }

  /**
   * {@link #read(Path)} within {@code limits}: a checkpoint that would exceed one is refused with a
   * one-line IOException before the memory or time is spent.
   */
  public static TorchCheckpoint read(Path file, CheckpointLimits limits) throws IOException {
    try {
      return readWithin(file, limits);
    } catch (IOException e) {
      // Names from the file (zip entries, storage keys) are escaped where they are quoted; this keeps
      // any that is not from breaking the one-line message.
      String m = e.getMessage();
      if (m != null && !PickleStrings.printable(m).equals(m)) {
        throw new IOException(PickleStrings.printable(m), e);
      }
      throw e;
    } catch (OutOfMemoryError e) {
      // Last line of defence: the budget checks refuse first; this keeps a stack trace from escaping.
      throw new IOException(file + ": out of memory while reading the checkpoint (" + e.getMessage()
          + "); run with a larger -Xmx if the file is genuine");
    } catch (StackOverflowError e) {
      throw new IOException(file + ": the checkpoint nests too deeply to read (stack overflow)");
    }
  }

  private static TorchCheckpoint readWithin(Path file, CheckpointLimits limits) throws IOException {
    try (CheckpointArchive archive = CheckpointArchive.open(file)) {
      Map<String, String> records = new LinkedHashMap<>();
      for (String name : List.of("version", ".format_version", ".storage_alignment", "byteorder")) {
        String v = archive.textRecord(name);
        if (v != null) {
          records.put(name, v);
        }
      }
      ByteOrder order = archive.byteOrder();
      byte[] pickle = archive.pickle(limits.maxPickleBytes());
      Map<String, TorchTensor> storages = new LinkedHashMap<>();
      Object root;
      try {
        root = PickleMachine.load(pickle, pid -> storage(pid, storages), limits);
      } catch (PickleException e) {
        throw new IOException(file + ": " + archive.archiveName() + "/data.pkl: " + e.getMessage(), e);
      }
      materialize(archive, reachableTensors(root), order, limits);
      return new TorchCheckpoint(file, archive.archiveName(), Collections.unmodifiableMap(records), root);
    }
  }

  /**
   * Resolves a persistent id {@code ('storage', storage_type, key, location, numel)} to the storage
   * (as a raw-storage tensor), the same object for every reference to the same key.
   */
  static Object storage(Object pid, Map<String, TorchTensor> storages) throws PickleException {
    if (!(pid instanceof PickleTuple t) || t.size() != 5 || !"storage".equals(t.get(0))) {
      throw new PickleException("unsupported persistent id " + PickleText.render(pid)
          + " (expected ('storage', type, key, location, numel))");
    }
    Allowlist.StorageKind kind = t.get(1) instanceof PickleGlobal g ? Allowlist.storageKind(g) : null;
    if (kind == null) {
      throw new PickleException("persistent id names storage type " + PickleText.render(t.get(1))
          + ", which is not an allowed torch storage type");
    }
    if (!(t.get(2) instanceof String key) || key.isEmpty() || !(t.get(4) instanceof Long numel) || numel < 0) {
      throw new PickleException("malformed storage persistent id " + PickleText.render(pid));
    }
    String location = t.get(3) instanceof String s ? s : String.valueOf(t.get(3));
    StorageRef ref = new StorageRef(key, kind.dtype(), numel, location, kind.untyped());
    TorchTensor known = storages.get(key);
    if (known != null) {
      StorageRef k = known.storage();
      if (k.dtype() != ref.dtype() || k.numel() != ref.numel() || k.untyped() != ref.untyped()) {
        throw new PickleException("storage '" + key + "' is declared twice with different types or sizes");
      }
      return known;
    }
    if (numel > Integer.MAX_VALUE - 8) {
      throw new PickleException("storage '" + key + "' of " + numel + " elements exceeds the Java array limit");
    }
    TorchTensor s = TorchTensor.ofStorage(ref, (int) (long) numel);
    storages.put(key, s);
    return s;
  }

  /** All tensors reachable from {@code root}, each once, in pickle order. */
  private static Set<TorchTensor> reachableTensors(Object root) {
    Set<TorchTensor> found = new LinkedHashSet<>();
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Object> todo = new ArrayDeque<>();
    todo.push(wrapNull(root));
    while (!todo.isEmpty()) {
      Object v = todo.pop();
      if (v == NULL || !seen.add(v)) {
        continue;
      }
      if (v instanceof TorchTensor t) {
        found.add(t);
      } else if (v instanceof Map<?, ?> m) {
        m.forEach((k, x) -> {
          todo.push(wrapNull(k));
          todo.push(wrapNull(x));
        });
        if (v instanceof PickleDict d) {
          d.attributes().values().forEach(x -> todo.push(wrapNull(x)));
        }
      } else if (v instanceof Iterable<?> items) {
        items.forEach(x -> todo.push(wrapNull(x)));
      } else if (v instanceof PickleObject o) {
        todo.push(o.args());
        todo.push(o.kwargs());
        todo.push(wrapNull(o.state()));
        todo.push(o.listItems());
        todo.push(o.dictItems());
      }
    }
    return found;
  }

  private static final Object NULL = new Object();

  private static Object wrapNull(Object v) {
    return v == null ? NULL : v;
  }

  /** Reads each needed storage record once and copies every tensor's view out of it. */
  private static void materialize(CheckpointArchive archive, Set<TorchTensor> tensors, ByteOrder order,
      CheckpointLimits limits) throws IOException {
    // Group by (storage, dtype): an untyped storage may be viewed as several dtypes.
    Map<String, List<TorchTensor>> groups = new LinkedHashMap<>();
    long tensorBytes = 0;
    long storageBytes = 0;
    long largestStorage = 0;
    String largestKey = null;
    for (TorchTensor t : tensors) {
      List<TorchTensor> group = groups.computeIfAbsent(t.storage().key() + "\u0000" + t.dtype(),
          k -> new java.util.ArrayList<>());
      if (group.isEmpty()) {
        long b = t.storage().byteSize();
        storageBytes += b;
        if (b > largestStorage || largestKey == null) {
          largestStorage = b;
          largestKey = t.storage().key();
        }
      }
      group.add(t);
      tensorBytes += (long) t.size() * t.dtype().bytes();
    }
    // Views are copied out to C order, so stride-0 (expanded) views could make a tiny file claim
    // unbounded memory; real checkpoints' tensors cover their storages about once.
    long limit = MAX_VIEW_EXPANSION * storageBytes + (1L << 26);
    if (tensorBytes > limit) {
      throw new IOException(archive.file() + ": tensors would expand " + storageBytes + " bytes of storage to "
          + tensorBytes + " bytes (more than " + MAX_VIEW_EXPANSION + "x); refusing such expanded views");
    }
    // Memory budget, from the declared sizes, before anything is allocated: all tensors' copies are kept,
    // and one storage's decoded elements live while its tensors are copied out.
    long peak = tensorBytes + largestStorage;
    if (peak > limits.maxTensorBytes()) {
      throw new IOException(archive.file() + ": its tensors need " + peak + " bytes of memory (" + tensors.size()
          + " tensors of " + tensorBytes + " bytes, largest storage " + archive.storageRecordName(largestKey) + " of "
          + largestStorage + " bytes) but only " + limits.maxTensorBytes() + " bytes are available; "
          + "run with a larger -Xmx if the file is genuine");
    }
    // Every needed record's declared sizes against the archive's real size, before any allocation.
    for (List<TorchTensor> group : groups.values()) {
      ZipEntry entry = archive.storageEntry(group.get(0).storage().key());
      if (entry != null) {
        archive.checkDeclaredSizes(entry, Long.MAX_VALUE);
      }
    }
    for (List<TorchTensor> group : groups.values()) {
      TorchTensor first = group.get(0);
      StorageRef ref = first.storage();
      TorchDType dtype = first.dtype();
      long elements = ref.byteSize() / dtype.bytes();
      long needed = elements * dtype.bytes();
      String recordName = archive.storageRecordName(ref.key());
      String owner = dtype + " tensor " + java.util.Arrays.toString(first.shape());
      ZipEntry entry = archive.storageEntry(ref.key());
      Object values;
      if (entry == null) {
        if (needed > 0) {
          throw new IOException(archive.file() + ": storage record " + recordName + " is missing (needed by a "
              + owner + ")");
        }
        values = StorageData.newArray(dtype, 0);
      } else {
        if (entry.getCompressedSize() >= 0
            && needed > entry.getCompressedSize() * CheckpointArchive.MAX_DEFLATE_RATIO + 1024) {
          throw new IOException(archive.file() + ": storage record " + recordName + " claims " + needed
              + " bytes from " + entry.getCompressedSize() + " compressed bytes (corrupt zip)");
        }
        if (entry.getSize() >= 0 && entry.getSize() < needed) {
          throw new IOException(archive.file() + ": storage record " + recordName + " holds " + entry.getSize()
              + " bytes but its " + ref.numel() + "-element " + ref.dtype() + " storage needs " + needed
              + " (used by a " + owner + ")");
        }
        if (elements > Integer.MAX_VALUE - 8) {
          throw new IOException(archive.file() + ": storage record " + recordName + " of " + elements
              + " elements exceeds the Java array limit");
        }
        if (entry.getMethod() != ZipEntry.STORED) {
          // A deflated record's directory sizes are unverified until inflated: measure it (and check its
          // CRC-32) without keeping the bytes, so a lying directory cannot make us allocate.
          long real = archive.measure(entry);
          if (real < needed) {
            throw new IOException(archive.file() + ": storage record " + recordName + " inflates to " + real
                + " bytes but its " + ref.numel() + "-element " + ref.dtype() + " storage needs " + needed);
          }
        }
        try (VerifiedEntryStream in = archive.open(entry)) {
          values = StorageData.read(in, dtype, (int) elements, order);
          in.finish();
        } catch (EOFException | ZipException e) {
          throw archive.corrupt(recordName, e);
        }
      }
      for (TorchTensor t : group) {
        t.materialize(values);
      }
    }
  }

  /** The checkpoint file. */
  public Path file() {
    return file;
  }

  /** The unpickled object (for torch.save of a dict: a {@link Map}). */
  public Object root() {
    return root;
  }

  /** The top-level string keys when the checkpoint is a dict (e.g. model, optimizer, epoch...), else empty. */
  public Set<String> entryNames() {
    Set<String> names = new LinkedHashSet<>();
    if (root instanceof Map<?, ?> m) {
      for (Object k : m.keySet()) {
        if (k instanceof String s) {
          names.add(s);
        }
      }
    }
    return Collections.unmodifiableSet(names);
  }

  /** Whether the checkpoint is a dict with this top-level key. */
  public boolean hasEntry(String name) {
    return root instanceof Map<?, ?> m && m.containsKey(name);
  }

  /**
   * A top-level entry, e.g. {@code entry("epoch")} ({@link Long}) or {@code entry("args")} (an inert
   * {@link PickleObject} for {@code argparse.Namespace}, fields via {@link PickleObject#fields()}).
   *
   * @throws IllegalArgumentException if there is no such entry (the message lists those there are)
   */
  public Object entry(String name) {
    if (!hasEntry(name)) {
      throw new IllegalArgumentException(file + ": checkpoint has no entry '" + name + "' (entries: " + entryNames() + ")");
    }
    return ((Map<?, ?>) root).get(name);
  }

  /**
   * The model's tensors by parameter name: the {@code model} entry, else the {@code state_dict}
   * entry, else the checkpoint itself when it is a bare state_dict. A {@code module.} prefix that
   * DistributedDataParallel puts on every key is removed.
   *
   * @throws IllegalStateException if the checkpoint holds no state_dict
   */
  public Map<String, TorchTensor> tensors() {
    String source = stateDictSource();
    if (source == null) {
      throw new IllegalStateException(file + ": no state_dict found: no 'model' or 'state_dict' entry of tensors, "
          + "and the checkpoint is not itself a dict of tensors (entries: " + entryNames() + ")");
    }
    return source.isEmpty() ? tensorMap(root, "checkpoint") : tensors(source);
  }

  /** The entry holding the state_dict, "" when the checkpoint is a bare state_dict, null if none. */
  private String stateDictSource() {
    for (String name : List.of("model", "state_dict")) {
      if (hasEntry(name) && isTensorDict(entry(name))) {
        return name;
      }
    }
    return root instanceof Map<?, ?> m && !m.isEmpty() && isTensorDict(m) ? "" : null;
  }

  /**
   * The tensors of entry {@code name} (a dict of parameter name to tensor), {@code module.} prefix removed.
   *
   * @throws IllegalArgumentException if the entry is absent or is not a dict of tensors
   */
  public Map<String, TorchTensor> tensors(String name) {
    return tensorMap(entry(name), "entry '" + name + "'");
  }

  /**
   * {@link #tensors()} as arrays holding the exact saved values (see {@link TorchTensor#toNpyArray()}):
   * float32 weights as float32, int64 buffers as int64, each in C order with the tensor's shape, e.g.
   * for the official CropMAE encoder {@code patch_embed.proj.weight} {@code [D, 3, p, p]},
   * {@code cls_token} {@code [1, 1, D]}, {@code pos_embed} {@code [1, 1 + N, D]}.
   *
   * @throws IllegalStateException if the checkpoint holds no state_dict, or a tensor is float16/bfloat16
   *     (use {@link #stateDictFloat32()})
   */
  public Map<String, NpyArray> stateDict() {
    return convert(tensors(), this::exact);
  }

  /** {@link #tensors(String)} as exact arrays; see {@link #stateDict()}. */
  public Map<String, NpyArray> stateDict(String name) {
    return convert(tensors(name), this::exact);
  }

  /**
   * {@link #tensors()} with every tensor converted explicitly to float32 (see
   * {@link TorchTensor#toFloat32()}), e.g. to load a half-precision or double checkpoint into a float32 model.
   */
  public Map<String, NpyArray> stateDictFloat32() {
    return convert(tensors(), TorchTensor::toFloat32);
  }

  private NpyArray exact(TorchTensor t) {
    if (t.dtype() == TorchDType.FLOAT16 || t.dtype() == TorchDType.BFLOAT16) {
      throw new IllegalStateException(file + ": a state_dict tensor is " + t.dtype()
          + ", which has no exact NpyArray type; use stateDictFloat32() to convert explicitly");
    }
    return t.toNpyArray();
  }

  private static Map<String, NpyArray> convert(Map<String, TorchTensor> tensors, Function<TorchTensor, NpyArray> f) {
    Map<String, NpyArray> out = new LinkedHashMap<>();
    tensors.forEach((k, t) -> out.put(k, f.apply(t)));
    return Collections.unmodifiableMap(out);
  }

  private static boolean isTensorDict(Object v) {
    if (!(v instanceof Map<?, ?> m)) {
      return false;
    }
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String) || !(e.getValue() instanceof TorchTensor)) {
        return false;
      }
    }
    return true;
  }

  private Map<String, TorchTensor> tensorMap(Object v, String what) {
    if (!(v instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(file + ": " + what + " is a " + Allowlist.typeName(v) + ", not a dict of tensors");
    }
    boolean ddp = !m.isEmpty();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof TorchTensor)) {
        throw new IllegalArgumentException(file + ": " + what + " is not a dict of tensors: key "
            + PickleText.render(e.getKey()) + " holds a " + Allowlist.typeName(e.getValue()));
      }
      ddp &= k.startsWith(DDP_PREFIX);
    }
    Map<String, TorchTensor> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String k = (String) e.getKey();
      out.put(ddp ? k.substring(DDP_PREFIX.length()) : k, (TorchTensor) e.getValue());
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * A readable summary: file, archive name, format records ({@code version}, {@code byteorder},
   * {@code .format_version}, {@code .storage_alignment} when present), the entries, the state_dict
   * (tensor count, element count, dtypes) and a bounded rendering of every other entry.
   */
  public Map<String, String> describe() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("file", file.toString());
    d.put("archive", archiveName);
    d.putAll(records);
    if (!records.containsKey("byteorder")) {
      d.put("byteorder", "little (no byteorder record)");
    }
    d.put("entries", root instanceof Map<?, ?> ? entryNames().toString() : Allowlist.typeName(root));
    String source = stateDictSource();
    if (source == null) {
      d.put("state_dict", "none");
    } else {
      long elements = 0;
      Set<String> dtypes = new TreeSet<>();
      Map<String, TorchTensor> sd = tensors();
      for (TorchTensor t : sd.values()) {
        elements += t.size();
        dtypes.add(t.dtype().toString());
      }
      d.put("state_dict", (source.isEmpty() ? "" : "entry '" + source + "': ") + sd.size() + " tensors, "
          + elements + " elements, " + String.join("/", dtypes));
    }
    if (root instanceof Map<?, ?> m && !"".equals(source)) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (e.getKey() instanceof String k && !k.equals(source)) {
          d.put("entry." + k, PickleText.render(e.getValue()));
        }
      }
    }
    return Collections.unmodifiableMap(d);
  }

  @Override
  public String toString() {
    return "TorchCheckpoint[" + file + ", entries " + entryNames() + "]";
  }
}
