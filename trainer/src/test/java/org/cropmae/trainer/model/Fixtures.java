package org.cropmae.trainer.model;

import org.cropmae.trainer.TestFixtures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cropmae.runtime.io.Npy;
import org.cropmae.runtime.io.NpyArray;

/** The reference fixtures (computed by the official code) as test resources. */
final class Fixtures {
  private Fixtures() {}

  static NpyArray npy(String resource) throws IOException {
    return Npy.read(path(resource));
  }

  static String text(String resource) throws IOException {
    return Files.readString(path(resource), StandardCharsets.UTF_8);
  }

  /** A number {@code "key": value} from a flat or nested JSON text (keys are unique in the fixtures). */
  static double jsonNumber(String json, String key) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*(-?[0-9.eE+-]+)").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no number '" + key + "' in the fixture JSON");
    }
    return Double.parseDouble(m.group(1));
  }

  static Path path(String resource) {
    return TestFixtures.path(resource);
  }
}
