import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.Adler32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Checks the contents of the demo APK that {@code assemble-check.sh} builds: its dex files and its
 * assets. A single-file program for the JDK's source launcher ({@code java ApkCheck.java ...}), so
 * that CI needs nothing but the JDK for it.
 *
 * <pre>
 * java ApkCheck.java APK [--max-dex-version 037] [--classes-of JAR]... [--class Lpkg/Name;]...
 *                        [--asset ENTRY=FILE]... [--stored-asset ENTRY=FILE]...
 * </pre>
 *
 * <ul>
 *   <li>every {@code classes*.dex} of the APK: magic {@code dex\n}, format version at most
 *       {@code --max-dex-version} (API 24 reads 035–037), declared file size, Adler-32 checksum;</li>
 *   <li>{@code --classes-of JAR}: every class file of the jar (or directory) is defined in the dex
 *       files (class_defs, not mere references);</li>
 *   <li>{@code --class DESCRIPTOR}: that class is defined in the dex files;</li>
 *   <li>{@code --asset ENTRY=FILE}: the APK entry exists and holds exactly the file's bytes;
 *       {@code --stored-asset} also requires it stored uncompressed.</li>
 * </ul>
 *
 * Prints one summary line per check on success; on the first failure prints one line naming the
 * APK and the defect to standard error and exits with status 1 (status 2 for bad usage).
 */
public final class ApkCheck {

  private ApkCheck() {}

  /** A failed check: its message is the one line printed. */
  private static final class Defect extends Exception {
    private static final long serialVersionUID = 1L;

