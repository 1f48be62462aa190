package org.cropmae.android.demo.logic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCacheTest {
  @TempDir Path root;

  @Test
  void copiesOncePerBuildAndDropsOtherBuilds() throws IOException {
    byte[] model = new byte[200_000];
    for (int i = 0; i < model.length; i++) {
      model[i] = (byte) (i * 31);
    }
    AtomicInteger opened = new AtomicInteger();
    ModelCache.Source source = () -> {
      opened.incrementAndGet();
      return new ByteArrayInputStream(model);
    };
    Path a = ModelCache.ensure(root, "12-1700000000000", "m.onnx", source);
    assertEquals(root.resolve("12-1700000000000").resolve("m.onnx"), a);
    assertArrayEquals(model, Files.readAllBytes(a));
    assertEquals(a, ModelCache.ensure(root, "12-1700000000000", "m.onnx", source));
    assertEquals(1, opened.get(), "the second start reuses the copy");
    Path b = ModelCache.ensure(root, "13-1700000009999", "m.onnx", source);
    assertEquals(2, opened.get());
    assertTrue(Files.isRegularFile(b));
    assertFalse(Files.exists(root.resolve("12-1700000000000")), "the previous build's copy is deleted");
  }

  @Test
  void aFailedCopyLeavesNoModelBehind() throws IOException {
    ModelCache.Source broken = () -> new InputStream() {
      private int n;

      @Override
      public int read() throws IOException {
        if (n++ > 1000) {
          throw new IOException("asset stream broke");
        }
        return 1;
      }
    };
    IOException e = assertThrows(IOException.class, () -> ModelCache.ensure(root, "1", "m.onnx", broken));
    assertEquals("asset stream broke", e.getMessage());
    try (Stream<Path> files = Files.walk(root)) {
      assertEquals(0, files.filter(Files::isRegularFile).count(), "no partial file under any name");
    }
  }

  @Test
  void badNamesAndMissingAssetsAreNamed() {
    assertEquals("stamp must be a plain file name (letters, digits, '.', '-', '_'), got '../x'",
        assertThrows(IllegalArgumentException.class, () -> ModelCache.ensure(root, "../x", "m.onnx", () -> null)).getMessage());
    assertEquals("fileName must be a plain file name, got '..'",
        assertThrows(IllegalArgumentException.class, () -> ModelCache.ensure(root, "1", "..", () -> null)).getMessage());
    assertEquals("bundled model m.onnx is missing from the app",
        assertThrows(IOException.class, () -> ModelCache.ensure(root, "1", "m.onnx", () -> null)).getMessage());
  }
}
