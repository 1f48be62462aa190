package org.cropmae.trainer.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An inert record of a Python object the checkpoint would have built by calling a global that is
 * not on the reader's allowlist (e.g. {@code argparse.Namespace}, {@code pathlib.PosixPath}, or a
 * hostile {@code os.system}). The callable is never resolved, loaded or invoked: this object only
 * records what the pickle asked for.
 *
 * <p>For a plain Python object such as {@code argparse.Namespace}, {@link #fields()} exposes its
 * attributes (the {@code __dict__} the pickle restores), e.g. {@code args.fields().get("masking_ratio")}.
 * Identity semantics like Python's default: two instances are equal only if they are the same.
 */
public final class PickleObject {
  private final PickleGlobal type;
  private final List<Object> args;
  private final Map<String, Object> kwargs;
  private Object state;
  private boolean hasState;
  private PickleList listItems;
  private PickleDict dictItems;

  PickleObject(PickleGlobal type, List<Object> args, Map<String, Object> kwargs) {
    this.type = type;
    this.args = args;
    this.kwargs = kwargs;
  }

  /** The global that would have been called, e.g. {@code argparse.Namespace}. */
  public PickleGlobal type() {
    return type;
  }

  /** {@code type().module()}. */
  public String module() {
    return type.module();
  }

  /** {@code type().name()}. */
  public String name() {
    return type.name();
  }

  /** The positional arguments of the call (possibly empty). */
  public List<Object> args() {
    return args;
  }

  /** Keyword arguments of the call (only protocol-4 {@code NEWOBJ_EX} has them; usually empty). */
  public Map<String, Object> kwargs() {
    return kwargs;
  }

  /** Whether the pickle set a state ({@code BUILD}) on the object. */
  public boolean hasState() {
    return hasState;
  }

  /** The state the pickle set ({@code __setstate__} argument, usually the {@code __dict__}), or null. */
  public Object state() {
    return state;
  }

  /**
   * The object's attributes: the state when it is a dict with string keys, merged with the slot
   * dict when the state is a {@code (dict, slots)} pair. Empty when there is no such state.
   */
  public Map<String, Object> fields() {
    Map<String, Object> out = new LinkedHashMap<>();
    if (state instanceof Map<?, ?> m) {
      addStringKeys(m, out);
    } else if (state instanceof PickleTuple t && t.size() == 2) {
      for (Object part : t) {
        if (part instanceof Map<?, ?> m) {
          addStringKeys(m, out);
        }
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * One attribute, e.g. {@code field("masking_ratio")} of an {@code argparse.Namespace}.
   *
   * @throws IllegalArgumentException if the object has no such attribute (the message lists those it has)
   */
  public Object field(String name) {
    Map<String, Object> f = fields();
    if (!f.containsKey(name)) {
      throw new IllegalArgumentException(
          type + " object has no attribute '" + name + "' (it has " + f.keySet() + ")");
    }
    return f.get(name);
  }

  /** Items the pickle appended to the object (list subclasses); empty if none. */
  public List<Object> listItems() {
    return listItems == null ? List.of() : listItems;
  }

  /** Items the pickle set on the object (dict subclasses); empty if none. */
  public Map<Object, Object> dictItems() {
    return dictItems == null ? Map.of() : dictItems;
  }

  void setState(Object newState) {
    // A second BUILD on the same object updates its __dict__ in Python; merge dicts, else replace.
    if (hasState && state instanceof PickleDict old && newState instanceof Map<?, ?> extra) {
      extra.forEach(old::put0);
    } else {
      state = newState;
      hasState = true;
    }
  }

  void append(Object value) {
    if (listItems == null) {
      listItems = new PickleList();
    }
    listItems.append(value);
  }

  void setItem(Object key, Object value) {
    if (dictItems == null) {
      dictItems = new PickleDict();
    }
    dictItems.put0(key, value);
  }

  private static void addStringKeys(Map<?, ?> m, Map<String, Object> out) {
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (e.getKey() instanceof String k) {
        out.put(k, e.getValue());
      }
    }
  }

  @Override
  public String toString() {
    return PickleText.render(this);
  }
}