    Defect(String message) {
      super(message);
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: java ApkCheck.java APK [--max-dex-version V] [--classes-of JAR]... "
          + "[--class Lpkg/Name;]... [--asset ENTRY=FILE]... [--stored-asset ENTRY=FILE]...");
      System.exit(2);
    }
    Path apk = Path.of(args[0]);
    try {
      run(apk, Arrays.asList(args).subList(1, args.length));
    } catch (Defect e) {
      System.err.println("apk-check: " + apk + ": " + e.getMessage());
      System.exit(1);
    }
  }

  private static void run(Path apk, List<String> options) throws IOException, Defect {
    if (!Files.isRegularFile(apk)) {
      throw new Defect("no such file");
    }
    try (ZipFile zip = new ZipFile(apk.toFile())) {
      String maxVersion = "039";
      List<String> pending = new ArrayList<>(options);
      for (int i = 0; i + 1 < pending.size(); i += 2) {
        if (pending.get(i).equals("--max-dex-version")) {
          maxVersion = pending.get(i + 1);
        }
      }
      Set<String> defined = dexClasses(zip, maxVersion);
      for (int i = 0; i < options.size(); i += 2) {
        String option = options.get(i);
        if (i + 1 >= options.size()) {
          throw new Defect("option " + option + " needs a value");
        }
        String value = options.get(i + 1);
        switch (option) {
          case "--max-dex-version":
            break;
          case "--classes-of": {
            Set<String> expected = classesOf(Path.of(value));
            if (expected.isEmpty()) {
              throw new Defect(value + " holds no class files");
            }
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(defined);
            if (!missing.isEmpty()) {
              throw new Defect(missing.size() + " of the " + expected.size() + " classes of " + value
                  + " are not in the dex files, e.g. " + missing.iterator().next());
            }
            System.out.println("dex defines all " + expected.size() + " classes of " + value);
            break;
          }
          case "--class":
            if (!defined.contains(value)) {
              throw new Defect("class " + value + " is not defined in the dex files");
            }
            System.out.println("dex defines " + value);
            break;
          case "--asset":
          case "--stored-asset": {
            int eq = value.indexOf('=');
            if (eq <= 0) {
              throw new Defect(option + " wants ENTRY=FILE, got " + value);
            }
            checkAsset(zip, value.substring(0, eq), Path.of(value.substring(eq + 1)),
                option.equals("--stored-asset"));
            break;
          }
          default:
            throw new Defect("unknown option " + option);
        }
      }
    }
  }

  /** Validates every classes*.dex and returns the descriptors of the classes they define. */
  private static Set<String> dexClasses(ZipFile zip, String maxVersion) throws IOException, Defect {
    List<String> dexNames = new ArrayList<>();
    for (ZipEntry e : Collections.list(zip.entries())) {
      if (e.getName().matches("classes\\d*\\.dex")) {
        dexNames.add(e.getName());
      }
    }
    if (dexNames.isEmpty()) {
      throw new Defect("no classes.dex");
    }
    Collections.sort(dexNames);
    Set<String> defined = new TreeSet<>();
    for (String name : dexNames) {
      byte[] bytes;
      try (InputStream in = zip.getInputStream(zip.getEntry(name))) {
        bytes = in.readAllBytes();
      }
      List<String> classes = parseDex(name, bytes, maxVersion);
      for (String c : classes) {
        if (!defined.add(c)) {
          throw new Defect("class " + c + " is defined twice (again in " + name + ")");
        }
      }
      System.out.println(name + ": dex " + new String(bytes, 4, 3, StandardCharsets.US_ASCII)
          + ", " + bytes.length + " bytes, checksum ok, " + classes.size() + " classes");
    }
    return defined;
  }

  /** Header checks and the class_defs' type descriptors of one dex file (format: source.android.com/docs/core/runtime/dex-format). */
  private static List<String> parseDex(String name, byte[] b, String maxVersion) throws Defect {
    if (b.length < 0x70 || b[0] != 'd' || b[1] != 'e' || b[2] != 'x' || b[3] != '\n' || b[7] != 0) {
      throw new Defect(name + " is not a dex file (bad magic)");
    }
    String version = new String(b, 4, 3, StandardCharsets.US_ASCII);
    if (version.compareTo(maxVersion) > 0) {
      throw new Defect(name + " has dex version " + version + ", newer than " + maxVersion
          + " (the oldest Android version the app supports could not load it)");
    }
    ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    Adler32 adler = new Adler32();
    adler.update(b, 12, b.length - 12);
    if ((int) adler.getValue() != h.getInt(8)) {
      throw new Defect(name + ": Adler-32 checksum mismatch");
    }
    if (h.getInt(0x20) != b.length) {
      throw new Defect(name + ": header file_size " + h.getInt(0x20) + " != " + b.length + " bytes");
    }
    int stringIdsOff = h.getInt(0x3C);
    int typeIdsSize = h.getInt(0x40);
    int typeIdsOff = h.getInt(0x44);
    int classDefsSize = h.getInt(0x60);
    int classDefsOff = h.getInt(0x64);
    List<String> out = new ArrayList<>(classDefsSize);
    try {
      for (int k = 0; k < classDefsSize; k++) {
        int typeIdx = h.getInt(classDefsOff + 32 * k);
        if (typeIdx < 0 || typeIdx >= typeIdsSize) {
          throw new Defect(name + ": class_def " + k + " has type index " + typeIdx + " out of range");
        }
        int stringIdx = h.getInt(typeIdsOff + 4 * typeIdx);
        int dataOff = h.getInt(stringIdsOff + 4 * stringIdx);
        int p = dataOff;
        while ((b[p] & 0x80) != 0) { // skip the uleb128 UTF-16 length
          p++;
        }
        p++;
        int end = p;
        while (b[end] != 0) {
          end++;
        }
        // MUTF-8; class names here are ASCII or plain UTF-8.
        out.add(new String(b, p, end - p, StandardCharsets.UTF_8));
      }
    } catch (IndexOutOfBoundsException e) {
      throw new Defect(name + ": truncated or corrupt class_defs");
    }
    return out;
  }

  /** Descriptors (Lpkg/Name;) of the class files in a jar or a directory, module-info excluded. */
  private static Set<String> classesOf(Path jarOrDir) throws IOException, Defect {
    Set<String> out = new TreeSet<>();
    if (Files.isDirectory(jarOrDir)) {
      try (var paths = Files.walk(jarOrDir)) {
        for (Path p : (Iterable<Path>) paths::iterator) {
          addClass(out, jarOrDir.relativize(p).toString().replace('\\', '/'));
        }
      }
    } else if (Files.isRegularFile(jarOrDir)) {
      try (ZipFile jar = new ZipFile(jarOrDir.toFile())) {
        for (ZipEntry e : Collections.list(jar.entries())) {
          addClass(out, e.getName());
        }
      }
    } else {
      throw new Defect("no such jar or directory " + jarOrDir);
    }
    return out;
  }

  private static void addClass(Set<String> out, String path) {
    if (path.endsWith(".class") && !path.startsWith("META-INF/") && !path.endsWith("module-info.class")) {
      out.add("L" + path.substring(0, path.length() - ".class".length()) + ";");
    }
  }

  private static void checkAsset(ZipFile zip, String entryName, Path file, boolean stored)
      throws IOException, Defect {
    ZipEntry entry = zip.getEntry(entryName);
    if (entry == null) {
      throw new Defect("asset " + entryName + " is missing");
    }
    byte[] expected;
    try {
      expected = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new Defect("cannot read " + file + " to compare with " + entryName);
    }
    byte[] actual;
    try (InputStream in = zip.getInputStream(entry)) {
      actual = in.readAllBytes();
    }
    if (!Arrays.equals(expected, actual)) {
      throw new Defect("asset " + entryName + " (" + actual.length + " bytes) differs from " + file
          + " (" + expected.length + " bytes)");
    }
    if (stored && entry.getMethod() != ZipEntry.STORED) {
      throw new Defect("asset " + entryName + " is compressed; it must be stored");
    }
    System.out.println("asset " + entryName + ": " + actual.length + " bytes, equal to the source"
        + (stored ? ", stored" : ""));
  }
}
