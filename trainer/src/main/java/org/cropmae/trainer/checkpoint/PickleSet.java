package org.cropmae.trainer.checkpoint;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Collections;

/** A Python {@code set} or {@code frozenset}; only the unpickler adds to it, the public view is read-only. */
final class PickleSet extends AbstractSet<Object> {
  private final LinkedHashSet<Object> items = new LinkedHashSet<>();
  private final boolean frozen;

  PickleSet(boolean frozen) {
    this.frozen = frozen;
  }

  /** A frozenset is hashable (may be a dict key); a set is not. */
  boolean frozen() {
    return frozen;
  }

  void add0(Object value) {
    items.add(value);
  }

  @Override
  public Iterator<Object> iterator() {
    return Collections.unmodifiableSet(items).iterator();
  }

  @Override
  public boolean contains(Object o) {
    return items.contains(o);
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
