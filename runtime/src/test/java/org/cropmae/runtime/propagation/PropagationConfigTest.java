package org.cropmae.runtime.propagation;

import org.cropmae.runtime.preprocess.ProtocolSize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PropagationConfigTest {

  @Test
  void presetsFollowTheOfficialEvaluationScripts() {
    assertEquals(new PropagationConfig(20, 7, 0.7, 20, new ProtocolSize.Fixed(480, 880)), PropagationConfig.davis());
    assertEquals(new PropagationConfig(20, 7, 0.7, 20, new ProtocolSize.Fixed(320, 320)), PropagationConfig.jhmdb());
    assertEquals(new PropagationConfig(20, 10, 0.7, 20, new ProtocolSize.LongerSide(880)), PropagationConfig.vip());
  }

  @Test
  void withersChangeOneField() {
    PropagationConfig c = PropagationConfig.davis().withContextLength(4).withTopK(5).withTemperature(0.1)
        .withRadius(6).withInputSize(new ProtocolSize.Fixed(320, 480));
    assertEquals(new PropagationConfig(4, 5, 0.1, 6, new ProtocolSize.Fixed(320, 480)), c);
    assertEquals(105L * 5, PropagationConfig.davis().withContextLength(4).contextKeys(5, 21));
  }

  @Test
  void invalidValuesAreRejectedWithTheFieldName() {
    PropagationConfig d = PropagationConfig.davis();
    assertEquals("contextLength must be at least 1, got 0",
        assertThrows(IllegalArgumentException.class, () -> d.withContextLength(0)).getMessage());
    assertEquals("topK must be at least 1, got 0",
        assertThrows(IllegalArgumentException.class, () -> d.withTopK(0)).getMessage());
    assertEquals("temperature must be finite and positive, got NaN",
        assertThrows(IllegalArgumentException.class, () -> d.withTemperature(Double.NaN)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> d.withTemperature(0));
    assertThrows(IllegalArgumentException.class, () -> d.withTemperature(Double.POSITIVE_INFINITY));
    assertEquals("radius must be positive, got 0.0",
        assertThrows(IllegalArgumentException.class, () -> d.withRadius(0)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> d.withRadius(Double.NaN));
    assertThrows(NullPointerException.class, () -> d.withInputSize(null));
  }
}
