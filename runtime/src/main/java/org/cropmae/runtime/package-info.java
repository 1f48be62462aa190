/**
 * CropMAE's embedded library: encode frames with an exported ONNX encoder and propagate masks
 * through a video (packages {@code onnx}, {@code video}, {@code propagation}), with the evaluation
 * and I/O around them. The exceptions shared by all packages live here: bad input is an
 * {@link java.lang.IllegalArgumentException} (a {@link org.cropmae.runtime.budget.BudgetExceededException}
 * when it is too large), an unusable model file a {@link org.cropmae.runtime.MalformedModelException},
 * and an engine failure an {@link org.cropmae.runtime.EngineException}.
 */
package org.cropmae.runtime;
