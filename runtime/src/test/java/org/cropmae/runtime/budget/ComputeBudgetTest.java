package org.cropmae.runtime.budget;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ComputeBudgetTest {
  private static final ComputeBudget DEFAULTS = ComputeBudget.defaults();

  @Test
  void sizesAreComputedExactly() {
    // DAVIS frame at patch 16: 30 x 55 patches plus the cls token.
    assertEquals(1651, ComputeBudget.tokens(480, 880, 16));
    // ViT-S, 6 heads: 6 * 1651^2 * 4 bytes.
    assertEquals(6L * 1651 * 1651 * 4, ComputeBudget.attentionBytes(1, 6, 1651));
    // DAVIS propagation state: 21 frames x 30 x 55 x (384 + 3) x 4 bytes.
    assertEquals(21L * 30 * 55 * 387 * 4, ComputeBudget.contextBytes(20, 30, 55, 384, 3));
  }

  @Test
  void hugeSizesSaturateInsteadOfOverflowing() {
    assertEquals(Long.MAX_VALUE, ComputeBudget.contextBytes(Integer.MAX_VALUE, 1 << 20, 1 << 20, 768, 2));
    assertEquals(Long.MAX_VALUE, ComputeBudget.attentionBytes(Integer.MAX_VALUE, 16, Long.MAX_VALUE / 2));
    assertEquals(Long.MAX_VALUE, ComputeBudget.tokens(Long.MAX_VALUE, Long.MAX_VALUE, 1));
  }

  @Test
  void protocolSizesFitTheDefaults() {
    // The paper's protocols with a ViT-B (12 heads, D = 768): DAVIS, JHMDB, VIP (longer side 880).
    assertDoesNotThrow(() -> DEFAULTS.checkEncode("davis", 1, 480, 880, 16, 12));
    assertDoesNotThrow(() -> DEFAULTS.checkEncode("jhmdb", 1, 320, 320, 16, 12));
    assertDoesNotThrow(() -> DEFAULTS.checkEncode("1024 square", 1, 1024, 1024, 16, 12));
    assertDoesNotThrow(() -> DEFAULTS.checkPropagation("davis", 20, 30, 55, 768, 10));
    assertDoesNotThrow(() -> DEFAULTS.checkPropagation("vip", 20, 55, 40, 768, 20));
  }

  @Test
  void aLargeImageIsRefusedByItsTokenCount() {
    BudgetExceededException e = assertThrows(BudgetExceededException.class,
        () -> DEFAULTS.checkEncode("field size", 1, 2048, 2048, 16, 6));
    assertEquals("field size: a 2048x2048 input is 16385 tokens at patch size 16, more than the limit of 4097; use a"
        + " smaller input size (attention memory grows with the square of the token count)", e.getMessage());
  }

  @Test
  void aLargeBatchIsRefusedByItsAttentionBytes() {
    // 1024x1024 is 4097 tokens; 12 heads need 768.3 MiB per image, so 3 images exceed 2 GiB.
    assertDoesNotThrow(() -> DEFAULTS.checkEncode("batch", 2, 1024, 1024, 16, 12));
    BudgetExceededException e = assertThrows(BudgetExceededException.class,
        () -> DEFAULTS.checkEncode("batch", 3, 1024, 1024, 16, 12));
    assertEquals("batch: 3 image(s) of 1024x1024 need 2305.1 MiB of attention (12 heads x 4097^2 tokens), more than"
        + " the limit of 2048.0 MiB; send fewer or smaller images", e.getMessage());
  }

  @Test
  void aHugeContextIsRefusedWithoutOverflow() {
    BudgetExceededException e = assertThrows(BudgetExceededException.class,
        () -> DEFAULTS.checkPropagation("field context", Integer.MAX_VALUE, 30, 55, 384, 2));
    assertEquals("field context: context 2147483647 on a 30x55 feature grid with 384 channels and 2 labels needs"
        + " 5217484800.0 MiB of propagation state, more than the limit of 2048.0 MiB; use a shorter context or a smaller"
        + " input size", e.getMessage());
    assertThrows(BudgetExceededException.class, () -> DEFAULTS.checkPropagation("field context", 400_000_000, 30, 55, 384, 2));
  }

  @Test
  void theLimitIsInclusive() {
    ComputeBudget b = new ComputeBudget(1651, ComputeBudget.attentionBytes(1, 6, 1651), 21L * 30 * 55 * 386 * 4);
    assertDoesNotThrow(() -> b.checkEncode("x", 1, 480, 880, 16, 6));
    assertThrows(BudgetExceededException.class, () -> b.checkEncode("x", 1, 480, 896, 16, 6));
    assertThrows(BudgetExceededException.class, () -> b.checkEncode("x", 1, 480, 880, 16, 7));
    assertDoesNotThrow(() -> b.checkPropagation("x", 20, 30, 55, 384, 2));
    assertThrows(BudgetExceededException.class, () -> b.checkPropagation("x", 20, 30, 55, 384, 3));
  }

  @Test
  void invalidLimitsAreNamed() {
    assertEquals("maxTokens must be at least 2 (the cls token and one patch), got 1",
        assertThrows(IllegalArgumentException.class, () -> DEFAULTS.withMaxTokens(1)).getMessage());
    assertEquals("maxAttentionBytes must be positive, got 0",
        assertThrows(IllegalArgumentException.class, () -> DEFAULTS.withMaxAttentionBytes(0)).getMessage());
    assertEquals("maxContextBytes must be positive, got -1",
        assertThrows(IllegalArgumentException.class, () -> DEFAULTS.withMaxContextBytes(-1)).getMessage());
  }
}
