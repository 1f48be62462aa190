package org.cropmae.runtime.propagation;

/**
 * Computes the query-key dot products behind the propagation's affinity (the matrix products,
 * about all of the arithmetic). {@link LabelPropagator} opens one {@link AffinityKernel} per video
 * and keeps top-k, softmax and label mixing in Java.
 *
 * <p>{@link JavaAffinityBackend#INSTANCE} (the default) runs everywhere and needs nothing;
 * {@code org.cropmae.runtime.onnx.OnnxAffinityBackend} hands the products to ONNX Runtime's
 * optimised GEMM. Backends differ only in the float32 summation order of each dot product.
 *
 * <p>A backend may be shared by several propagators (also at once); who creates it closes it.
 */
public interface AffinityBackend {

  /**
   * Queries per {@link AffinityKernel#multiply} call this backend runs efficiently: the propagator
   * multiplies blocks of about this many rows (fewer keys are wasted on small blocks, a GEMM runs
   * faster on large ones).
   */
  int preferredRows();

  /**
   * Queries per {@link AffinityKernel#multiply} call for {@code positions} queries split among
   * {@code workers} threads: about {@link #preferredRows()}, with the block count rounded up to
   * whole rounds of the workers (a GEMM backend gets few, large blocks, and an uneven last round
   * would leave workers idle) and the rows to a multiple of 4.
   */
  default int blockRows(int positions, int workers) {
    if (positions < 1 || workers < 1) {
      throw new IllegalArgumentException("positions and workers must be positive, got " + positions + ", " + workers);
    }
    int blocks = ceilDiv(positions, Math.max(1, preferredRows()));
    blocks = ceilDiv(blocks, workers) * workers;
    return ceilDiv(ceilDiv(positions, blocks), 4) * 4;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /**
   * Opens the storage and scratch for one video of {@code shape}.
   *
   * @throws IllegalStateException if the backend is closed or cannot allocate what it needs
   */
  AffinityKernel open(AffinityKernel.Shape shape);
}
