package org.cropmae.android.demo.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.cropmae.android.demo.R;
import org.junit.jupiter.api.Test;

/**
 * What the app's compiled classes may refer to, read from their constant pools (where every class a
 * class uses is named): the logic package nothing of Android, so that it stays testable on the JVM;
 * no class anything Android lacks or the app does not ship.
 */
class ClassReferencesTest {
  /** Not on Android (AWT, ImageIO, Swing, System.Logger, HexFormat before API 34) or not shipped (Jackson). */
  private static final List<String> NOWHERE = List.of("java/awt/", "javax/imageio/", "javax/swing/",
      "java/lang/System$Logger", "java/util/HexFormat", "com/fasterxml/");

  /** Each compiled class of the app with the strings of its constant pool. */
  private static TreeMap<String, List<String>> constantPools() throws IOException, URISyntaxException {
    Path classes = Path.of(R.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    TreeMap<String, List<String>> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
        out.put(classes.relativize(f).toString().replace('\\', '/'), utf8Constants(Files.readAllBytes(f)));
      }
    }
    return out;
  }

  /** The UTF-8 entries of a class file's constant pool (JVMS 4.4): class names, descriptors, names. */
  private static List<String> utf8Constants(byte[] classFile) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    in.skipBytes(8); // magic, minor and major version
    int count = in.readUnsignedShort();
    List<String> out = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> out.add(in.readUTF());
        case 7, 8, 16, 19, 20 -> in.skipBytes(2);
        case 15 -> in.skipBytes(3);
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
        case 5, 6 -> {
          in.skipBytes(8);
          i++; // longs and doubles take two slots
        }
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    return out;
  }

  /** Whether a constant names a class of {@code pkg} (e.g. {@code "android/"}), as a class or inside a descriptor. */
  private static boolean refersTo(List<String> constants, String pkg) {
    for (String c : constants) {
      if (c.startsWith(pkg) || c.contains("L" + pkg)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void logicUsesNoAndroidClassAndNoClassUsesWhatAndroidLacks() throws IOException, URISyntaxException {
    TreeMap<String, List<String>> pools = constantPools();
    List<String> offenders = new ArrayList<>();
    int logic = 0;
    for (var e : pools.entrySet()) {
      if (e.getKey().startsWith("org/cropmae/android/demo/logic/")) {
        logic++;
        if (refersTo(e.getValue(), "android/")) {
          offenders.add(e.getKey() + " uses android.*");
        }
      }
      for (String api : NOWHERE) {
        if (refersTo(e.getValue(), api)) {
          offenders.add(e.getKey() + " uses " + api);
        }
      }
    }
    assertTrue(logic >= 10, "expected the logic classes, found " + logic);
    assertEquals(List.of(), offenders);
  }

  @Test
  void theScanSeesAndroidReferences() throws IOException, URISyntaxException {
    // Otherwise the test above proves nothing.
    TreeMap<String, List<String>> pools = constantPools();
    assertTrue(refersTo(pools.get("org/cropmae/android/demo/MainActivity.class"), "android/"));
    assertTrue(refersTo(pools.get("org/cropmae/android/demo/logic/ArgbImages.class"), "org/cropmae/runtime/"));
    assertTrue(!refersTo(pools.get("org/cropmae/android/demo/logic/ArgbImages.class"), "android/"),
        "the app's own package name (org/cropmae/android/) is not mistaken for android.*");
  }
}
