package org.cropmae.runtime.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PropagationConfigTest {

  @Test
  void presetsFollowTheOfficialEvaluationScripts() {
    assertEquals(new PropagationConfig(20, 7, 0.7, 20, InputSize.fixed(480, 880)), PropagationConfig.davis());
    assertEquals(new PropagationConfig(20, 7, 0.7, 20, InputSize.fixed(320, 320)), PropagationConfig.jhmdb());
    assertEquals(new PropagationConfig(20, 10, 0.7, 20, InputSize.longerSide(880)), PropagationConfig.vip());
  }

  @Test
  void withersChangeOneField() {
    PropagationConfig c = PropagationConfig.davis().withContextLength(4).withTopK(5).withTemperature(0.1)
        .withRadius(6).withInputSize(InputSize.fixed(320, 480));
    assertEquals(new PropagationConfig(4, 5, 0.1, 6, InputSize.fixed(320, 480)), c);
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
    assertThrows(IllegalArgumentException.class, () -> new InputSize(480, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new InputSize(480, 880, 880));
  }

  @Test
  void longerSideFollowsTheOfficialLoader() {
    InputSize vip = InputSize.longerSide(880);
    // Landscape 854x480: width -> 880, height int(480 * 880 / 854) = 494 -> 448.
    assertEquals(new InputSize.Dimensions(448, 880), vip.resolve(480, 854));
    // Portrait 1080x720 (h > w): height -> 880, width int(720 * 880 / 1080) = 586 -> 576.
    assertEquals(new InputSize.Dimensions(880, 576), vip.resolve(1080, 720));
    // Square: the height branch, width floored to 64: 880 -> 832.
    assertEquals(new InputSize.Dimensions(880, 832), vip.resolve(100, 100));
    assertEquals(new InputSize.Dimensions(480, 880), InputSize.fixed(480, 880).resolve(1080, 1920));
    assertThrows(IllegalArgumentException.class, () -> vip.resolve(0, 10));
  }
}
