package org.cropmae.runtime.eval;

/**
 * The scores {@code src/eval/eval_vip.py} prints, from a dataset-wide confusion matrix. Classes
 * absent from both labels and predictions have NaN accuracy and IoU and are left out of the means.
 *
 * @param pixelAccuracy correct pixels / labelled pixels
 * @param meanAccuracy mean over classes of correct / labelled pixels of the class
 * @param meanIoU mean over classes of the intersection over union (the reported VIP mIoU)
 * @param frequencyWeightedIoU class IoUs weighted by the classes' labelled pixel share
 * @param classAccuracy {@code [numClasses]}
 * @param classIoU {@code [numClasses]}
 */
public record VipScores(
    double pixelAccuracy,
    double meanAccuracy,
    double meanIoU,
    double frequencyWeightedIoU,
    double[] classAccuracy,
    double[] classIoU) {}
