package org.cropmae.trainer.train;

/**
 * The official learning-rate schedule ({@code lr_sched.adjust_learning_rate}): linear warm-up from
 * 0 to {@code peakLr} over {@code warmupEpochs}, then a half-cycle cosine down to {@code minLr} at
 * {@code epochs}, evaluated per iteration at the fractional epoch {@code epoch + i / iterations}.
 *
 * @param peakLr absolute learning rate after warm-up ({@code args.lr = blr * effective batch / 256})
 * @param minLr floor of the cosine ({@code min_lr_prop * lr}; 0 in the paper)
 * @param warmupEpochs whole epochs of warm-up, {@code int(warmup_epochs_prop * epochs)} (20 of 400)
 * @param epochs length of the run in epochs
 */
public record LearningRateSchedule(double peakLr, double minLr, int warmupEpochs, int epochs) {

  public LearningRateSchedule {
    if (!(peakLr >= 0) || !Double.isFinite(peakLr)) {
      throw new IllegalArgumentException("peakLr must be finite and >= 0, got " + peakLr);
    }
    if (!(minLr >= 0 && minLr <= peakLr)) {
      throw new IllegalArgumentException("minLr must be in [0, peakLr], got " + minLr);
    }
    if (epochs < 1 || warmupEpochs < 0 || warmupEpochs > epochs) {
      throw new IllegalArgumentException("need 0 <= warmupEpochs <= epochs and epochs >= 1, got warmup "
          + warmupEpochs + " of " + epochs);
    }
  }

  /**
   * The schedule of a run as the official trainer derives it.
   *
   * @param warmupEpochsProp fraction of the epochs spent warming up (0.05); truncated to whole epochs
   * @param minLrProp {@code minLr / peakLr} (0)
   */
  public static LearningRateSchedule of(double peakLr, double minLrProp, double warmupEpochsProp, int epochs) {
    if (!(warmupEpochsProp >= 0 && warmupEpochsProp <= 1)) {
      throw new IllegalArgumentException("warmupEpochsProp must be in [0, 1], got " + warmupEpochsProp);
    }
    if (!(minLrProp >= 0 && minLrProp <= 1)) {
      throw new IllegalArgumentException("minLrProp must be in [0, 1], got " + minLrProp);
    }
    return new LearningRateSchedule(peakLr, minLrProp * peakLr, (int) (warmupEpochsProp * epochs), epochs);
  }

  /**
   * The learning rate at fractional epoch {@code epoch} (in {@code [0, epochs]}).
   */
  public double lr(double epoch) {
    if (epoch < warmupEpochs) {
      return peakLr * epoch / warmupEpochs;
    }
    // epochs == warmupEpochs leaves no cosine phase; the official code would divide by zero there.
    if (epochs == warmupEpochs) {
      return peakLr;
    }
    return minLr + (peakLr - minLr) * 0.5 * (1.0 + Math.cos(Math.PI * (epoch - warmupEpochs) / (epochs - warmupEpochs)));
  }
}
