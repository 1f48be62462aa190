package org.cropmae.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.cropmae.runtime.model.ModelRegistry;
import org.cropmae.runtime.onnx.EncoderOptions;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.junit.jupiter.api.Test;

/** {@link OnnxEncoder#close()} racing encodes on other threads (the bundled model, in this module). */
class EncoderCloseTest {
  @Test
  void closeWaitsForEncodesInFlightAndLaterOnesFailInOneLine() throws Exception {
    OnnxEncoder encoder = OnnxEncoder.open(ModelRegistry.bundled().resolve(ModelRegistry.bundled().defaultModel()),
        EncoderOptions.defaults().withExecutionProvider(EncoderOptions.ExecutionProvider.CPU).withThreads(1, 1));
    float[] chw = new float[3 * 224 * 224];
    int threads = 3;
    CountDownLatch everyoneEncoded = new CountDownLatch(threads);
    AtomicInteger completed = new AtomicInteger();
    List<Throwable> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> {
        boolean first = true;
        while (true) {
          try {
            assertEquals(14 * 14 * encoder.info().embedDim(), encoder.encode(chw, 1, 224, 224).patchFeatures().get(0)
                .values().length);
            completed.incrementAndGet();
          } catch (IllegalStateException e) {
            if (!e.getMessage().endsWith(" is closed")) {
              unexpected.add(e);
            }
            return;
          } catch (Throwable e) {
            unexpected.add(e);
            return;
          } finally {
            if (first) {
              first = false;
              everyoneEncoded.countDown();
            }
          }
        }
      });
      t.start();
      workers.add(t);
    }
    everyoneEncoded.await();
    // Encodes are running on every thread: close must wait for them, not free their session.
    encoder.close();
    for (Thread t : workers) {
      t.join(60_000);
    }
    assertEquals(List.of(), unexpected);
    assertTrue(completed.get() >= threads, "completed " + completed.get());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> encoder.encode(chw, 1, 224, 224));
    assertTrue(e.getMessage().endsWith(" is closed"), e.getMessage());
  }
}
