package org.cropmae.trainer.checkpoint;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * A Python {@code tuple}: a fixed, read-only {@link java.util.List}. It records how deeply tuples are
 * nested in it, so the unpickler can bound the recursion that hashing a tuple key costs.
 */
final class PickleTuple extends AbstractList<Object> implements RandomAccess {
  static final PickleTuple EMPTY = new PickleTuple(new Object[0]);

  private final Object[] items;
  private final int depth;

  PickleTuple(Object[] items) {
    this.items = items;
    int d = 0;
    for (Object o : items) {
      if (o instanceof PickleTuple t) {
        d = Math.max(d, t.depth);
      }
    }
    this.depth = d + 1;
  }

  /** 1 for a tuple without tuples in it, 2 when it holds such a tuple, and so on. */
  int depth() {
    return depth;
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
