package org.cropmae.trainer.data;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.preprocess.ImageNormalization;

/**
 * Makes the two normalised views of an image, as the reference's {@code CropMAEStrategies}
 * classes do on a PIL image: crops resized with Pillow's filters ({@link PillowResize}), then per
 * view a horizontal flip with probability {@code p}, conversion to float32 ({@code x * (1/255)}
 * in float32, as {@code ToDtype(float32, scale=True)}) and ImageNet normalisation ({@code (x -
 * mean) / std} in float32, as {@code Normalize}).
 *
 * <p>Random draws, in the reference's order: global crop (and, for the two-crop strategies, the
 * second crop), then one flip draw per view ({@code nextDouble() < p} flips, like torch's
 * {@code rand(1) >= p} skipping). Output values are bit-identical to the reference for the same
 * crop boxes, flips and decoded pixels.
 *
 * <p>Immutable and thread-safe.
 */
public final class ViewSampler {
  private final ViewConfig config;
  private final int size;
  /** Per channel, the normalised float of each byte value: {@code lut[c * 256 + v]}. */
  private final float[] lut;

  /**
   * @throws UnsupportedOperationException when the configuration asks for colour jitter,
   *     Gaussian blur or an elastic transform, which are not implemented
   */
  public ViewSampler(ViewConfig config) {
    List<String> missing = new ArrayList<>();
    if (config.colorJitter()) {
      missing.add("colour jitter");
    }
    if (config.gaussianBlur()) {
      missing.add("Gaussian blur");
    }
    if (config.elasticTransform()) {
      missing.add("elastic transform");
    }
    if (!missing.isEmpty()) {
      throw new UnsupportedOperationException("ViewConfig: " + String.join(", ", missing)
          + " not implemented (the paper trains without them); turn the flag off");
    }
    this.config = config;
    this.size = config.inputSize();
    this.lut = normalisationTable(ImageNormalization.IMAGENET);
  }

  /** Values of {@code ToDtype(float32, scale=True)} then {@code Normalize(mean, std)} per byte. */
  static float[] normalisationTable(ImageNormalization norm) {
    float[] mean = norm.mean();
    float[] std = norm.std();
    // torchvision multiplies by the Python float 1/255, which PyTorch applies as a float32 scalar.
    float scale = (float) (1.0 / 255);
    float[] lut = new float[3 * 256];
    for (int c = 0; c < 3; c++) {
      for (int v = 0; v < 256; v++) {
        float x = v * scale;
        lut[c * 256 + v] = (x - mean[c]) / std[c];
      }
    }
    return lut;
  }

  public ViewConfig config() {
    return config;
  }

  /** Floats of one normalised view, {@code 3 * inputSize * inputSize}. */
  public int floatsPerView() {
    return 3 * size * size;
  }

  /** Draws both views of {@code image} as 8-bit crops with their boxes and flips. */
  public ViewPair sampleViews(RgbImage image, RandomGenerator rng) {
    Interpolation f = config.interpolation();
    switch (config.strategy()) {
      case GLOBAL_TO_LOCAL:
      case LOCAL_TO_GLOBAL: {
        CropBox gBox = config.globalCrop().sample(image.width(), image.height(), rng);
        RgbImage global = PillowResize.resizedCrop(image, gBox, size, size, f);
        CropBox lBox = config.localCrop().sample(size, size, rng);
        RgbImage local = PillowResize.resizedCrop(global, lBox, size, size, f);
        ViewPair.View g = new ViewPair.View(global, gBox, flip(rng));
        ViewPair.View l = new ViewPair.View(local, lBox, flip(rng));
        return config.strategy() == CropStrategy.GLOBAL_TO_LOCAL ? new ViewPair(g, l) : new ViewPair(l, g);
      }
      case RANDOM_VIEWS: {
        CropBox b1 = config.globalCrop().sample(image.width(), image.height(), rng);
        RgbImage v1 = PillowResize.resizedCrop(image, b1, size, size, f);
        CropBox b2 = config.globalCrop().sample(image.width(), image.height(), rng);
        RgbImage v2 = PillowResize.resizedCrop(image, b2, size, size, f);
        return new ViewPair(new ViewPair.View(v1, b1, flip(rng)), new ViewPair.View(v2, b2, flip(rng)));
      }
      case SAME_VIEWS: {
        CropBox b = config.globalCrop().sample(image.width(), image.height(), rng);
        ViewPair.View v = new ViewPair.View(PillowResize.resizedCrop(image, b, size, size, f), b, flip(rng));
        return new ViewPair(v, v);
      }
      default:
        throw new AssertionError(config.strategy());
    }
  }

