/**
 * ONNX export of the CropMAE encoder without Python: {@link org.cropmae.trainer.export.OnnxEncoderExporter}
 * turns a PyTorch state dict into an opset-17 model, built with {@link org.cropmae.trainer.export.GraphBuilder}
 * over the {@link org.cropmae.trainer.export.Onnx} records and serialised by
 * {@link org.cropmae.trainer.export.OnnxWriter} in the protobuf wire format of {@code onnx.proto}.
 * {@link org.cropmae.trainer.export.EncoderBenchmark} measures the exported model under ONNX Runtime.
 */
package org.cropmae.trainer.export;
