package org.cropmae.runtime.mask;

import java.util.Arrays;
import org.cropmae.runtime.preprocess.Resize;
import org.cropmae.runtime.tensor.FloatGrid;

/**
 * The labels a video is segmented into: the distinct palette indices of its first frame's
 * annotation, ascending, channel {@code c} of every soft label map standing for {@code label(c)}.
 * It converts between index masks and the soft label maps {@code [H, W, C]} that label propagation
 * works on, as the official evaluation code ({@code data/vos.py}, {@code dump_predictions}) does.
 *
 * <p>Channel order: the reference collects the distinct <em>colours</em> of the first frame
 * ({@code cv2.imread} gives them as B, G, R) and sorts them with {@code np.unique}. For the DAVIS
 * palette that order equals the index order for indices 0..7, so the channels here are the same
 * for every DAVIS video with at most 7 objects; the order only matters for exact ties in the
 * argmax.
 */
public final class LabelSet {
  private final int[] labels;
  private final Palette palette;
  /** Channel of each palette index, -1 for indices outside the set. */
  private final int[] channelOf;

  private LabelSet(int[] labels, Palette palette) {
    this.labels = labels;
    this.palette = palette;
    this.channelOf = new int[256];
    Arrays.fill(channelOf, -1);
    for (int c = 0; c < labels.length; c++) {
      channelOf[labels[c]] = c;
    }
  }

  /** The distinct indices present in {@code firstFrame}, ascending, with its palette. */
  public static LabelSet of(IndexMask firstFrame) {
    boolean[] present = new boolean[256];
    for (byte b : firstFrame.indices()) {
      present[b & 0xFF] = true;
    }
    int[] labels = new int[256];
    int n = 0;
    for (int i = 0; i < 256; i++) {
      if (present[i]) {
        labels[n++] = i;
      }
    }
    return new LabelSet(Arrays.copyOf(labels, n), firstFrame.palette());
  }

  /**
   * An explicit label set.
   *
   * @param labels strictly ascending palette indices, each below {@code palette.size()}
   */
  public static LabelSet of(int[] labels, Palette palette) {
    if (labels == null || labels.length == 0) {
      throw new IllegalArgumentException("labels: a label set needs at least one label");
    }
    for (int c = 0; c < labels.length; c++) {
      if (labels[c] < 0 || labels[c] >= palette.size()) {
        throw new IllegalArgumentException("labels: index " + labels[c] + " is outside the palette of " + palette.size() + " entries");
      }
      if (c > 0 && labels[c] <= labels[c - 1]) {
        throw new IllegalArgumentException("labels must be strictly ascending, got " + Arrays.toString(labels));
      }
    }
    return new LabelSet(labels.clone(), palette);
  }

  /** Number of labels, the channel count {@code C} of the soft label maps. */
  public int channels() {
    return labels.length;
  }

  /** The palette index of channel {@code channel}. */
  public int label(int channel) {
    return labels[channel];
  }

  /** The palette indices, one per channel (a copy). */
  public int[] labels() {
    return labels.clone();
  }

  /** The palette of the first frame, given to predicted masks. */
  public Palette palette() {
    return palette;
  }

  /** The channel of palette index {@code index}, or -1 when it is not in the set. */
  public int channelOf(int index) {
    return index >= 0 && index < 256 ? channelOf[index] : -1;
  }

  /**
   * One-hot encoding: channel {@code c} is 1 where the mask has {@code label(c)}, else 0.
   *
   * @param mask annotation {@code [H, W]}
   * @return {@code [H, W, C]}
   * @throws IllegalArgumentException when the mask has an index outside the set
   */
  public FloatGrid oneHot(IndexMask mask) {
    byte[] idx = mask.indices();
    int c = labels.length;
    float[] out = new float[Math.multiplyExact(idx.length, c)];
    for (int i = 0; i < idx.length; i++) {
      int ch = channelOf[idx[i] & 0xFF];
      if (ch < 0) {
        throw new IllegalArgumentException("mask: index " + (idx[i] & 0xFF) + " at (y=" + i / mask.width() + ", x="
            + i % mask.width() + ") is not in the first frame's label set " + Arrays.toString(labels));
      }
      out[i * c + ch] = 1f;
    }
    return new FloatGrid(mask.height(), mask.width(), c, out);
  }

  /**
   * Resizes one-hot (or soft) labels to the feature grid with OpenCV {@code INTER_LINEAR}, as the
   * reference does ({@code cv2.resize(np.float32(onehot), (w, h))}, with {@code h = ceil(H / 16)},
   * {@code w = ceil(W / 16)} for patch 16).
   *
   * @param labels {@code [H, W, C]}
   * @return {@code [gridHeight, gridWidth, C]}
   */
  public static FloatGrid toFeatureGrid(FloatGrid labels, int gridHeight, int gridWidth) {
    return Resize.bilinear(labels, gridHeight, gridWidth);
  }

  /**
   * Hard labels from soft ones, as {@code dump_predictions} computes them: bilinear upsampling
   * ({@code INTER_LINEAR}) to {@code height x width}, argmax over channels (ties go to the lowest
   * channel, like {@code np.argmax}), channel mapped to its palette index.
   *
   * @param soft soft labels {@code [h, w, C]} with {@code C == channels()}
   * @return the mask {@code [height, width]} with this set's palette
   * @throws IllegalArgumentException when the channel count differs or a value is NaN
   */
  public IndexMask upsampleArgmax(FloatGrid soft, int height, int width) {
    int c = labels.length;
    if (soft.channels() != c) {
      throw new IllegalArgumentException("soft: has " + soft.channels() + " channels, the label set has " + c + " labels");
    }
    byte[] out = new byte[Math.multiplyExact(height, width)];
    byte[] asIndex = new byte[c];
    for (int k = 0; k < c; k++) {
      asIndex[k] = (byte) labels[k];
    }
    Resize.bilinearRows(soft, height, width, (y, row) -> {
      int o = y * width;
      for (int x = 0, p = 0; x < width; x++, p += c) {
        int best = 0;
        float max = row[p];
        boolean nan = max != max;
        for (int k = 1; k < c; k++) {
          float v = row[p + k];
          nan |= v != v;
          if (v > max) {
            max = v;
            best = k;
          }
        }
        if (nan) {
          throw new IllegalArgumentException("soft: NaN in the upsampled labels at (y=" + y + ", x=" + x + ")");
        }
        out[o + x] = asIndex[best];
      }
    });
    return new IndexMask(height, width, out, palette);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelSet s && Arrays.equals(s.labels, labels) && s.palette.equals(palette);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(labels) + palette.hashCode();
  }

  @Override
  public String toString() {
    return "LabelSet" + Arrays.toString(labels);
  }
}
