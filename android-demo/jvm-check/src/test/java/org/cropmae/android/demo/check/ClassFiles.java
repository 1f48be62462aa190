package org.cropmae.android.demo.check;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The constant pools of compiled classes (JVMS 4.4), read without a bytecode library: the strings
 * (class names, descriptors) and the methods and fields a class calls, so that tests can say what
 * the app's code refers to.
 */
final class ClassFiles {
  private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L([\\w/$]+);");

  /**
   * One class file's constant pool.
   *
   * @param name internal name, e.g. {@code org/cropmae/android/demo/MainActivity}
   * @param strings every UTF-8 constant
   * @param classes every class named (CONSTANT_Class entries and types inside descriptors)
   * @param members every method or field referred to, as {@code owner.name:descriptor}
   */
  record ClassInfo(String name, List<String> strings, Set<String> classes, Set<String> members) {}

  private ClassFiles() {}

  /** The classes under a class-path folder, by internal name. */
  static Map<String, ClassInfo> readFolder(Path root) throws IOException {
    Map<String, ClassInfo> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
        String rel = root.relativize(f).toString().replace('\\', '/');
        String name = rel.substring(0, rel.length() - ".class".length());
        out.put(name, parse(name, Files.readAllBytes(f)));
      }
    }
    return out;
  }

  /** The class-path folder or jar a class was loaded from. */
  static Path locationOf(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  static ClassInfo parse(String name, byte[] classFile) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    in.skipBytes(8); // magic, minor and major version
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    int[] classIndex = new int[count]; // CONSTANT_Class -> name index
    int[][] refs = new int[count][]; // Fieldref/Methodref/InterfaceMethodref -> {class, nameAndType}
    int[][] nameAndType = new int[count][];
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 7 -> classIndex[i] = in.readUnsignedShort();
        case 9, 10, 11 -> refs[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
        case 12 -> nameAndType[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
        case 8, 16, 19, 20 -> in.skipBytes(2);
        case 15 -> in.skipBytes(3);
        case 3, 4, 17, 18 -> in.skipBytes(4);
        case 5, 6 -> {
          in.skipBytes(8);
          i++; // longs and doubles take two slots
        }
        default -> throw new IOException(name + ": unknown constant pool tag " + tag);
      }
    }
    List<String> strings = new ArrayList<>();
    Set<String> classes = new TreeSet<>();
    Set<String> members = new TreeSet<>();
    for (int i = 1; i < count; i++) {
      if (utf8[i] != null) {
        strings.add(utf8[i]);
        Matcher m = TYPE_IN_DESCRIPTOR.matcher(utf8[i]);
        while (m.find()) {
          classes.add(m.group(1));
        }
      }
      if (classIndex[i] != 0) {
        String c = utf8[classIndex[i]];
        classes.add(c.startsWith("[") ? c.replaceAll("^\\[+L?|;$", "") : c);
      }
      if (refs[i] != null) {
        int[] nt = nameAndType[refs[i][1]];
        members.add(utf8[classIndex[refs[i][0]]] + "." + utf8[nt[0]] + ":" + utf8[nt[1]]);
      }
    }
    return new ClassInfo(name, strings, classes, members);
  }

  /** The classes of {@code all} reachable from those whose name starts with {@code rootPrefix}, by class references. */
  static Map<String, ClassInfo> reachable(Map<String, ClassInfo> all, String rootPrefix) {
    Map<String, ClassInfo> out = new TreeMap<>();
    Deque<String> todo = new ArrayDeque<>();
    all.keySet().stream().filter(n -> n.startsWith(rootPrefix)).forEach(todo::add);
    while (!todo.isEmpty()) {
      String n = todo.pop();
      ClassInfo c = all.get(n);
      if (c == null || out.containsKey(n)) {
        continue;
      }
      out.put(n, c);
      todo.addAll(c.classes());
    }
    return out;
  }
}
