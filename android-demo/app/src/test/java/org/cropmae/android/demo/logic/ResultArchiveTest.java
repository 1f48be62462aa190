package org.cropmae.android.demo.logic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.Palette;
import org.cropmae.runtime.mask.PalettePng;
import org.junit.jupiter.api.Test;

class ResultArchiveTest {
  private static RgbImage frame(int w, int h, int seed) {
    byte[] rgb = new byte[w * h * 3];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (byte) (i * 7 + seed * 31);
    }
    return new RgbImage(w, h, rgb);
  }

  private static IndexMask mask(int w, int h, int label) {
    byte[] idx = new byte[w * h];
    for (int i = 0; i < idx.length; i += 3) {
      idx[i] = (byte) label;
    }
    return new IndexMask(h, w, idx, Palette.DAVIS);
  }

  private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        out.put(e.getName(), in.readAllBytes());
      }
    }
    return out;
  }

  @Test
  void archiveHoldsLosslessMasksTheFrameTableAndTheOverlay() throws IOException {
    List<RgbImage> frames = List.of(frame(6, 4, 0), frame(6, 4, 1), frame(6, 4, 2));
    List<IndexMask> masks = List.of(mask(6, 4, 1), mask(6, 4, 2), mask(6, 4, 0));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Integer> progress = new ArrayList<>();
    ResultArchive.write(out, frames, masks, new long[] {0, 100_000, 200_500}, 0.5f, 100, (done, total) -> {
      assertEquals(3, total);
      progress.add(done);
    });
    Map<String, byte[]> entries = unzip(out.toByteArray());
    assertEquals(List.of("masks/00000.png", "masks/00001.png", "masks/00002.png", "frames.csv", "overlay.gif"),
        List.copyOf(entries.keySet()));
    for (int t = 0; t < 3; t++) {
      assertEquals(masks.get(t), PalettePng.decode(entries.get(ExportNames.maskEntry(t)), "entry " + t, null));
    }
    assertEquals("frame,time_ms,mask\n0,0.000,masks/00000.png\n1,100.000,masks/00001.png\n2,200.500,masks/00002.png\n",
        new String(entries.get("frames.csv"), StandardCharsets.UTF_8));
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(entries.get("overlay.gif")))) {
      ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
      reader.setInput(in);
      assertEquals(3, reader.getNumImages(true));
      assertEquals(6, reader.read(0).getWidth());
      // The first overlay pixel is object 1 (edge: solid DAVIS red), exactly representable in the GIF.
      assertEquals(0xFF800000, reader.read(0).getRGB(0, 0));
      reader.dispose();
    }
    assertEquals(List.of(1, 2, 3), progress);
  }

  @Test
  void mismatchesAreNamed() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals("need one mask and one time per frame: 2 frames, 1 masks, 2 times", assertThrows(
        IllegalArgumentException.class, () -> ResultArchive.write(out, List.of(frame(2, 2, 0), frame(2, 2, 1)),
            List.of(mask(2, 2, 1)), new long[2], 0.5f, 10, null)).getMessage());
    assertEquals("mask 1 is 3x2 but frame 1 is 2x2 (height x width)", assertThrows(IllegalArgumentException.class,
        () -> ResultArchive.write(out, List.of(frame(2, 2, 0), frame(2, 2, 1)), List.of(mask(2, 2, 1), mask(2, 3, 1)),
            new long[2], 0.5f, 10, null)).getMessage());
    assertEquals("frame 1 is 3x2 but frame 0 is 2x2 (height x width)", assertThrows(IllegalArgumentException.class,
        () -> ResultArchive.writeOverlay(out, List.of(frame(2, 2, 0), frame(2, 3, 1)), List.of(mask(2, 2, 1),
            mask(2, 3, 1)), 0.5f, 10, null)).getMessage());
    assertEquals("frames is empty", assertThrows(IllegalArgumentException.class,
        () -> ResultArchive.write(out, List.of(), List.of(), new long[0], 0.5f, 10, null)).getMessage());
    assertTrue(out.size() == 0, "nothing written before the checks pass");
  }
}
