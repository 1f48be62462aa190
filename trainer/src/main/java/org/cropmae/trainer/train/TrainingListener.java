package org.cropmae.trainer.train;

import java.nio.file.Path;

/**
 * Receives a training run's progress (the trainer prints nothing itself). Called on the training
 * thread; keep the methods quick. Every method has an empty default.
 */
public interface TrainingListener {

  /**
   * The run is set up and about to train.
   *
   * @param startEpoch first epoch to run (0, or the resumed checkpoint's epoch + 1)
   * @param epochs total epochs of the run
   * @param stepsPerEpoch iterations (batches) per epoch
   * @param images images in the dataset
   * @param peakLr absolute learning rate after warm-up
   * @param device where the model runs, e.g. {@code cpu()}
   * @param parameters number of trainable parameter values
   */
  record Start(int startEpoch, int epochs, int stepsPerEpoch, int images, double peakLr, String device,
      long parameters) {}

  /**
   * One iteration (forward and backward of one batch) finished.
   *
   * @param epoch epoch index from 0
   * @param step iteration within the epoch from 0
   * @param stepsPerEpoch iterations per epoch
   * @param loss this batch's loss (not divided by the accumulation count)
   * @param lr learning rate of the latest update
   * @param imagesPerSecond images per second since the epoch (or its resumption) started
   */
  record Step(int epoch, int step, int stepsPerEpoch, double loss, double lr, double imagesPerSecond) {}

  /**
   * A log interval ended (also written to {@code train_log.jsonl}).
   *
   * @param globalStep iterations since the start of training, counting resumed epochs
   * @param loss mean loss over the interval
   * @param imagesPerSecond over the interval
   * @param seconds since this process started training
   */
  record Log(int epoch, int step, long globalStep, double loss, double lr, double imagesPerSecond, double seconds) {}

  /**
   * An epoch ended.
   *
   * @param loss mean loss of its iterations
   * @param epochSeconds wall time of the epoch
   * @param unreadableFiles distinct images found unreadable (corrupt, truncated) since the run
   *     started; each was skipped and a random image took its place
   * @param skippedReads times an unreadable image was met and replaced since the run started
   */
  record Epoch(int epoch, int epochs, double loss, double lr, double imagesPerSecond, double epochSeconds,
      int unreadableFiles, long skippedReads) {}

  default void onStart(Start start) {}

  /** Epoch {@code epoch} (from 0) is about to run its {@code steps} iterations. */
  default void onEpochStart(int epoch, int steps) {}

  default void onStep(Step step) {}

  default void onLog(Log log) {}

  default void onEpochEnd(Epoch epoch) {}

  /**
   * A file was written: {@code kind} is {@code checkpoint}, {@code loss-plot},
   * {@code reconstruction} or {@code onnx}.
   */
  default void onFile(String kind, Path file) {}
}
