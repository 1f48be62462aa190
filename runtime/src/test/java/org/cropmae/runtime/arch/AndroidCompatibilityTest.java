package org.cropmae.runtime.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cropmae.runtime.tensor.FloatGrid;
import org.junit.jupiter.api.Test;

/**
 * The runtime's classes run on Android, which has no AWT, ImageIO, Swing or {@code System.Logger}. Only packages named
 * {@code desktop} may use them. This scans the compiled class files' constant pools, where every
 * referenced class name appears.
 */
class AndroidCompatibilityTest {
  // System.Logger is not in Android's java.lang: System.getLogger fails with NoSuchMethodError there.
  private static final List<String> FORBIDDEN = List.of("java/awt/", "javax/imageio/", "javax/swing/", "java/lang/System$Logger");

  @Test
  void noDesktopApisOutsideDesktopPackages() throws IOException, URISyntaxException {
    Path classes = Path.of(FloatGrid.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> offenders = new ArrayList<>();
    int scanned = 0;
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
        String rel = classes.relativize(f).toString().replace('\\', '/');
        if (rel.contains("/desktop/")) {
          continue;
        }
        scanned++;
        String pool = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        for (String api : FORBIDDEN) {
          if (pool.contains(api)) {
            offenders.add(rel + " uses " + api);
          }
        }
      }
    }
    assertTrue(scanned > 20, "expected to scan the runtime's classes, scanned " + scanned);
    assertEquals(List.of(), offenders);
  }

  @Test
  void scannerDetectsADesktopReference() throws IOException, URISyntaxException {
    // The desktop image decoder must be seen as using javax.imageio, or the scan above proves nothing.
    Path classes = Path.of(FloatGrid.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path desktop = classes.resolve("org/cropmae/runtime/io/desktop/ImageFiles.class");
    String pool = new String(Files.readAllBytes(desktop), StandardCharsets.ISO_8859_1);
    assertTrue(pool.contains("javax/imageio/"));
  }
}
