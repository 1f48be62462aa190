package org.cropmae.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry whose manifest and models come from somewhere other than the classpath (Android assets). */
class ModelRegistryOfTest {
  // The bytes "abc" and their SHA-256 (FIPS 180-2 test vector).
  private static final byte[] MODEL = "abc".getBytes(StandardCharsets.US_ASCII);
  private static final String SHA = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @TempDir Path cache;

  private static InputStream manifest(String sha) {
    String json = "{\"default\": \"m\", \"models\": [{\"name\": \"m\", \"file\": \"m.onnx\", \"patch_size\": 16,"
        + " \"sha256\": \"" + sha + "\", \"size\": 3}]}";
    return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
  }

  private static ModelRegistry.BundledFiles files(Map<String, byte[]> content) {
    return name -> content.containsKey(name) ? new ByteArrayInputStream(content.get(name)) : null;
  }

  @Test
  void copiesTheModelIntoTheCacheAndVerifiesIt() throws IOException {
    ModelRegistry r = ModelRegistry.of(manifest(SHA), "assets/models/", files(Map.of("m.onnx", MODEL)), cache);
    assertEquals("m", r.defaultModel());
    Path p = r.resolve("m");
    assertEquals(cache.resolve(SHA.substring(0, 16)).resolve("m.onnx"), p);
    assertArrayEquals(MODEL, Files.readAllBytes(p));
    // A second resolve finds the verified copy and does not need the source again.
    ModelRegistry noSource = ModelRegistry.of(manifest(SHA), "assets/models/", files(Map.of()), cache);
    assertEquals(p, noSource.resolve("m"));
  }

  @Test
  void refusesBytesThatDoNotMatchTheManifest() throws IOException {
    ModelRegistry r = ModelRegistry.of(manifest(SHA), "assets/models/",
        files(Map.of("m.onnx", "abd".getBytes(StandardCharsets.US_ASCII))), cache);
    IOException e = assertThrows(IOException.class, () -> r.resolve("m"));
    assertEquals("model 'm': SHA-256 of assets/models/m.onnx is "
        + "a52d159f262b2c6ddb724a61840befc36eb30c88877a4030b65cbe86298449c9, the manifest says " + SHA
        + "; refusing to use it", e.getMessage());
    assertEquals(false, Files.exists(cache.resolve(SHA.substring(0, 16)).resolve("m.onnx")), "nothing left behind");
  }

  @Test
  void missingModelFileIsNamed() throws IOException {
    ModelRegistry r = ModelRegistry.of(manifest(SHA), "assets/models/", files(Map.of()), cache);
    IOException e = assertThrows(IOException.class, () -> r.resolve("m"));
    assertEquals("model 'm': assets/models/m.onnx is listed in the manifest but missing", e.getMessage());
  }

  @Test
  void manifestWithoutModels() {
    InputStream json = new ByteArrayInputStream("{\"default\": \"m\", \"models\": []}".getBytes(StandardCharsets.UTF_8));
    IOException e = assertThrows(IOException.class, () -> ModelRegistry.of(json, "assets/models/", files(Map.of()), cache));
    assertEquals("model registry: assets/models/manifest.json lists no models", e.getMessage());
  }
}
