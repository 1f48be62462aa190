package org.cropmae.android.demo.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Reads the app's {@code res/} folder the way aapt names its resources: every resource's R type and
 * field name ({@code layout/activity_main.xml} is {@code layout.activity_main}, {@code @+id/x} is
 * {@code id.x}, style {@code A.B} is {@code style.A_B}), and the values of strings, dimensions,
 * colours and string arrays.
 */
final class AppResources {
  /** The app module, found from the working directory Maven and IDEs run tests in. */
  static final Path APP = locateApp();
  static final Path RES = APP.resolve("src/main/res");

  private static final Map<String, String> VALUE_TYPES = Map.of(
      "string", "string", "color", "color", "dimen", "dimen", "string-array", "array", "integer", "integer",
      "bool", "bool", "style", "style", "plurals", "plurals");

  private final Map<String, Set<String>> names = new TreeMap<>();
  private final Map<String, String> values = new TreeMap<>();
  private final Map<String, List<String>> arrays = new TreeMap<>();

  private AppResources() {}

  private static Path locateApp() {
    Path cwd = Paths.get("").toAbsolutePath();
    for (Path p : List.of(cwd.resolve("../app"), cwd.resolve("android-demo/app"), cwd.resolve("app"))) {
      if (Files.isDirectory(p.resolve("src/main/res"))) {
        return p.normalize();
      }
    }
    throw new IllegalStateException("android-demo/app not found from " + cwd);
  }

  static AppResources read() throws IOException {
    AppResources r = new AppResources();
    try (Stream<Path> dirs = Files.list(RES)) {
      for (Path dir : (Iterable<Path>) dirs.sorted()::iterator) {
        String folder = dir.getFileName().toString();
        String type = folder.contains("-") ? folder.substring(0, folder.indexOf('-')) : folder;
        try (Stream<Path> files = Files.list(dir)) {
          for (Path f : (Iterable<Path>) files.sorted()::iterator) {
            String file = f.getFileName().toString();
            if (type.equals("values")) {
              r.readValues(f);
              continue;
            }
            r.add(type, file.substring(0, file.indexOf('.')));
            if (file.endsWith(".xml")) {
              r.collectIds(parse(f).getDocumentElement());
            }
          }
        }
      }
    }
    return r;
  }

  private static Document parse(Path f) throws IOException {
    try {
      return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(f.toFile());
    } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
      throw new IOException(f + ": not well-formed XML: " + e.getMessage(), e);
    }
  }

  private void readValues(Path f) throws IOException {
    NodeList items = parse(f).getDocumentElement().getChildNodes();
    for (int i = 0; i < items.getLength(); i++) {
      if (!(items.item(i) instanceof Element e)) {
        continue;
      }
      String tag = e.getTagName();
      String name = e.getAttribute("name");
      if (tag.equals("item") && e.getAttribute("type").equals("id")) {
        add("id", name);
        continue;
      }
      String type = VALUE_TYPES.get(tag);
      if (type == null) {
        throw new IOException(f + ": resource element <" + tag + "> is not handled by this check");
      }
      String field = name.replace('.', '_');
      add(type, field);
      if (tag.equals("string-array")) {
        List<String> entries = new ArrayList<>();
        NodeList children = e.getElementsByTagName("item");
        for (int k = 0; k < children.getLength(); k++) {
          entries.add(children.item(k).getTextContent());
        }
        arrays.put(field, entries);
      } else if (!tag.equals("style")) {
        values.put(type + "." + field, e.getTextContent());
      }
    }
  }

  private void collectIds(Node node) {
    NamedNodeMap attrs = node.getAttributes();
    if (attrs != null) {
      for (int i = 0; i < attrs.getLength(); i++) {
        String v = attrs.item(i).getNodeValue();
        if (v.startsWith("@+id/")) {
          add("id", v.substring(5));
        }
      }
    }
    NodeList children = node.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      collectIds(children.item(i));
    }
  }

  private void add(String type, String name) {
    names.computeIfAbsent(type, k -> new TreeSet<>()).add(name);
  }

  /** R field names by R type, both sorted. */
  Map<String, Set<String>> names() {
    return names;
  }

  /** A value resource's text, e.g. {@code value("dimen", "swatch_size")} is {@code "36dp"}. */
  String value(String type, String name) {
    String v = values.get(type + "." + name);
    if (v == null) {
      throw new IllegalArgumentException("no " + type + " resource named " + name);
    }
    return v;
  }

  /** A string array's items. */
  List<String> array(String name) {
    List<String> a = arrays.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no string-array named " + name);
    }
    return a;
  }

  /** A dimension in dp or sp as a number (density-independent pixels). */
  float dp(String name) {
    String v = value("dimen", name).trim();
    if (!v.endsWith("dp") && !v.endsWith("sp")) {
      throw new IllegalArgumentException("dimen " + name + " = " + v + " is not in dp or sp");
    }
    return Float.parseFloat(v.substring(0, v.length() - 2));
  }

  /** A colour as {@code 0xAARRGGBB}. */
  int color(String name) {
    String v = value("color", name).trim();
    long argb = Long.parseLong(v.substring(1), 16);
    return (int) (v.length() == 7 ? 0xFF000000L | argb : argb);
  }

  /** The R class aapt would generate for these names (ids numbered per type, as a stand-in). */
  String rSource(String packageName) {
    StringBuilder sb = new StringBuilder();
    sb.append("package ").append(packageName).append(";\n\n");
    sb.append("/**\n");
    sb.append(" * Stand-in for the R class that aapt generates from app/src/main/res, so that the JVM check can\n");
    sb.append(" * compile the app without the Android build tools. The Gradle build does not see this file.\n");
    sb.append(" * ResourceStubTest fails when it no longer lists exactly the resources res/ declares; the\n");
    sb.append(" * failure message holds the new content (or run the check with -Dregenerate.r=true).\n");
    sb.append(" * The numbers are placeholders, not aapt's.\n");
    sb.append(" */\n");
    sb.append("@SuppressWarnings(\"unused\")\n");
    sb.append("public final class R {\n  private R() {}\n");
    int t = 0;
    for (Map.Entry<String, Set<String>> e : names.entrySet()) {
      t++;
      sb.append("\n  public static final class ").append(e.getKey()).append(" {\n");
      sb.append("    private ").append(e.getKey()).append("() {}\n\n");
      int i = 0;
      for (String n : e.getValue()) {
        sb.append(String.format("    public static final int %s = 0x7f%02x%04x;%n", n, t, i++));
      }
      sb.append("  }\n");
    }
    sb.append("}\n");
    return sb.toString();
  }
}
