package org.cropmae.android.demo.logic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class ExportNamesTest {
  private static final LocalDateTime T = LocalDateTime.of(2025, 1, 2, 3, 4, 5);

  @Test
  void baseNameFromADisplayName() {
    assertEquals("cropmae-My_Holiday_video-20250102-030405", ExportNames.base("My Holiday video.mp4", T));
    assertEquals("cropmae-VID_20250101_120000-20250102-030405", ExportNames.base("VID_20250101_120000.mp4", T));
  }

  @Test
  void unsafeCharactersBecomeOneUnderscoreAndEdgesAreTrimmed() {
    assertEquals("a_b", ExportNames.videoPart("a / \\ : * ? b.webm"));
    assertEquals("t", ExportNames.videoPart("\u00e9t\u00e9 \u2600.mov"));
    assertEquals("clip.v2", ExportNames.videoPart("  clip.v2.mp4 "));
  }

  @Test
  void nothingUsableLeftGivesVideo() {
    assertEquals("video", ExportNames.videoPart(null));
    assertEquals("video", ExportNames.videoPart(""));
    assertEquals("video", ExportNames.videoPart("\u2600\u2601.mp4"));
    assertEquals("mp4", ExportNames.videoPart(".mp4"), "a leading dot is not an extension");
  }

  @Test
  void longNamesAreCut() {
    String part = ExportNames.videoPart("a".repeat(39) + "-" + "b".repeat(20) + ".mp4");
    assertEquals("a".repeat(39), part, "cut to 40, then the dangling '-' trimmed");
  }

  @Test
  void archiveEntriesAndFiles() {
    assertEquals("masks/00000.png", ExportNames.maskEntry(0));
    assertEquals("masks/00042.png", ExportNames.maskEntry(42));
    assertEquals("masks/123456.png", ExportNames.maskEntry(123456));
    assertEquals("x.zip", ExportNames.archive("x"));
    assertEquals("x.gif", ExportNames.overlay("x"));
    assertEquals("frame must be >= 0, got -1",
        assertThrows(IllegalArgumentException.class, () -> ExportNames.maskEntry(-1)).getMessage());
  }
}
