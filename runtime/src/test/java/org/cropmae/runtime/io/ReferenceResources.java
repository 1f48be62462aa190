package org.cropmae.runtime.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Locates the reference fixtures copied into {@code src/test/resources/reference/}. */
public final class ReferenceResources {
  private ReferenceResources() {}

  /** The path of {@code reference/<name>} on the test classpath. */
  public static Path path(String name) {
    URL url = ReferenceResources.class.getResource("/reference/" + name);
    if (url == null) {
      throw new IllegalStateException("test resource reference/" + name + " is missing");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads the fixture {@code reference/<name>} as a {@code .npy} array. */
  public static NpyArray npy(String name) {
    try {
      return Npy.read(path(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
