package org.cropmae.runtime.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import org.cropmae.runtime.io.AtomicFiles;
import org.cropmae.runtime.io.Sha256;

/**
 * The encoders known by name, from the manifest {@value #MANIFEST} on the classpath (the
 * {@code cropmae-onnx-models} jar provides it), or from a manifest and model files shipped some
 * other way (Android assets: {@link #of}).
 *
 * <p>{@link #resolve} turns a name into a file ONNX Runtime can open: a bundled model is copied
 * once into the cache folder and its SHA-256 checked against the manifest every time it is
 * resolved; a mismatch is an error, never a silent use.
 */
public final class ModelRegistry {
  /** Classpath location of the manifest. */
  public static final String MANIFEST = "/org/cropmae/models/manifest.json";
  private static final String RESOURCE_DIR = "/org/cropmae/models/";

  private final Manifest manifest;
  private final BundledFiles files;
  private final String location;
  private final Path cacheDir;

  /** Opens the files that ship next to a manifest (the bundled models). */
  @FunctionalInterface
  public interface BundledFiles {
    /** The file named {@code fileName} (as the manifest's {@code file} field gives it), or {@code null} when absent. */
    InputStream open(String fileName) throws IOException;
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Manifest(@JsonProperty("default") String defaultModel, @JsonProperty("models") List<ModelEntry> models) {}

  private ModelRegistry(Manifest manifest, BundledFiles files, String location, Path cacheDir) {
    this.manifest = manifest;
    this.files = files;
    this.location = location;
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
      return of(in, RESOURCE_DIR, name -> ModelRegistry.class.getResourceAsStream(RESOURCE_DIR + name), cacheDir);
    }
  }

  /**
   * The registry of a manifest read from {@code manifest}, its bundled models opened with
   * {@code files} (on Android: the app's assets, which are not files ONNX Runtime can open, hence
   * the copy into {@code cacheDir} that {@link #resolve} makes and verifies).
   *
   * @param location where the manifest and models come from, as a prefix for messages (e.g. {@code "assets/models/"})
   * @throws IOException when the manifest is malformed or lists no models
   */
  public static ModelRegistry of(InputStream manifest, String location, BundledFiles files, Path cacheDir)
      throws IOException {
    Manifest m = new ObjectMapper().readValue(manifest, Manifest.class);
    if (m.models() == null || m.models().isEmpty()) {
      throw new IOException("model registry: " + location + "manifest.json lists no models");
    }
    return new ModelRegistry(m, Objects.requireNonNull(files, "files"), location, Objects.requireNonNull(cacheDir, "cacheDir"));
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
   * A local ONNX file for {@code nameOrPath}: an existing file is returned as it is; otherwise the
   * registry model of that name, copied into the cache and verified.
   *
   * @throws IOException when a bundled model's bytes do not match its SHA-256
   * @throws IllegalArgumentException when the name is unknown or the model is not bundled
   */
  public Path resolve(String nameOrPath) throws IOException {
    Objects.requireNonNull(nameOrPath, "nameOrPath");
    Path asFile = Path.of(nameOrPath);
    if (Files.isRegularFile(asFile)) {
      return asFile;
    }
    ModelEntry e = entry(nameOrPath);
    if (!e.bundled()) {
      throw new IllegalArgumentException("model '" + e.name() + "' is not bundled; " + e.obtain());
    }
    Path target = cacheDir.resolve(e.sha256().substring(0, 16)).resolve(e.file());
    if (Files.isRegularFile(target) && Sha256.of(target).equals(e.sha256())) {
      return target;
    }
    String resource = location + e.file();
    MessageDigest md = Sha256.newDigest();
    try (InputStream in = files.open(e.file())) {
      if (in == null) {
        throw new IOException("model '" + e.name() + "': " + resource + " is listed in the manifest but missing");
      }
      AtomicFiles.write(target, out -> {
        // A plain copy loop rather than InputStream.transferTo, which Android has only from API 33.
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) >= 0; ) {
          md.update(buffer, 0, n);
          out.write(buffer, 0, n);
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
