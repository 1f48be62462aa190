package org.cropmae.trainer.checkpoint;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.RandomAccess;

/**
 * A Python {@code list}. Only the unpickler appends to it (pickles fill lists after creating them);
 * the public {@link java.util.List} view is read-only.
 */
final class PickleList extends AbstractList<Object> implements RandomAccess {
  private final ArrayList<Object> items = new ArrayList<>();

  void append(Object value) {
    items.add(value);
  }

  @Override
  public Object get(int index) {
    return items.get(index);
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
