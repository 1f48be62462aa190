package org.cropmae.runtime.preprocess;

/**
 * How a benchmark sizes the frames it feeds the encoder, as the official {@code vos.py} /
 * {@code jhmdb.py} compute it from {@code --crop_size}. Labels are resized to the same size.
 */
public sealed interface ProtocolSize {

  /** DAVIS-2017: every frame resized to 480 x 880 (height x width), the paper's setting. */
  ProtocolSize DAVIS = new Fixed(480, 880);

  /** JHMDB: every frame resized to 320 x 320. */
  ProtocolSize JHMDB = new Fixed(320, 320);

  /** VIP: the longer side resized to 880, the other scaled and rounded down to a multiple of 64. */
  ProtocolSize VIP = new LongerSide(880);

  /**
   * The encoder input size for a frame of {@code height x width} pixels.
   *
   * @throws IllegalArgumentException when the size is not positive, or the protocol would shrink a
   *     side to nothing
   */
  ImageSize inputSize(int height, int width);

  /** A fixed size whatever the frame ({@code --crop_size H W}). */
  record Fixed(int height, int width) implements ProtocolSize {
    public Fixed {
      new ImageSize(height, width); // validates
    }

    @Override
    public ImageSize inputSize(int frameHeight, int frameWidth) {
      new ImageSize(frameHeight, frameWidth);
      return new ImageSize(height, width);
    }
  }

  /**
   * One number ({@code --crop_size S}): the longer side becomes {@code side}; the other is scaled by
   * the same factor, truncated to an integer, then rounded down to a multiple of 64
   * ({@code int(ori_h * S / ori_w) // 64 * 64}). A square frame takes the second branch of
   * {@code vos.py}: its height becomes {@code side} and its width is rounded down.
   */
  record LongerSide(int side) implements ProtocolSize {
    /** The multiple the shorter side is rounded down to. */
    public static final int MULTIPLE = 64;

    public LongerSide {
      if (side <= 0) {
        throw new IllegalArgumentException("side must be positive, got " + side);
      }
    }

    @Override
    public ImageSize inputSize(int frameHeight, int frameWidth) {
      new ImageSize(frameHeight, frameWidth);
      int h, w;
      if (frameWidth > frameHeight) {
        w = side;
        h = roundDown((int) ((double) ((long) frameHeight * side) / frameWidth));
      } else {
        h = side;
        w = roundDown((int) ((double) ((long) frameWidth * side) / frameHeight));
      }
      if (h == 0 || w == 0) {
        throw new IllegalArgumentException("a " + frameHeight + "x" + frameWidth + " frame is too elongated: its shorter side "
            + "becomes less than " + MULTIPLE + " pixels at longer side " + side);
      }
      return new ImageSize(h, w);
    }

    private static int roundDown(int x) {
      return x / MULTIPLE * MULTIPLE;
    }
  }
}