  private boolean flip(RandomGenerator rng) {
    return rng.nextDouble() < config.horizontalFlipP();
  }

  /** Bytes of one view's pixels, {@code 3 * inputSize * inputSize}. */
  public int bytesPerView() {
    return 3 * size * size;
  }

  /**
   * Draws both views and writes their 8-bit pixels, flipped where drawn, at {@code out[offset
   * ..]} as {@code [2, 3, inputSize, inputSize]} (view, channel RGB, row, column). The model's
   * input is these bytes mapped through {@link #normalisationTable()}: the trainer ships bytes to
   * the device (a quarter of the float32 traffic) and normalises there.
   */
  public void samplePixels(RgbImage image, RandomGenerator rng, byte[] out, int offset) {
    ViewPair pair = sampleViews(image, rng);
    writePixels(pair.first(), out, offset);
    writePixels(pair.second(), out, offset + bytesPerView());
  }

  /**
   * Draws both views and writes them normalised at {@code out[offset ..]} as {@code [2, 3,
   * inputSize, inputSize]}: {@link #samplePixels} then {@link #normalise}.
   */
  public void sample(RgbImage image, RandomGenerator rng, float[] out, int offset) {
    byte[] pixels = new byte[2 * bytesPerView()];
    samplePixels(image, rng, pixels, 0);
    normalise(pixels, 0, pixels.length, out, offset);
  }

  /** {@link #sample(RgbImage, RandomGenerator, float[], int)} into a new array. */
  public float[] sample(RgbImage image, RandomGenerator rng) {
    float[] out = new float[2 * floatsPerView()];
    sample(image, rng, out, 0);
    return out;
  }

  /**
   * Writes one view, flipped if it says so and normalised, at {@code out[offset ..]} as {@code [3,
   * H, W]}.
   */
  public void normalize(ViewPair.View view, float[] out, int offset) {
    byte[] pixels = new byte[3 * view.crop().width() * view.crop().height()];
    writePixels(view, pixels, 0);
    normalise(pixels, 0, pixels.length, out, offset);
  }

  /**
   * Writes one view's 8-bit pixels, flipped if it says so, at {@code out[offset ..]} as {@code [3,
   * H, W]}.
   */
  public void writePixels(ViewPair.View view, byte[] out, int offset) {
    RgbImage crop = view.crop();
    int w = crop.width();
    int h = crop.height();
    byte[] rgb = crop.rgb();
    int plane = w * h;
    boolean flipped = view.flipped();
    for (int y = 0; y < h; y++) {
      int row = y * w;
      for (int x = 0; x < w; x++) {
        int p = (row + (flipped ? w - 1 - x : x)) * 3;
        int o = offset + row + x;
        out[o] = rgb[p];
        out[o + plane] = rgb[p + 1];
        out[o + 2 * plane] = rgb[p + 2];
      }
    }
  }

  /**
   * Maps {@code length} planar pixels {@code [.., 3, inputSize, inputSize]} (whole views) from
   * {@code pixels[from ..]} through {@link #normalisationTable()} into {@code out[offset ..]}.
   */
  public void normalise(byte[] pixels, int from, int length, float[] out, int offset) {
    int plane = size * size;
    if (length % (3 * plane) != 0) {
      throw new IllegalArgumentException("normalise: " + length + " bytes are not whole views of " + 3 * plane);
    }
    for (int i = 0; i < length; i++) {
      int channel = (i / plane) % 3;
      out[offset + i] = lut[channel * 256 + (pixels[from + i] & 0xFF)];
    }
  }

  /**
   * The normalised float32 of each byte value per channel, {@code [3 * 256]} as {@code
   * table[c * 256 + v]}: a copy, for normalising on another device.
   */
  public float[] normalisationTable() {
    return lut.clone();
  }
}
