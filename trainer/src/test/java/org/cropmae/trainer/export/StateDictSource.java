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

/**
 * Where the parity tests get the weights of the reference fixtures' checkpoint.
 *
 * <p>TEMPORARY: {@link #REFERENCE} reads a per-tensor {@code .npy} dump of the encoder part of
 * {@code checkpoint.pth} from {@code reference/ckpt_npy/}. Once the checkpoint reader
 * ({@code org.cropmae.trainer.checkpoint}) is merged, switch it to read {@code reference/checkpoint.pth}
 * through that reader and delete the dump.
 */
@FunctionalInterface
interface StateDictSource {
  Map<String, NpyArray> load() throws IOException;

  /** The state dict of the checkpoint the encoder fixtures were computed with. */
  StateDictSource REFERENCE = () -> npyDirectory(TestResources.path("reference/ckpt_npy"));

  /** Every {@code <key>.npy} of a folder as {@code key -> array}. */
  static Map<String, NpyArray> npyDirectory(Path dir) throws IOException {
    Map<String, NpyArray> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.endsWith(".npy")) {
          out.put(name.substring(0, name.length() - 4), Npy.read(f));
        }
      }
    }
    return out;
  }

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
