package org.cropmae.runtime.onnx;

import org.cropmae.runtime.budget.BudgetExceededException;
import org.cropmae.runtime.budget.ComputeBudget;

/**
 * Immutable session settings for {@link OnnxEncoder}.
 *
 * @param intraOpThreads threads inside one operator; 0 lets ONNX Runtime choose (one per core)
 * @param interOpThreads threads running independent operators in parallel; 0 lets ONNX Runtime choose.
 *     The session executes sequentially (the encoder graph is a chain), so this rarely matters
 * @param optimizationLevel graph rewrites applied when the session is created
 * @param executionProvider where the graph runs
 * @param cudaDeviceId GPU ordinal used when CUDA is selected
 * @param budget the most tokens and attention memory one encoder call may ask; larger inputs fail
 *     with a {@link BudgetExceededException} before anything is allocated
 */
public record EncoderOptions(
    int intraOpThreads,
    int interOpThreads,
    OptimizationLevel optimizationLevel,
    ExecutionProvider executionProvider,
    int cudaDeviceId,
    ComputeBudget budget) {

  /** ONNX Runtime's graph optimization levels. */
  public enum OptimizationLevel {
    /** No rewrites: the graph runs as exported. */
    DISABLED,
    /** Constant folding and redundant-node removal. */
    BASIC,
    /** Plus operator fusions (LayerNorm, GELU, attention, MatMul+Add). */
    EXTENDED,
    /** Plus layout changes (NCHWc convolutions on CPU). */
    ALL
  }

  /** Where the session runs. */
  public enum ExecutionProvider {
    /** CUDA when ONNX Runtime offers it and it initialises, otherwise CPU. */
    AUTO,
    /** Always the CPU. */
    CPU,
    /** CUDA or an error: never silently falls back. */
    CUDA,
    /**
     * Android's Neural Networks API (Android 8.1+, the {@code onnxruntime-android} artifact) or an
     * error. Operators NNAPI cannot run stay on the CPU inside the same session.
     */
    NNAPI,
    /**
     * The XNNPACK CPU kernels (the {@code onnxruntime-android} artifact) or an error. XNNPACK keeps
     * its own thread pool of {@code intraOpThreads} threads (0: one per processor), so the session's
     * own intra-op pool is reduced to the calling thread with spinning off, as ONNX Runtime
     * recommends, to avoid two pools competing for the cores.
     */
    XNNPACK
  }

  public EncoderOptions {
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("intraOpThreads must be >= 0 (0 = ONNX Runtime default), got " + intraOpThreads);
    }
    if (interOpThreads < 0) {
      throw new IllegalArgumentException("interOpThreads must be >= 0 (0 = ONNX Runtime default), got " + interOpThreads);
    }
    if (cudaDeviceId < 0) {
      throw new IllegalArgumentException("cudaDeviceId must be >= 0, got " + cudaDeviceId);
    }
    if (optimizationLevel == null) {
      throw new IllegalArgumentException("optimizationLevel must not be null");
    }
    if (executionProvider == null) {
      throw new IllegalArgumentException("executionProvider must not be null");
    }
    if (budget == null) {
      throw new IllegalArgumentException("budget must not be null");
    }
  }

  /** ONNX Runtime's thread defaults, all optimizations, CUDA when available, {@link ComputeBudget#defaults()}. */
  public static EncoderOptions defaults() {
    return new EncoderOptions(0, 0, OptimizationLevel.ALL, ExecutionProvider.AUTO, 0, ComputeBudget.defaults());
  }

  public EncoderOptions withThreads(int intraOp, int interOp) {
    return new EncoderOptions(intraOp, interOp, optimizationLevel, executionProvider, cudaDeviceId, budget);
  }

  public EncoderOptions withOptimizationLevel(OptimizationLevel level) {
    return new EncoderOptions(intraOpThreads, interOpThreads, level, executionProvider, cudaDeviceId, budget);
  }

  public EncoderOptions withExecutionProvider(ExecutionProvider provider) {
    return new EncoderOptions(intraOpThreads, interOpThreads, optimizationLevel, provider, cudaDeviceId, budget);
  }

  public EncoderOptions withCudaDevice(int deviceId) {
    return new EncoderOptions(intraOpThreads, interOpThreads, optimizationLevel, executionProvider, deviceId, budget);
  }

  public EncoderOptions withBudget(ComputeBudget value) {
    return new EncoderOptions(intraOpThreads, interOpThreads, optimizationLevel, executionProvider, cudaDeviceId, value);
  }
}
