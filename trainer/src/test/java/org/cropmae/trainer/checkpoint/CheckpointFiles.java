package org.cropmae.trainer.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Test helper: the reference fixtures, and zip checkpoints laid out as torch.save writes them. */
final class CheckpointFiles {
  private CheckpointFiles() {}

  /** A fixture copied from /work/shared/reference into src/test/resources/reference. */
  static Path fixture(String name) {
    try {
      return Path.of(CheckpointFiles.class.getResource("/reference/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Records for a zip checkpoint: data.pkl plus any others, in order, under folder {@code archive/}. */
  static Map<String, byte[]> records(byte[] pickle) {
    Map<String, byte[]> r = new LinkedHashMap<>();
    r.put("data.pkl", pickle);
    return r;
  }

  static Path writeZip(Path file, Map<String, byte[]> records) throws IOException {
    try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
      for (Map.Entry<String, byte[]> e : records.entrySet()) {
        zip.putNextEntry(new ZipEntry("archive/" + e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return file;
  }

  static byte[] floats(ByteOrder order, float... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(order);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }
}
