package org.cropmae.trainer.checkpoint;

import java.util.AbstractList;
import java.util.RandomAccess;

/** A Python {@code tuple}: a fixed, read-only {@link java.util.List}. */
final class PickleTuple extends AbstractList<Object> implements RandomAccess {
  static final PickleTuple EMPTY = new PickleTuple(new Object[0]);

  private final Object[] items;

  /** Takes ownership of {@code items}. */
  PickleTuple(Object[] items) {
    this.items = items;
  }

  @Override
  public Object get(int index) {
    return items[index];
  }

  @Override
  public int size() {
    return items.length;
  }

  @Override
  public String toString() {
    return PickleText.render(this);
  }
}
