/**
 * The CropMAE ViT encoder run with ONNX Runtime: {@link org.cropmae.runtime.onnx.OnnxEncoder} opens
 * a model that follows {@link org.cropmae.runtime.onnx.EncoderContract} and turns normalised frames
 * {@code [N, 3, H, W]} into patch features {@code [h, w, D]} and cls tokens.
 *
 * <p>ONNX Runtime is a {@code provided} dependency: servers add {@code onnxruntime} or
 * {@code onnxruntime_gpu}, Android apps {@code onnxruntime-android}.
 */
package org.cropmae.runtime.onnx;
