package org.cropmae.trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.cropmae.runtime.io.Npy;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.trainer.checkpoint.TorchCheckpoint;

/** The reference fixtures (computed by the official code) as this module's test resources. */
public final class TestFixtures {
  private TestFixtures() {}

  /** The state dict of the reference {@code checkpoint.pth}, read with our safe reader. */
  public static Map<String, NpyArray> referenceStateDict() throws IOException {
    return TorchCheckpoint.read(path("reference/checkpoint.pth")).stateDict();
  }

  /** A test resource as a file. */
  public static Path path(String resource) {
    var url = TestFixtures.class.getClassLoader().getResource(resource);
    if (url == null) {
      throw new UncheckedIOException(new IOException("test resource " + resource + " not found"));
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A {@code .npy} test resource. */
  public static NpyArray npy(String resource) throws IOException {
    return Npy.read(path(resource));
  }
}
