package org.cropmae.runtime.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import org.cropmae.runtime.io.AtomicFiles;
import org.cropmae.runtime.io.Sha256;

/**
 * The encoders known by name, from the manifest {@value #MANIFEST} on the classpath (the
 * {@code cropmae-onnx-models} jar provides it).
 *
 * <p>{@link #resolve} turns a name into a file ONNX Runtime can open: a bundled model is copied
 * once into the cache folder and its SHA-256 checked against the manifest every time it is
 * resolved; a model with a {@code url}, or an {@code https://...#sha256=<hex>} address, is
 * downloaded into the cache by {@link ModelDownload} (resumable, verified). A mismatch is an error,
 * never a silent use.
 */
public final class ModelRegistry {
  /** Classpath location of the manifest. */
  public static final String MANIFEST = "/org/cropmae/models/manifest.json";
  private static final String RESOURCE_DIR = "/org/cropmae/models/";

  private final Manifest manifest;
  private final Class<?> loader;
  private final Path cacheDir;

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Manifest(@JsonProperty("default") String defaultModel, @JsonProperty("models") List<ModelEntry> models) {}

  private ModelRegistry(Manifest manifest, Class<?> loader, Path cacheDir) {
    this.manifest = manifest;
    this.loader = loader;
    this.cacheDir = cacheDir;
  }

  /**
   * The registry of the manifest on the classpath, caching into {@link #defaultCacheDir()}.
   *
   * @throws IOException when no manifest is on the classpath or it is malformed
   */
  public static ModelRegistry bundled() throws IOException {
    return bundled(defaultCacheDir());
  }

  /** The registry of the manifest on the classpath, caching into {@code cacheDir}. */
  public static ModelRegistry bundled(Path cacheDir) throws IOException {
    try (InputStream in = ModelRegistry.class.getResourceAsStream(MANIFEST)) {
      if (in == null) {
        throw new IOException("model registry: " + MANIFEST + " is not on the classpath (add the cropmae-onnx-models jar)");
      }
      Manifest m = new ObjectMapper().readValue(in, Manifest.class);
      if (m.models() == null || m.models().isEmpty()) {
        throw new IOException("model registry: " + MANIFEST + " lists no models");
      }
      return new ModelRegistry(m, ModelRegistry.class, cacheDir);
    }
  }

  /** {@code $CROPMAE_CACHE/models} when set, else {@code ~/.cache/cropmae/models}. */
  public static Path defaultCacheDir() {
    String env = System.getenv("CROPMAE_CACHE");
    Path base = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "cropmae");
    return base.resolve("models");
  }

  /** All models, in manifest order. */
  public List<ModelEntry> models() {
    return List.copyOf(manifest.models());
  }

  /** Name of the model used when none is given. */
  public String defaultModel() {
    return manifest.defaultModel();
  }

  /**
   * The entry called {@code name}.
   *
   * @throws IllegalArgumentException naming the known models when there is none of that name
   */
  public ModelEntry entry(String name) {
    for (ModelEntry e : manifest.models()) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    throw new IllegalArgumentException("model '" + name + "' is not in the registry (known: "
        + manifest.models().stream().map(ModelEntry::name).toList() + ")");
  }

  /**
   * A local ONNX file for {@code nameOrPath}:
   *
   * <ul>
   *   <li>an existing file, returned as it is;
   *   <li>{@code https://host/path/model.onnx#sha256=<64 hex digits>}, downloaded into the cache
   *       (the checksum is required: nothing unverified is used);
   *   <li>a registry name: bundled models are copied into the cache, models with a {@code url} are
   *       downloaded; both verified against the manifest's SHA-256.
   * </ul>
   *
   * @throws IOException when bytes do not match their SHA-256 or a download fails
   * @throws IllegalArgumentException when the name is unknown, the model can be neither copied nor
   *     downloaded, or an address lacks its checksum
   */
  public Path resolve(String nameOrPath) throws IOException {
    return resolve(nameOrPath, null);
  }

  /** {@link #resolve(String)}, reporting download progress to {@code progress} (may be null). */
  public Path resolve(String nameOrPath, ModelDownload.Progress progress) throws IOException {
    Objects.requireNonNull(nameOrPath, "nameOrPath");
    if (nameOrPath.startsWith("https://") || nameOrPath.startsWith("http://")) {
      return ModelDownload.fetchAddress(nameOrPath, cacheDir, progress);
    }
    Path asFile = Path.of(nameOrPath);
    if (Files.isRegularFile(asFile)) {
      return asFile;
    }
    ModelEntry e = entry(nameOrPath);
    if (!e.bundled()) {
      if (e.url() != null && !e.url().isBlank()) {
        String name = e.name() + ".onnx";
        return ModelDownload.fetch(URI.create(e.url()), e.sha256(), cacheDir.resolve(e.sha256().substring(0, 16)).resolve(name),
            progress);
      }
      throw new IllegalArgumentException("model '" + e.name() + "' is not bundled; " + e.obtain());
    }
    Path target = cacheDir.resolve(e.sha256().substring(0, 16)).resolve(e.file());
    if (Files.isRegularFile(target) && Sha256.of(target).equals(e.sha256())) {
      return target;
    }
    String resource = RESOURCE_DIR + e.file();
    MessageDigest md = Sha256.newDigest();
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("model '" + e.name() + "': " + resource + " is listed in the manifest but missing from the classpath");
      }
      AtomicFiles.write(target, out -> {
        try (DigestInputStream din = new DigestInputStream(in, md)) {
          din.transferTo(out);
        }
        String got = Sha256.hex(md);
        if (!got.equals(e.sha256())) {
          throw new IOException("model '" + e.name() + "': SHA-256 of " + resource + " is " + got
              + ", the manifest says " + e.sha256() + "; refusing to use it");
        }
      });
    }
    return target;
  }
}
