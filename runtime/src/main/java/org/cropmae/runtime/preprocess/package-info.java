/**
 * Frame preprocessing for the encoder, numerically identical to the official evaluation code:
 * OpenCV-exact resizing ({@link org.cropmae.runtime.preprocess.Resize}), per-benchmark input sizes
 * ({@link org.cropmae.runtime.preprocess.ProtocolSize}) and ImageNet normalisation to CHW
 * ({@link org.cropmae.runtime.preprocess.ImageNormalization}). No AWT: runs on Android.
 */
package org.cropmae.runtime.preprocess;
