package org.cropmae.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cropmae.runtime.io.Sha256;
import org.cropmae.runtime.model.ModelEntry;
import org.cropmae.runtime.model.ModelRegistry;
import org.cropmae.runtime.onnx.EncoderOptions;
import org.cropmae.runtime.onnx.EncoderOutput;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every manifest entry agrees with its file, and every bundled model runs in the runtime. */
class ManifestTest {
  @TempDir Path cache;

  @Test
  void bundledFilesMatchTheirChecksumSizeAndCard() throws IOException {
    ModelRegistry registry = ModelRegistry.bundled(cache);
    assertFalse(registry.models().isEmpty());
    assertTrue(registry.entry(registry.defaultModel()).bundled(), "the default model must be bundled");
    for (ModelEntry e : registry.models()) {
      if (!e.bundled()) {
        assertNotNull(e.obtain(), e.name() + ": a model that is not bundled must say how to obtain it");
        continue;
      }
      Path file = registry.resolve(e.name());
      assertEquals(e.size(), Files.size(file), e.name() + " size");
      assertEquals(e.sha256(), Sha256.of(file), e.name() + " sha256");
      try (InputStream card = ModelRegistry.class.getResourceAsStream("/org/cropmae/models/" + e.card())) {
        assertNotNull(card, e.name() + ": model card " + e.card() + " missing");
      }
    }
  }

  @Test
  void bundledModelsPassEncoderValidationAndGiveTheDocumentedShape() throws IOException {
    ModelRegistry registry = ModelRegistry.bundled(cache);
    for (ModelEntry e : registry.models()) {
      if (!e.bundled()) {
        continue;
      }
      try (OnnxEncoder encoder = OnnxEncoder.open(registry.resolve(e.name()),
          EncoderOptions.defaults().withExecutionProvider(EncoderOptions.ExecutionProvider.CPU))) {
        assertEquals(e.patchSize(), encoder.info().patchSize(), e.name());
        float[] mean = encoder.info().mean();
        assertArrayEquals(new float[] {e.mean().get(0).floatValue(), e.mean().get(1).floatValue(), e.mean().get(2).floatValue()}, mean);
        int h = 2 * e.patchSize(), w = 3 * e.patchSize();
        EncoderOutput out = encoder.encode(new float[3 * h * w], 1, h, w);
        assertEquals(2, out.patchFeatures().get(0).height());
        assertEquals(3, out.patchFeatures().get(0).width());
        assertEquals(encoder.info().embedDim(), out.embedDim());
      }
    }
  }

  @Test
  void aTamperedCacheIsReplacedAndUnknownNamesAreRefused() throws IOException {
    ModelRegistry registry = ModelRegistry.bundled(cache);
    String name = registry.defaultModel();
    Path file = registry.resolve(name);
    Files.write(file, new byte[] {1, 2, 3});
    Path again = registry.resolve(name);
    assertEquals(registry.entry(name).sha256(), Sha256.of(again));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.resolve("no-such-model"));
    assertTrue(e.getMessage().contains("no-such-model"), e.getMessage());
    List<String> names = registry.models().stream().map(ModelEntry::name).toList();
    assertTrue(e.getMessage().contains(names.get(0)), e.getMessage());
  }
}
