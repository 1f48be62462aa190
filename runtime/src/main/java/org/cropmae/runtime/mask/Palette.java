package org.cropmae.runtime.mask;

import java.util.Arrays;

/**
 * The colour table of an indexed label image: 1 to 256 RGB entries, entry {@code i} being the
 * colour of label index {@code i}. Immutable.
 */
public final class Palette {
  /**
   * The DAVIS palette: the PASCAL VOC colour map, 256 entries. Index {@code i} gets its colour by
   * spreading the bits of {@code i} over the channels, three at a time from the most significant
   * colour bit down: bit {@code 3k} to red, {@code 3k+1} to green, {@code 3k+2} to blue, each at
   * colour bit {@code 7 - k}. So 0 is black, 1 {@code (128,0,0)}, 2 {@code (0,128,0)}, 3
   * {@code (128,128,0)}, 4 {@code (0,0,128)}... It is the palette stored in every DAVIS
   * annotation PNG.
   */
  public static final Palette DAVIS = pascalVoc();

  /** Grey levels: entry {@code i} is {@code (i, i, i)}, the colours of an 8-bit grey index image. */
  public static final Palette GRAYSCALE = grayscale();

  private final byte[] rgb;

  private Palette(byte[] rgb) {
    this.rgb = rgb;
  }

  /**
   * A palette from interleaved RGB bytes ({@code 3 * size} bytes, {@code size} in 1..256); the
   * bytes are copied.
   */
  public static Palette ofRgb(byte[] rgb) {
    if (rgb == null || rgb.length == 0 || rgb.length % 3 != 0 || rgb.length > 768) {
      throw new IllegalArgumentException("rgb: a palette needs 3 to 768 bytes, a multiple of 3, got "
          + (rgb == null ? "null" : rgb.length));
    }
    return new Palette(rgb.clone());
  }

  private static Palette pascalVoc() {
    byte[] rgb = new byte[768];
    for (int i = 0; i < 256; i++) {
      int r = 0, g = 0, b = 0;
      for (int k = 0, c = i; k < 8; k++, c >>= 3) {
        r |= (c & 1) << (7 - k);
        g |= ((c >> 1) & 1) << (7 - k);
        b |= ((c >> 2) & 1) << (7 - k);
      }
      rgb[3 * i] = (byte) r;
      rgb[3 * i + 1] = (byte) g;
      rgb[3 * i + 2] = (byte) b;
    }
    return new Palette(rgb);
  }

  private static Palette grayscale() {
    byte[] rgb = new byte[768];
    for (int i = 0; i < 768; i++) {
      rgb[i] = (byte) (i / 3);
    }
    return new Palette(rgb);
  }

  /** Number of entries, 1..256. */
  public int size() {
    return rgb.length / 3;
  }

  /** Red of entry {@code index}, 0..255. */
  public int red(int index) {
    return rgb[3 * check(index)] & 0xFF;
  }

  /** Green of entry {@code index}, 0..255. */
  public int green(int index) {
    return rgb[3 * check(index) + 1] & 0xFF;
  }

  /** Blue of entry {@code index}, 0..255. */
  public int blue(int index) {
    return rgb[3 * check(index) + 2] & 0xFF;
  }

  /** Entry {@code index} packed as {@code 0xRRGGBB}. */
  public int rgb(int index) {
    return (red(index) << 16) | (green(index) << 8) | blue(index);
  }

  /** The first index whose colour is {@code 0xRRGGBB}, or -1 when no entry has it. */
  public int indexOf(int rgb) {
    for (int i = 0; i < size(); i++) {
      if (rgb(i) == (rgb & 0xFFFFFF)) {
        return i;
      }
    }
    return -1;
  }

  /** The entries as interleaved RGB bytes (a copy). */
  public byte[] toRgbBytes() {
    return rgb.clone();
  }

  private int check(int index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException("palette index " + index + " outside 0.." + (size() - 1));
    }
    return index;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Palette p && Arrays.equals(p.rgb, rgb);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(rgb);
  }

  @Override
  public String toString() {
    return this.equals(DAVIS) ? "Palette[DAVIS]" : this.equals(GRAYSCALE) ? "Palette[GRAYSCALE]" : "Palette[" + size() + " entries]";
  }
}
