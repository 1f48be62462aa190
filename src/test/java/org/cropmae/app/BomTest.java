package org.cropmae.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The BOM has no parent (so importing it brings only versions); its versions must still be the
 * build's: the project version and the ONNX Runtime the modules are compiled and tested against.
 */
class BomTest {
  private static String tag(String pom, String name) {
    Matcher m = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(pom);
    if (!m.find()) {
      throw new AssertionError("no <" + name + "> in the pom");
    }
    return m.group(1).strip();
  }

  @Test
  void bomVersionsAreTheBuildsVersions() throws Exception {
    String parent = Files.readString(Path.of("..", "pom.xml"));
    String bom = Files.readString(Path.of("..", "bom", "pom.xml"));
    assertEquals(tag(parent, "onnxruntime.version"), tag(bom, "onnxruntime.version"));
    String parentVersion = tag(parent.substring(parent.indexOf("<artifactId>cropmae-parent</artifactId>")), "version");
    String bomVersion = tag(bom.substring(bom.indexOf("<artifactId>cropmae-bom</artifactId>")), "version");
    assertEquals(parentVersion, bomVersion);
  }
}
