package org.cropmae.trainer.data;

import java.util.Objects;

/**
 * How the two training views are made. {@link #builder()} starts from the paper's ImageNet run
 * ({@code scripts/train_cropmae_in.sh}): {@link CropStrategy#GLOBAL_TO_LOCAL}, 224x224 views,
 * global crops of 10-100% of the image area, local crops of 30-60% of the global view, aspect
 * ratios 3/4-4/3 for both, horizontal flip with probability 0.5, bilinear (antialiased) resizing,
 * no colour jitter, blur or elastic transform. Note that the reference's argparse defaults differ
 * for the areas (0.2-1.0 for both crops); the paper's script overrides them.
 *
 * @param strategy which crops make the two views
 * @param inputSize side of the square views, pixels
 * @param globalCrop sampling of crops of the image (the reference's {@code *_global} arguments)
 * @param localCrop sampling of crops of the global view (the {@code *_local} arguments)
 * @param horizontalFlipP probability of flipping each view, in {@code [0, 1]}
 * @param interpolation filter of the crop resizes
 * @param colorJitter the reference's {@code --use_color_jitter} (not implemented here)
 * @param gaussianBlur the reference's {@code --use_gaussian_blur} (not implemented here)
 * @param elasticTransform the reference's {@code --use_elastic_transform} (not implemented here)
 */
public record ViewConfig(
    CropStrategy strategy, int inputSize, RandomResizedCrop globalCrop, RandomResizedCrop localCrop,
    double horizontalFlipP, Interpolation interpolation, boolean colorJitter, boolean gaussianBlur,
    boolean elasticTransform) {

  public ViewConfig {
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(globalCrop, "globalCrop");
    Objects.requireNonNull(localCrop, "localCrop");
    Objects.requireNonNull(interpolation, "interpolation");
    if (inputSize < 1) {
      throw new IllegalArgumentException("inputSize: must be positive, got " + inputSize);
    }
    if (!(horizontalFlipP >= 0 && horizontalFlipP <= 1)) {
      throw new IllegalArgumentException("horizontalFlipP: must be in [0, 1], got " + horizontalFlipP);
    }
  }

  /** The paper's ImageNet settings (see the class comment). */
  public static ViewConfig paperImageNet() {
    return builder().build();
  }

  /** A builder holding the paper's ImageNet settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.strategy = strategy;
    b.inputSize = inputSize;
    b.globalCrop = globalCrop;
    b.localCrop = localCrop;
    b.horizontalFlipP = horizontalFlipP;
    b.interpolation = interpolation;
    b.colorJitter = colorJitter;
    b.gaussianBlur = gaussianBlur;
    b.elasticTransform = elasticTransform;
    return b;
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private CropStrategy strategy = CropStrategy.GLOBAL_TO_LOCAL;
    private int inputSize = 224;
    private RandomResizedCrop globalCrop = new RandomResizedCrop(0.10, 1.0, 3.0 / 4.0, 4.0 / 3.0);
    private RandomResizedCrop localCrop = new RandomResizedCrop(0.3, 0.6, 3.0 / 4.0, 4.0 / 3.0);
    private double horizontalFlipP = 0.5;
    private Interpolation interpolation = Interpolation.BILINEAR;
    private boolean colorJitter;
    private boolean gaussianBlur;
    private boolean elasticTransform;

    private Builder() {}

    public Builder strategy(CropStrategy strategy) {
      this.strategy = strategy;
      return this;
    }

    /** Side of the square views in pixels (default 224). */
    public Builder inputSize(int inputSize) {
      this.inputSize = inputSize;
      return this;
    }

    /** Area fraction range of the global crops (default 0.10-1.0). */
    public Builder globalScale(double min, double max) {
      globalCrop = new RandomResizedCrop(min, max, globalCrop.ratioMin(), globalCrop.ratioMax());
      return this;
    }

    /** Aspect ratio (width / height) range of the global crops (default 3/4-4/3). */
    public Builder globalRatio(double min, double max) {
      globalCrop = new RandomResizedCrop(globalCrop.scaleMin(), globalCrop.scaleMax(), min, max);
      return this;
    }

    /** Area fraction range of the local crops, relative to the global view (default 0.3-0.6). */
    public Builder localScale(double min, double max) {
      localCrop = new RandomResizedCrop(min, max, localCrop.ratioMin(), localCrop.ratioMax());
      return this;
    }

    /** Aspect ratio (width / height) range of the local crops (default 3/4-4/3). */
    public Builder localRatio(double min, double max) {
      localCrop = new RandomResizedCrop(localCrop.scaleMin(), localCrop.scaleMax(), min, max);
      return this;
    }

    /** Probability of flipping each view horizontally (default 0.5). */
    public Builder horizontalFlipP(double p) {
      this.horizontalFlipP = p;
      return this;
    }

    public Builder interpolation(Interpolation interpolation) {
      this.interpolation = interpolation;
      return this;
    }

    /** Colour jitter on the global view (not implemented: {@link ViewSampler} refuses it). */
    public Builder colorJitter(boolean on) {
      this.colorJitter = on;
      return this;
    }

    /** Gaussian blur on the global view (not implemented: {@link ViewSampler} refuses it). */
    public Builder gaussianBlur(boolean on) {
      this.gaussianBlur = on;
      return this;
    }

    /** Elastic transform on the global view (not implemented: {@link ViewSampler} refuses it). */
    public Builder elasticTransform(boolean on) {
      this.elasticTransform = on;
      return this;
    }

    public ViewConfig build() {
      return new ViewConfig(strategy, inputSize, globalCrop, localCrop, horizontalFlipP, interpolation, colorJitter,
          gaussianBlur, elasticTransform);
    }
  }
}
