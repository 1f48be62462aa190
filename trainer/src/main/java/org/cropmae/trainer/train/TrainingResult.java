package org.cropmae.trainer.train;

import java.nio.file.Path;

/**
 * What a finished run produced.
 *
 * @param firstEpoch the first epoch this process trained (after a resume: the checkpoint's + 1)
 * @param lastEpoch the last epoch trained ({@code epochs - 1})
 * @param finalLoss mean loss of the last epoch
 * @param globalStep iterations since the start of training, resumed epochs included
 * @param checkpoint the final checkpoint
 * @param onnx the exported encoder, or null when export was off
 * @param seconds wall time of this process's training
 * @param unreadableFiles distinct images found unreadable and skipped (a random image took each one's place)
 * @param skippedReads times an unreadable image was met and replaced
 */
public record TrainingResult(int firstEpoch, int lastEpoch, double finalLoss, long globalStep, Path checkpoint, Path onnx,
    double seconds, int unreadableFiles, long skippedReads) {}
