package org.cropmae.runtime.pose;

/**
 * The {@code k} largest values of a vector with PyTorch's CPU {@code torch.topk} tie-breaking.
 * {@code process_pose} takes the top 5 of a propagated map, which often holds exact copies of label
 * values, so which of several equal cells is kept changes the decoded joint by a fraction of a
 * cell; to match the reference those ties must fall as they fall in PyTorch.
 *
 * <p>PyTorch's CPU kernel ({@code TopKImpl.h}) pairs each value with its index and, when
 * {@code k * 64 <= n}, calls {@code std::partial_sort} with "greater value first" (NaN greatest).
 * This class replays libstdc++'s {@code partial_sort} exactly: a heap of the first {@code k}
 * pairs, each later pair that is strictly greater than the heap's top replacing it, then the heap
 * sorted. For {@code k * 64 > n} PyTorch uses {@code nth_element} (introselect); there this class
 * keeps the earliest of equal values, which can differ from PyTorch on exact ties only.
 */
final class TorchTopK {
  private TorchTopK() {}

  /**
   * @param values the vector, read at {@code values[offset + i * stride]} for {@code i < n}
   * @param k how many to keep, {@code 1 <= k <= n}
   * @param outValues the kept values, largest first
   * @param outIndices their positions {@code i}
   */
  static void topK(float[] values, int offset, int stride, int n, int k, float[] outValues, int[] outIndices) {
    float[] v = new float[k];
    int[] idx = new int[k];
    if ((long) k * 64 <= n) {
      for (int i = 0; i < k; i++) {
        v[i] = values[offset + i * stride];
        idx[i] = i;
      }
      makeHeap(v, idx, k);
      for (int i = k; i < n; i++) {
        float x = values[offset + i * stride];
        if (greater(x, v[0])) {
          adjustHeap(v, idx, 0, k, x, i);
        }
      }
      sortHeap(v, idx, k);
    } else {
      int filled = 0;
      for (int i = 0; i < n; i++) {
        float x = values[offset + i * stride];
        if (filled == k && !greater(x, v[k - 1])) {
          continue;
        }
        int pos = filled < k ? filled++ : k - 1;
        while (pos > 0 && greater(x, v[pos - 1])) {
          v[pos] = v[pos - 1];
          idx[pos] = idx[pos - 1];
          pos--;
        }
        v[pos] = x;
        idx[pos] = i;
      }
    }
    System.arraycopy(v, 0, outValues, 0, k);
    System.arraycopy(idx, 0, outIndices, 0, k);
  }

  /** PyTorch's comparator for "largest": NaN first, then by value. */
  private static boolean greater(float a, float b) {
    return (Float.isNaN(a) && !Float.isNaN(b)) || a > b;
  }

  // libstdc++'s heap algorithms (bits/stl_heap.h) with comp = greater, on parallel arrays.

  private static void makeHeap(float[] v, int[] idx, int len) {
    if (len < 2) {
      return;
    }
    for (int parent = (len - 2) / 2; ; parent--) {
      adjustHeap(v, idx, parent, len, v[parent], idx[parent]);
      if (parent == 0) {
        return;
      }
    }
  }

  private static void adjustHeap(float[] v, int[] idx, int hole, int len, float value, int valueIndex) {
    int top = hole;
    int child = hole;
    while (child < (len - 1) / 2) {
      child = 2 * (child + 1);
      if (greater(v[child], v[child - 1])) {
        child--;
      }
      v[hole] = v[child];
      idx[hole] = idx[child];
      hole = child;
    }
    if ((len & 1) == 0 && child == (len - 2) / 2) {
      child = 2 * (child + 1);
      v[hole] = v[child - 1];
      idx[hole] = idx[child - 1];
      hole = child - 1;
    }
    int parent = (hole - 1) / 2;
    while (hole > top && greater(v[parent], value)) {
      v[hole] = v[parent];
      idx[hole] = idx[parent];
      hole = parent;
      parent = (hole - 1) / 2;
    }
    v[hole] = value;
    idx[hole] = valueIndex;
  }

  private static void sortHeap(float[] v, int[] idx, int len) {
    for (int last = len - 1; last > 0; last--) {
      float value = v[last];
      int valueIndex = idx[last];
      v[last] = v[0];
      idx[last] = idx[0];
      adjustHeap(v, idx, 0, last, value, valueIndex);
    }
  }
}
