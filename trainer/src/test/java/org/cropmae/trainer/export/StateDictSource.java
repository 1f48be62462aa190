package org.cropmae.trainer.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.cropmae.runtime.io.Npy;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.trainer.checkpoint.TorchCheckpoint;

/** Where the parity tests get the weights of the reference fixtures' checkpoint. */
@FunctionalInterface
interface StateDictSource {
  Map<String, NpyArray> load() throws IOException;

  /** The state dict of the checkpoint the encoder fixtures were computed with, read by our safe reader. */
  StateDictSource REFERENCE = () -> TorchCheckpoint.read(TestResources.path("reference/checkpoint.pth")).stateDict();

  /** Test resources as files. */
  final class TestResources {
    private TestResources() {}

    static Path path(String resource) {
      var url = StateDictSource.class.getClassLoader().getResource(resource);
      if (url == null) {
        throw new UncheckedIOException(new IOException("test resource " + resource + " not found"));
      }
      try {
        return Path.of(url.toURI());
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }

    static NpyArray npy(String resource) throws IOException {
      return Npy.read(path(resource));
    }
  }
}
