package org.cropmae.android.demo.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cropmae.android.demo.R;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.junit.jupiter.api.Test;

/**
 * What the app's compiled classes, and the runtime classes they reach, may refer to, read from the
 * constant pools ({@link ClassFiles}): the logic package nothing of Android, so that it stays
 * testable on the JVM; nothing the app's minimum Android version (7.0, API 24) lacks.
 */
class ClassReferencesTest {
  private static final String APP = "org/cropmae/android/demo/";

  /** Packages Android does not have (AWT, ImageIO, Swing) or the app does not ship (Jackson). */
  private static final List<String> NO_PACKAGES = List.of("java/awt/", "javax/imageio/", "javax/swing/", "com/fasterxml/");

  /**
   * Java APIs newer than API 24 that D8 (8.7, as in AGP 8.7) leaves as plain calls at
   * {@code --min-api 24}, so they fail with NoSuchMethodError/NoClassDefFoundError on older
   * devices. Measured on the dex of tools/assemble-check.sh: D8 does rewrite String.strip/isBlank/
   * repeat, List/Set/Map.of and copyOf, Optional.orElseThrow for API 24, so those are allowed;
   * java.nio.file and java.time are covered by the app's core library desugaring.
   */
  private static final Map<String, String> NO_MEMBERS = new TreeMap<>(Map.of(
      "java/io/ByteArrayOutputStream.writeBytes:", "Android 13 (API 33)",
      ".transferTo:(Ljava/io/OutputStream;)J", "Android 13 (API 33)",
      "java/io/InputStream.readAllBytes:", "Android 13 (API 33)",
      "java/io/OutputStream.nullOutputStream:", "Android 13 (API 33)",
      "java/util/stream/Stream.toList:", "Android 14 (API 34)",
      "java/util/HexFormat.", "Android 14 (API 34)",
      "java/lang/System.getLogger:", "no Android version"));

  private static Map<String, ClassFiles.ClassInfo> appAndRuntime() throws IOException, URISyntaxException {
    Map<String, ClassFiles.ClassInfo> all = new TreeMap<>(ClassFiles.readFolder(ClassFiles.locationOf(R.class)));
    all.putAll(ClassFiles.readFolder(ClassFiles.locationOf(OnnxEncoder.class)));
    return all;
  }

  @Test
  void logicUsesNoAndroidClassAndNothingUsesAMissingPackage() throws IOException, URISyntaxException {
    Map<String, ClassFiles.ClassInfo> app = ClassFiles.readFolder(ClassFiles.locationOf(R.class));
    List<String> offenders = new ArrayList<>();
    int logic = 0;
    for (ClassFiles.ClassInfo c : app.values()) {
      if (c.name().startsWith(APP + "logic/")) {
        logic++;
        c.classes().stream().filter(n -> n.startsWith("android/")).findFirst()
            .ifPresent(n -> offenders.add(c.name() + " uses " + n));
      }
      for (String pkg : NO_PACKAGES) {
        c.classes().stream().filter(n -> n.startsWith(pkg)).findFirst()
            .ifPresent(n -> offenders.add(c.name() + " uses " + n));
      }
    }
    assertTrue(logic >= 10, "expected the logic classes, found " + logic);
    assertEquals(List.of(), offenders);
  }

  @Test
  void nothingTheAppReachesCallsAJavaApiItsAndroidVersionsLack() throws IOException, URISyntaxException {
    Map<String, ClassFiles.ClassInfo> reachable = ClassFiles.reachable(appAndRuntime(), APP);
    assertTrue(reachable.containsKey("org/cropmae/runtime/video/MaskPropagator"), "the runtime is reached");
    List<String> offenders = new ArrayList<>();
    for (ClassFiles.ClassInfo c : reachable.values()) {
      for (String member : c.members()) {
        NO_MEMBERS.forEach((api, since) -> {
          if (member.contains(api)) {
            offenders.add(c.name() + " calls " + member + " (" + since + ")");
          }
        });
        c.classes().stream().filter(n -> n.startsWith("java/awt/") || n.startsWith("javax/imageio/"))
            .forEach(n -> offenders.add(c.name() + " uses " + n));
      }
    }
    assertEquals(List.of(), offenders);
  }

  @Test
  void theScansSeeWhatTheyLookFor() throws IOException, URISyntaxException {
    // Otherwise the tests above prove nothing.
    Map<String, ClassFiles.ClassInfo> all = appAndRuntime();
    assertTrue(all.get(APP + "MainActivity").classes().contains("android/app/Activity"));
    assertFalse(all.get(APP + "logic/ArgbImages").classes().stream().anyMatch(n -> n.startsWith("android/")),
        "the app's own package (org/cropmae/android/) is not mistaken for android.*");
    // A runtime class outside the app's reach that does call a listed API: the desktop image files.
    assertTrue(all.get("org/cropmae/runtime/io/desktop/ImageFiles").classes().stream().anyMatch(n -> n.startsWith("javax/imageio/")));
    assertFalse(ClassFiles.reachable(all, APP).containsKey("org/cropmae/runtime/io/desktop/ImageFiles"),
        "desktop classes are not on the app's path");
    assertTrue(all.get(APP + "logic/ArgbImages").members().contains(
        "org/cropmae/runtime/mask/MaskOverlay.draw:(Lorg/cropmae/runtime/image/RgbImage;Lorg/cropmae/runtime/mask/IndexMask;F)"
            + "Lorg/cropmae/runtime/image/RgbImage;"), "member references are read");
  }
}
