package org.cropmae.android.demo.logic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cropmae.runtime.onnx.EncoderOptions;
import org.cropmae.runtime.preprocess.ImageSize;
import org.cropmae.runtime.propagation.PropagationConfig;
import org.junit.jupiter.api.Test;

class RunSettingsTest {
  @Test
  void encoderAndPropagationSettings() {
    RunSettings s = new RunSettings(EncoderOptions.ExecutionProvider.XNNPACK, RunSettings.FAST, 4);
    EncoderOptions o = s.encoderOptions();
    assertEquals(EncoderOptions.ExecutionProvider.XNNPACK, o.executionProvider());
    assertEquals(4, o.intraOpThreads());
    assertEquals(EncoderOptions.OptimizationLevel.ALL, o.optimizationLevel());
    PropagationConfig c = s.propagationConfig();
    PropagationConfig davis = PropagationConfig.davis();
    assertEquals(davis.contextLength(), c.contextLength());
    assertEquals(davis.topK(), c.topK());
    assertEquals(davis.temperature(), c.temperature());
    assertEquals(davis.radius(), c.radius());
    // A 1920x1080 phone video: longer side 480, shorter int(1080 * 480 / 1920) = 270 rounded down to 256.
    assertEquals(new ImageSize(256, 480), c.inputSize().inputSize(1080, 1920));
    assertEquals(new ImageSize(480, 256), c.inputSize().inputSize(1920, 1080));
  }

  @Test
  void withers() {
    RunSettings s = RunSettings.defaults();
    assertEquals(EncoderOptions.ExecutionProvider.CPU, s.provider());
    assertEquals(RunSettings.FAST, s.longerSide());
    RunSettings t = s.withProvider(EncoderOptions.ExecutionProvider.NNAPI).withLongerSide(RunSettings.DAVIS).withThreads(2);
    assertEquals(new RunSettings(EncoderOptions.ExecutionProvider.NNAPI, 880, 2), t);
  }

  @Test
  void badSettingsAreNamed() {
    assertEquals("provider must be one of [CPU, XNNPACK, NNAPI], got CUDA", assertThrows(IllegalArgumentException.class,
        () -> new RunSettings(EncoderOptions.ExecutionProvider.CUDA, 480, 1)).getMessage());
    assertEquals("longerSide must be at least 64, got 32", assertThrows(IllegalArgumentException.class,
        () -> RunSettings.defaults().withLongerSide(32)).getMessage());
    assertEquals("threads must be at least 1, got 0", assertThrows(IllegalArgumentException.class,
        () -> RunSettings.defaults().withThreads(0)).getMessage());
  }
}
