package org.cropmae.trainer.export;

/** A small architecture for fast tests of graph structure (not of trained numerics). */
final class TinyArch {
  private TinyArch() {}

  /** Patch 8, embed 32, depth 1, 2 heads of 16, MLP 64, trained on a 4x4 grid (32x32 pixels). */
  static final EncoderArchitecture ARCH = new EncoderArchitecture("tiny", 8, 32, 1, 2, 64, 4, 1e-6);
}
