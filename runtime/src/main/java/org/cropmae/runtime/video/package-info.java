/**
 * Video object-mask propagation end to end: frames and a first-frame mask in, one mask per frame
 * out. {@link org.cropmae.runtime.video.MaskPropagator} chains preprocessing, the ONNX encoder and
 * label propagation exactly as the official evaluation does.
 */
package org.cropmae.runtime.video;
