package org.cropmae.runtime.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JavaAffinityBackendTest {

  @Test
  void meetsTheKernelContract() {
    AffinityKernelContract.checkAll(JavaAffinityBackend.INSTANCE);
  }

  @Test
  void prefersTheKernelTile() {
    assertEquals(4, JavaAffinityBackend.INSTANCE.preferredRows());
    // One tile per block, whole rounds for the workers; a GEMM-sized preference gets balanced blocks.
    assertEquals(4, JavaAffinityBackend.INSTANCE.blockRows(1650, 2));
    assertEquals(4, JavaAffinityBackend.INSTANCE.blockRows(5, 2));
    AffinityBackend gemm = new AffinityBackend() {
      @Override
      public int preferredRows() {
        return 200;
      }

      @Override
      public AffinityKernel open(AffinityKernel.Shape shape) {
        throw new UnsupportedOperationException();
      }
    };
    assertEquals(168, gemm.blockRows(1650, 2)); // 10 blocks, 5 per worker
    assertEquals(184, gemm.blockRows(1650, 3)); // 9 blocks, 3 per worker
    assertEquals(8, gemm.blockRows(5, 1));
  }
}
