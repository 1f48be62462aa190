package org.cropmae.runtime.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProtocolSizeTest {

  @Test
  void davisAndJhmdbAreFixed() {
    assertEquals(new ImageSize(480, 880), ProtocolSize.DAVIS.inputSize(480, 854));
    assertEquals(new ImageSize(480, 880), ProtocolSize.DAVIS.inputSize(1080, 1920));
    assertEquals(new ImageSize(320, 320), ProtocolSize.JHMDB.inputSize(240, 320));
  }

  @Test
  void vipScalesTheLongerSideTo880AndRoundsTheOtherDownTo64() {
    // int(1080 * 880 / 1920) = 495 -> 448
    assertEquals(new ImageSize(448, 880), ProtocolSize.VIP.inputSize(1080, 1920));
    // portrait: int(1080 * 880 / 1920) = 495 -> 448 for the width
    assertEquals(new ImageSize(880, 448), ProtocolSize.VIP.inputSize(1920, 1080));
    // int(480 * 880 / 854) = int(494.6) = 494 -> 448
    assertEquals(new ImageSize(448, 880), ProtocolSize.VIP.inputSize(480, 854));
    // int(720 * 880 / 1280) = 495 -> 448; int(600 * 880 / 800) = 660 -> 640
    assertEquals(new ImageSize(448, 880), ProtocolSize.VIP.inputSize(720, 1280));
    assertEquals(new ImageSize(640, 880), ProtocolSize.VIP.inputSize(600, 800));
    // exact multiple stays: int(512 * 880 / 880) = 512
    assertEquals(new ImageSize(512, 880), ProtocolSize.VIP.inputSize(512, 880));
  }

  @Test
  void vipSquareFramesTakeTheSecondBranch() {
    // vos.py: ori_w > ori_h is false, so new_h = 880 and new_w = 880 // 64 * 64 = 832.
    assertEquals(new ImageSize(880, 832), ProtocolSize.VIP.inputSize(500, 500));
  }

  @Test
  void vipRefusesFramesTooElongated() {
    // int(10 * 880 / 2000) = 4 -> 0
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProtocolSize.VIP.inputSize(10, 2000));
    assertTrue(e.getMessage().contains("too elongated"), e.getMessage());
  }

  @Test
  void rejectsNonPositiveSizes() {
    assertThrows(IllegalArgumentException.class, () -> ProtocolSize.DAVIS.inputSize(0, 854));
    assertThrows(IllegalArgumentException.class, () -> new ProtocolSize.Fixed(480, -1));
    assertThrows(IllegalArgumentException.class, () -> new ProtocolSize.LongerSide(0));
  }

  @Test
  void featureGridRoundsUp() {
    assertEquals(new ImageSize(30, 55), new ImageSize(480, 880).featureGrid(16));
    assertEquals(new ImageSize(20, 30), new ImageSize(320, 480).featureGrid(16));
    assertEquals(new ImageSize(31, 56), new ImageSize(481, 881).featureGrid(16));
    assertThrows(IllegalArgumentException.class, () -> new ImageSize(480, 880).featureGrid(0));
  }
}
