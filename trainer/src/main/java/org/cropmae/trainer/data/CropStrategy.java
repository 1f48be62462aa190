package org.cropmae.trainer.data;

/**
 * How the two views of an image are made (the reference's {@code --crop_strategy}, classes of
 * {@code CropMAEStrategies.py}). View 0 is the one the model sees whole, view 1 the one it
 * reconstructs from 98.5% masked patches ({@code SiameseMAE.forward}: {@code imgs[:, 0]} unmasked,
 * {@code imgs[:, 1]} masked).
 *
 * <p>Each view is flipped horizontally on its own draw, after both crops are made.
 */
public enum CropStrategy {
  /**
   * The paper's default: view 0 = random resized crop of the image (global crop, resized to the
   * input size); view 1 = random resized crop of view 0's resized, not yet flipped pixels (local
   * crop). The masked local view is reconstructed from the global view.
   */
  GLOBAL_TO_LOCAL("GlobalToLocal"),
  /** Same crops as {@link #GLOBAL_TO_LOCAL}, order swapped: view 0 = local, view 1 = global. */
  LOCAL_TO_GLOBAL("LocalToGlobal"),
  /** Two independent global crops of the image (the local crop settings are unused). */
  RANDOM_VIEWS("RandomViews"),
  /** One global crop, flipped once, used as both views (one flip draw). */
  SAME_VIEWS("SameViews");

  private final String referenceName;

  CropStrategy(String referenceName) {
    this.referenceName = referenceName;
  }

  /** The reference's class name, e.g. {@code "GlobalToLocal"}. */
  public String referenceName() {
    return referenceName;
  }

  /**
   * Parses a reference class name ({@code GlobalToLocal}, ...) or an enum name
   * ({@code GLOBAL_TO_LOCAL}, case-insensitive).
   *
   * @throws IllegalArgumentException for anything else
   */
  public static CropStrategy fromName(String name) {
    for (CropStrategy s : values()) {
      if (s.referenceName.equals(name) || s.name().equalsIgnoreCase(name == null ? "" : name.strip())) {
        return s;
      }
    }
    throw new IllegalArgumentException("crop_strategy: '" + name + "' is not one of GlobalToLocal, LocalToGlobal, "
        + "RandomViews, SameViews");
  }
}
