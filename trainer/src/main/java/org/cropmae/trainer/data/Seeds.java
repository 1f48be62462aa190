package org.cropmae.trainer.data;

import java.util.SplittableRandom;

/**
 * Independent random streams keyed by (seed, purpose, epoch, position): each sample's randomness
 * depends only on its key, never on which thread draws it or in which order, so batches are the
 * same for any number of workers. The trainer keys its masking noise and dropout the same way, so a
 * resumed run draws exactly what an uninterrupted one would.
 */
public final class Seeds {
  /** Stream purposes. */
  static final long PERMUTATION = 0x7065726dL;
  static final long SAMPLE = 0x73616d70L;

  private Seeds() {}

  /**
   * A generator for the given key; distinct keys give statistically independent streams.
   *
   * @param purpose what the stream is for; callers outside this package pick their own constants
   */
  public static SplittableRandom stream(long seed, long purpose, long epoch, long position) {
    long h = mix(seed);
    h = mix(h ^ mix(purpose + 0x9E3779B97F4A7C15L));
    h = mix(h ^ mix(epoch + 0x3C6EF372FE94F82AL));
    h = mix(h ^ mix(position + 0xDAA66D2C7DDF743FL));
    return new SplittableRandom(h);
  }

  /** SplitMix64's finaliser (Stafford variant 13): a bijection that spreads every input bit. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
