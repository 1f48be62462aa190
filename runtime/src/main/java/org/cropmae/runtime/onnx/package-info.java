/**
 * ONNX Runtime in the runtime library: {@link org.cropmae.runtime.onnx.OnnxEncoder} opens a CropMAE
 * ViT encoder that follows {@link org.cropmae.runtime.onnx.EncoderContract} and turns normalised
 * frames {@code [N, 3, H, W]} into patch features {@code [h, w, D]} and cls tokens, or, when the
 * model has that output, into the last block's attention probabilities
 * ({@link org.cropmae.runtime.onnx.AttentionMaps});
 * {@link org.cropmae.runtime.onnx.OnnxAffinityBackend} runs the label propagation's query-key
 * products on ONNX Runtime's GEMM.
 *
 * <p>ONNX Runtime is a {@code provided} dependency: servers add {@code onnxruntime} or
 * {@code onnxruntime_gpu}, Android apps {@code onnxruntime-android}.
 */
package org.cropmae.runtime.onnx;
