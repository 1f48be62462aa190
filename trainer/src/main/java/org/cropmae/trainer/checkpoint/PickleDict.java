package org.cropmae.trainer.checkpoint;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A Python {@code dict} or {@code collections.OrderedDict}, as a read-only {@link Map} in insertion
 * order. Keys are the unpickled values: {@link String}, {@link Long}, tuples as {@link java.util.List}...
 *
 * <p>An {@code OrderedDict} can also carry instance attributes, e.g. the {@code _metadata} (module
 * versions) that {@code Module.state_dict()} attaches; they are kept apart from the items.
 */
public final class PickleDict extends AbstractMap<Object, Object> {
  private final LinkedHashMap<Object, Object> items = new LinkedHashMap<>();
  private final LinkedHashMap<String, Object> attributes = new LinkedHashMap<>();

  PickleDict() {}

  void put0(Object key, Object value) {
    items.put(key, value);
  }

  void putAttribute(String name, Object value) {
    attributes.put(name, value);
  }

  /** Instance attributes set on the dict object (not its items), e.g. {@code _metadata}; read-only. */
  public Map<String, Object> attributes() {
    return Collections.unmodifiableMap(attributes);
  }

  @Override
  public Set<Entry<Object, Object>> entrySet() {
    return Collections.unmodifiableMap(items).entrySet();
  }

  @Override
  public Object get(Object key) {
    return items.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return items.containsKey(key);
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public String toString() {
    return PickleText.render(this);
  }
}
