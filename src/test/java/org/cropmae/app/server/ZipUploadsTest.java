package org.cropmae.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Zip intake: order by frame number, skipped entries, refused names. */
class ZipUploadsTest {
  private static List<String> names(Map<String, byte[]> files) throws Exception {
    return ZipUploads.read(ServerTest.zip(files), "frames", ServerLimits.defaults()).stream().map(NamedBytes::fileName).toList();
  }

  @Test
  void ordersByTheLastNumberInTheNameAndSkipsFoldersAndHiddenFiles() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("clip/", new byte[0]);
    files.put("clip/frame-10.jpg", new byte[] {1});
    files.put("clip/frame-9.jpg", new byte[] {2});
    files.put("clip/frame-100.jpg", new byte[] {3});
    files.put("__MACOSX/clip/._frame-9.jpg", new byte[] {4});
    files.put("clip/.DS_Store", new byte[] {5});
    assertEquals(List.of("frame-9.jpg", "frame-10.jpg", "frame-100.jpg"), names(files));
  }

  @Test
  void refusesNamesWithoutOrWithTheSameNumber() {
    Map<String, byte[]> same = new LinkedHashMap<>();
    same.put("a/00001.jpg", new byte[] {1});
    same.put("b/1.png", new byte[] {2});
    HttpError e = assertThrows(HttpError.class, () -> names(same));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("two files have frame number 1"), e.getMessage());

    Map<String, byte[]> twice = new LinkedHashMap<>();
    twice.put("a/00001.jpg", new byte[] {1});
    twice.put("b/00001.jpg", new byte[] {2});
    assertTrue(assertThrows(HttpError.class, () -> names(twice)).getMessage().contains("two entries are named 00001.jpg"));
  }

  @Test
  void refusesUnsafeNames() {
    for (String bad : List.of("../x1.jpg", "a/../../x2.jpg", "/etc/x3.jpg", "a\\x4.jpg", "C:x5.jpg", "..")) {
      HttpError e = assertThrows(HttpError.class, () -> ZipUploads.checkName(bad, "frames"), bad);
      assertEquals(400, e.status());
      assertTrue(e.getMessage().startsWith("frames: unsafe entry name"), e.getMessage());
    }
    ZipUploads.checkName("clip/..hidden..name.00001.jpg", "frames"); // dots inside a name are fine
  }
}
