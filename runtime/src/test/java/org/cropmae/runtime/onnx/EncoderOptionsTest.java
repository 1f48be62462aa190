package org.cropmae.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cropmae.runtime.budget.ComputeBudget;
import org.junit.jupiter.api.Test;

class EncoderOptionsTest {
  @Test
  void defaultsAndWithers() {
    EncoderOptions o = EncoderOptions.defaults();
    assertEquals(new EncoderOptions(0, 0, EncoderOptions.OptimizationLevel.ALL, EncoderOptions.ExecutionProvider.AUTO, 0,
        ComputeBudget.defaults()), o);
    EncoderOptions p = o.withThreads(2, 1).withOptimizationLevel(EncoderOptions.OptimizationLevel.EXTENDED)
        .withExecutionProvider(EncoderOptions.ExecutionProvider.CPU).withCudaDevice(1)
        .withBudget(new ComputeBudget(100, 200, 300));
    assertEquals(new EncoderOptions(2, 1, EncoderOptions.OptimizationLevel.EXTENDED, EncoderOptions.ExecutionProvider.CPU, 1,
        new ComputeBudget(100, 200, 300)), p);
  }

  @Test
  void invalidValuesAreNamed() {
    assertEquals("intraOpThreads must be >= 0 (0 = ONNX Runtime default), got -1",
        assertThrows(IllegalArgumentException.class, () -> EncoderOptions.defaults().withThreads(-1, 0)).getMessage());
    assertEquals("interOpThreads must be >= 0 (0 = ONNX Runtime default), got -2",
        assertThrows(IllegalArgumentException.class, () -> EncoderOptions.defaults().withThreads(0, -2)).getMessage());
    assertEquals("cudaDeviceId must be >= 0, got -1",
        assertThrows(IllegalArgumentException.class, () -> EncoderOptions.defaults().withCudaDevice(-1)).getMessage());
    assertEquals("optimizationLevel must not be null",
        assertThrows(IllegalArgumentException.class, () -> EncoderOptions.defaults().withOptimizationLevel(null)).getMessage());
    assertEquals("budget must not be null",
        assertThrows(IllegalArgumentException.class, () -> EncoderOptions.defaults().withBudget(null)).getMessage());
  }
}
