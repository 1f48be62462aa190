package org.cropmae.runtime.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.cropmae.runtime.tensor.FloatGrid;
import org.junit.jupiter.api.Test;

/** How {@link LabelPropagator} drives a backend: one kernel per video, closed once, failures leave no damage. */
class BackendUseTest {
  private static final PropagationConfig CONFIG = PropagationConfig.davis().withContextLength(2).withTopK(3).withRadius(2);

  /** Delegates to the Java backend; counts kernels and can fail the next multiply calls. */
  static final class Recording implements AffinityBackend {
    int opened;
    int closed;
    boolean failing;

    @Override
    public int preferredRows() {
      return 8;
    }

    @Override
    public AffinityKernel open(AffinityKernel.Shape shape) {
      opened++;
      AffinityKernel inner = JavaAffinityBackend.INSTANCE.open(shape);
      return new AffinityKernel() {
        @Override
        public void setKeys(int slot, float[] keys) {
          inner.setKeys(slot, keys);
        }

        @Override
        public void setQueries(float[] queries) {
          inner.setQueries(queries);
        }

        @Override
        public float[][] multiply(int worker, int queryFrom, int queryTo, int slot, int keyFrom, int keyTo) {
          if (failing) {
            throw new IllegalStateException("backend down");
          }
          return inner.multiply(worker, queryFrom, queryTo, slot, keyFrom, keyTo);
        }

        @Override
        public void close() {
          closed++;
          inner.close();
        }
      };
    }
  }

  @Test
  void oneKernelPerVideoClosedOnce() {
    Recording backend = new Recording();
    List<FloatGrid> video = PropagationInputTest.video(5);
    List<FloatGrid> out = LabelPropagator.builder(CONFIG).threads(2).backend(backend)
        .propagate(video, PropagationInputTest.labels());
    assertEquals(5, out.size());
    assertEquals(1, backend.opened);
    assertEquals(1, backend.closed);
    // The block size does not change the result.
    assertEquals(LabelPropagator.builder(CONFIG).threads(2).propagate(video, PropagationInputTest.labels()), out);
  }

  @Test
  void aFailedProductLeavesTheStateUnchanged() {
    Recording backend = new Recording();
    List<FloatGrid> video = PropagationInputTest.video(6);
    FloatGrid labels = PropagationInputTest.labels();
    List<FloatGrid> expected = LabelPropagator.builder(CONFIG).threads(1).propagate(video, labels);
    List<FloatGrid> got = new ArrayList<>(List.of(labels));
    LabelPropagator p = LabelPropagator.builder(CONFIG).threads(1).backend(backend).start(video.get(0), labels);
    try (p) {
      for (int t = 1; t < video.size(); t++) {
        if (t == 3) {
          backend.failing = true;
          FloatGrid frame = video.get(t);
          assertEquals("backend down", assertThrows(IllegalStateException.class, () -> p.next(frame)).getMessage());
          assertEquals(3, p.nextFrameIndex());
          backend.failing = false;
        }
        got.add(p.next(video.get(t)));
      }
    }
    p.close();
    assertEquals(1, backend.closed, "close is idempotent");
    assertEquals(expected, got);
    assertThrows(IllegalStateException.class, () -> p.next(video.get(1)));
  }
}
