package org.cropmae.android.demo.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cropmae.android.demo.R;
import org.cropmae.android.demo.logic.MenuChoices;
import org.junit.jupiter.api.Test;

/**
 * The hand-kept R stub (src/stub/java) must declare exactly the resources of app/src/main/res: then
 * the app compiling against the stub means every {@code R.x.y} it uses exists in res/, as it must
 * for aapt's real R class. And what the code and resources say about each other must agree.
 */
class ResourceStubTest {
  private static final Path STUB = Path.of("src/stub/java/org/cropmae/android/demo/R.java");

  private static Map<String, Set<String>> stubNames() {
    Map<String, Set<String>> out = new TreeMap<>();
    for (Class<?> type : R.class.getDeclaredClasses()) {
      Set<String> fields = new TreeSet<>();
      for (Field f : type.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
          fields.add(f.getName());
        }
      }
      out.put(type.getSimpleName(), fields);
    }
    return out;
  }

  @Test
  void stubDeclaresExactlyTheResourcesOfRes() throws IOException {
    AppResources res = AppResources.read();
    if (Boolean.getBoolean("regenerate.r")) {
      Files.writeString(STUB, res.rSource(R.class.getPackageName()), StandardCharsets.UTF_8);
    }
    assertEquals(res.names(), stubNames(), () -> "R stub out of date; replace " + STUB.toAbsolutePath() + " with:\n\n"
        + res.rSource(R.class.getPackageName()));
  }

  @Test
  void everyResourceTheCodeNamesExistsAndEveryDeclaredOneIsUsed() throws IOException {
    AppResources res = AppResources.read();
    Set<String> used = new TreeSet<>();
    Pattern javaRef = Pattern.compile("\\bR\\.(\\w+)\\.(\\w+)");
    Pattern xmlRef = Pattern.compile("@(?:\\+)?(\\w+)/([\\w.]+)");
    try (Stream<Path> files = Files.walk(AppResources.APP.resolve("src/main"))) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String name = f.getFileName().toString();
        if (!name.endsWith(".java") && !name.endsWith(".xml")) {
          continue;
        }
        String text = Files.readString(f);
        Matcher m = (name.endsWith(".java") ? javaRef : xmlRef).matcher(text);
        while (m.find()) {
          used.add(m.group(1) + "." + m.group(2).replace('.', '_'));
        }
      }
    }
    Set<String> declared = new TreeSet<>();
    res.names().forEach((type, names) -> names.forEach(n -> declared.add(type + "." + n)));
    Set<String> missing = new TreeSet<>(used);
    missing.removeIf(u -> declared.contains(u) || u.startsWith("android."));
    assertEquals(Set.of(), missing, "referenced but not declared in res/");
    Set<String> unused = new TreeSet<>(declared);
    unused.removeAll(used);
    // Layout ids are declared by the layout itself; the ones the code never reads just name rows.
    unused.removeIf(u -> u.startsWith("id."));
    assertEquals(Set.of(), unused, "declared in res/ but used nowhere");
  }

  @Test
  void menuLabelsMatchTheChoicesInCode() throws IOException {
    AppResources res = AppResources.read();
    assertEquals(MenuChoices.SAMPLING_FPS.stream().map(f -> f + " fps").toList(), res.array("sampling_choices"));
    assertEquals(MenuChoices.PROVIDERS.stream().map(Enum::name).toList(), res.array("provider_choices"));
    assertEquals(MenuChoices.LONGER_SIDES.size(), res.array("resolution_choices").size());
    for (int i = 0; i < MenuChoices.LONGER_SIDES.size(); i++) {
      String label = res.array("resolution_choices").get(i);
      assertTrue(label.contains("(" + MenuChoices.LONGER_SIDES.get(i) + " px)"), label);
    }
  }
}
