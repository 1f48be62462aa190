package org.cropmae.runtime.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.cropmae.runtime.io.ReferenceResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PalettePngTest {
  @TempDir Path tmp;

  /**
   * A DAVIS-layout PNG and what an independent decoder (Python zlib + NumPy) found in it: pixel
   * count per index and the CRC-32 of all indices in row-major order.
   */
  record Expected(String file, int[] counts, long crc32) {}

  static final List<Expected> DAVIS_FILES = List.of(
      new Expected("davis/Annotations/480p/blobs-a/00000.png", new int[] {393247, 16673}, 681060253L),
      new Expected("davis/Annotations/480p/blobs-b/00000.png", new int[] {382482, 17153, 10285}, 471672532L),
      new Expected("davis/Annotations/480p/blobs-c/00000.png", new int[] {369425, 13373, 16371, 10751}, 965808259L),
      new Expected("davis_results/blobs-c/00005.png", new int[] {388766, 9305, 0, 11849}, 4211996745L));

  @Test
  void readsDavisAnnotationsWithTheirIndicesAndPalette() throws IOException {
    for (Expected e : DAVIS_FILES) {
      IndexMask m = PalettePng.read(ReferenceResources.path(e.file()));
      assertEquals(480, m.height(), e.file());
      assertEquals(854, m.width(), e.file());
      assertEquals(Palette.DAVIS, m.palette(), e.file() + ": stored palette is the derived DAVIS one");
      int[] counts = new int[e.counts().length];
      for (byte b : m.indices()) {
        assertTrue((b & 0xFF) < counts.length, e.file() + ": unexpected index " + (b & 0xFF));
        counts[b & 0xFF]++;
      }
      assertArrayEquals(e.counts(), counts, e.file());
      CRC32 crc = new CRC32();
      crc.update(m.indices());
      assertEquals(e.crc32(), crc.getValue(), e.file() + ": indices differ from NumPy's decode");
    }
  }

  @Test
  void davisPixelsAtKnownPlaces() throws IOException {
    IndexMask c = PalettePng.read(ReferenceResources.path("davis/Annotations/480p/blobs-c/00000.png"));
    // First pixel (row-major) of each object, from the NumPy decode, and the pixel before it.
    assertEquals(1, c.index(100, 557));
    assertEquals(0, c.index(100, 556));
    assertEquals(2, c.index(210, 472));
    assertEquals(3, c.index(227, 235));
    assertEquals(3, c.index(284, 242));
    assertEquals(0, c.index(0, 0));
  }

  @Test
  void roundTripKeepsIndicesAndPaletteExactly() throws IOException {
    for (Expected e : DAVIS_FILES) {
      IndexMask m = PalettePng.read(ReferenceResources.path(e.file()));
      Path out = tmp.resolve("rt").resolve(e.file());
      PalettePng.write(out, m);
      IndexMask back = PalettePng.read(out);
      assertEquals(m, back, e.file());
      assertTrue(Files.size(out) < 20_000, e.file() + ": " + Files.size(out) + " bytes");
    }
  }

  @Test
  void roundTripKeepsAShortPalette() throws IOException {
    Palette four = Palette.ofRgb(new byte[] {0, 0, 0, 10, 20, 30, (byte) 255, 0, 0, 1, 1, 1});
    IndexMask m = new IndexMask(3, 2, new byte[] {0, 1, 2, 3, 3, 0}, four);
    Path f = tmp.resolve("four.png");
    PalettePng.write(f, m);
    IndexMask back = PalettePng.read(f);
    assertEquals(m, back);
    assertEquals(4, back.palette().size());
  }

  @Test
  void writeIsAtomicAndOverwrites() throws IOException {
    IndexMask a = new IndexMask(1, 2, new byte[] {0, 1}, Palette.DAVIS);
    IndexMask b = new IndexMask(1, 2, new byte[] {2, 3}, Palette.DAVIS);
    Path f = tmp.resolve("masks/m.png");
    PalettePng.write(f, a);
    PalettePng.write(f, b);
    assertEquals(b, PalettePng.read(f));
    try (var files = Files.list(f.getParent())) {
      assertEquals(List.of(f), files.toList(), "no temporary files left behind");
    }
  }

  // ---- every scanline filter, on hand-written rows ----

  /** Indices [1, 2, 3 / 4, 6, 9]; each case is (filter row 0, bytes, filter row 1, bytes). */
  @Test
  void undoesAllFiveFilters() throws IOException {
    int[][] cases = {
        {0, 1, 2, 3, 0, 4, 6, 9}, // None
        {1, 1, 1, 1, 1, 4, 2, 3}, // Sub: x - left
        {0, 1, 2, 3, 2, 3, 4, 6}, // Up: x - above
        {3, 1, 2, 2, 3, 4, 3, 5}, // Average: x - floor((left + above) / 2)
        {4, 1, 1, 1, 4, 3, 2, 3}, // Paeth: x - predictor (above, left, left, for row 1)
    };
    for (int[] rows : cases) {
      byte[] png = new PngBytes().ihdr(3, 2, 8, 3, 0).plte(Arrays.copyOf(new int[0], 30)).idat(rows).iend().bytes();
      IndexMask m = PalettePng.decode(png, "case " + Arrays.toString(rows), null);
      assertArrayEquals(new byte[] {1, 2, 3, 4, 6, 9}, m.indices(), Arrays.toString(rows));
    }
  }

  @Test
  void filtersWrapModulo256AndUseWholePixelsForRgb() throws IOException {
    byte[] png = new PngBytes().ihdr(3, 1, 8, 3, 0).plte(new int[768]).idat(1, 200, 100, 0).iend().bytes();
    assertArrayEquals(new byte[] {(byte) 200, 44, 44}, PalettePng.decode(png, "wrap", null).indices());
    // RGB, Sub filter: the left neighbour is 3 bytes back.
    Palette colours = Palette.ofRgb(new byte[] {10, 20, 30, 15, 25, 35});
    png = new PngBytes().ihdr(2, 1, 8, 2, 0).idat(1, 10, 20, 30, 5, 5, 5).iend().bytes();
    IndexMask m = PalettePng.decode(png, "rgb", colours);
    assertArrayEquals(new byte[] {0, 1}, m.indices());
    assertEquals(colours, m.palette());
  }

  // ---- bit depths and colour types ----

  @Test
  void readsOneTwoAndFourBitPalettes() throws IOException {
    // 1 bit, 10 wide: 1011001011 then padding; second row all 0.
    byte[] png = new PngBytes().ihdr(10, 2, 1, 3, 0).plte(0, 0, 0, 255, 255, 255)
        .idat(0, 0xB2, 0xC0, 0, 0x00, 0x00).iend().bytes();
    IndexMask m = PalettePng.decode(png, "1bit", null);
    assertArrayEquals(new byte[] {1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, m.indices());
    assertEquals(2, m.palette().size());
    // 2 bits, 5 wide: 00 01 10 11 | 01 + padding
    png = new PngBytes().ihdr(5, 1, 2, 3, 0).plte(new int[12]).idat(0, 0x1B, 0x40).iend().bytes();
    assertArrayEquals(new byte[] {0, 1, 2, 3, 1}, PalettePng.decode(png, "2bit", null).indices());
    // 4 bits, 3 wide: F 0 | 7 + padding; Sub filter works on whole bytes (bpp 1) below 8 bits.
    png = new PngBytes().ihdr(3, 1, 4, 3, 0).plte(new int[48]).idat(1, 0xF0, 0x80).iend().bytes();
    assertArrayEquals(new byte[] {15, 0, 7}, PalettePng.decode(png, "4bit", null).indices());
  }

  @Test
  void readsGreyscaleIndexImages() throws IOException {
    byte[] png = new PngBytes().ihdr(2, 2, 8, 0, 0).idat(0, 0, 5, 0, 255, 17).iend().bytes();
    IndexMask m = PalettePng.decode(png, "grey", null);
    assertArrayEquals(new byte[] {0, 5, (byte) 255, 17}, m.indices());
    assertEquals(Palette.GRAYSCALE, m.palette());
  }

  @Test
  void mapsRgbaThroughAPaletteIgnoringAlpha() throws IOException {
    byte[] png = new PngBytes().ihdr(3, 1, 8, 6, 0)
        .idat(0, 0, 0, 0, 255, 128, 0, 0, 0, 64, 0, 0, 128).iend().bytes();
    assertArrayEquals(new byte[] {0, 1, 8}, PalettePng.decode(png, "rgba", Palette.DAVIS).indices());
  }

  @Test
  void skipsAncillaryChunks() throws IOException {
    byte[] png = new PngBytes().ihdr(1, 1, 8, 3, 0).chunk("tEXt", "Comment\0hi".getBytes())
        .plte(1, 2, 3).chunk("tRNS", new byte[] {0}).idat(0, 0).iend().bytes();
    assertArrayEquals(new byte[] {0}, PalettePng.decode(png, "anc", null).indices());
  }

  // ---- errors: one line naming the file ----

  private IOException readFails(byte[] bytes) throws IOException {
    Path f = tmp.resolve("bad.png");
    Files.write(f, bytes);
    IOException e = assertThrows(IOException.class, () -> PalettePng.read(f, null));
    assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    return e;
  }

  private static void assertMentions(IOException e, String what) {
    assertTrue(e.getMessage().contains(what), e.getMessage());
  }

  @Test
  void refusesTruncatedFilesAtEveryStage() throws IOException {
    byte[] good = Files.readAllBytes(ReferenceResources.path("davis/Annotations/480p/blobs-a/00000.png"));
    // signature, inside IHDR, inside PLTE, inside IDAT, before IEND, inside IEND's CRC
    for (int len : new int[] {0, 5, 20, 100, good.length - 40, good.length - 12, good.length - 1}) {
      IOException e = readFails(Arrays.copyOf(good, len));
      assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("not a PNG"), len + ": " + e.getMessage());
    }
  }

  @Test
  void refusesCrcMismatch() throws IOException {
    byte[] bytes = Files.readAllBytes(ReferenceResources.path("davis/Annotations/480p/blobs-a/00000.png"));
    bytes[bytes.length - 100] ^= 0x01; // a bit inside the IDAT data
    assertMentions(readFails(bytes), "CRC mismatch in chunk IDAT");
  }

  @Test
  void refusesCorruptCompressedData() throws IOException {
    byte[] png = new PngBytes().ihdr(2, 1, 8, 3, 0).plte(new int[6]).chunk("IDAT", new byte[] {1, 2, 3, 4, 5}).iend().bytes();
    assertMentions(readFails(png), "corrupt image data (zlib");
    // Valid zlib stream but too few bytes for the image.
    png = new PngBytes().ihdr(4, 4, 8, 3, 0).plte(new int[6]).idat(0, 0, 0, 0, 0).iend().bytes();
    assertMentions(readFails(png), "truncated image data");
  }

  @Test
  void refusesOtherBadInput() throws IOException {
    assertMentions(readFails("GIF89a not a png at all".getBytes()), "not a PNG file (bad signature)");
    assertMentions(readFails(new PngBytes().ihdr(2, 1, 8, 3, 1).plte(new int[6]).idat(0, 0, 0).iend().bytes()),
        "interlaced (Adam7) PNGs are not supported");
    assertMentions(readFails(new PngBytes().ihdr(2, 1, 16, 0, 0).idat(0, 0, 0, 0, 0).iend().bytes()),
        "unsupported PNG colour type 0 with bit depth 16");
    assertMentions(readFails(new PngBytes().ihdr(2, 1, 8, 3, 0).idat(0, 0, 0).iend().bytes()),
        "palette image without a PLTE chunk");
    assertMentions(readFails(new PngBytes().ihdr(2, 1, 8, 3, 0).plte(new int[6]).idat(0, 0, 2).iend().bytes()),
        "pixel (x=1, y=0) has index 2 but PLTE has 2 entries");
    assertMentions(readFails(new PngBytes().ihdr(1, 1, 8, 2, 0).idat(0, 1, 2, 3).iend().bytes()),
        "an RGB PNG (colour type 2), not a mask of indices; save it as an indexed (palette) PNG");
    assertMentions(readFails(new PngBytes().ihdr(1, 1, 8, 3, 0).plte(0, 0, 0).chunk("ZZZZ", new byte[1]).idat(0, 0).iend().bytes()),
        "unsupported critical PNG chunk ZZZZ");
    assertMentions(readFails(new PngBytes().ihdr(1, 1, 8, 3, 0).plte(0, 0, 0).iend().bytes()), "no IDAT");
    assertMentions(readFails(new PngBytes().ihdr(2, 1, 8, 3, 0).plte(new int[6]).idat(7, 0, 0).iend().bytes()),
        "unknown filter type 7 in row 0");
    Path missing = tmp.resolve("nope.png");
    IOException e = assertThrows(IOException.class, () -> PalettePng.read(missing));
    assertEquals(missing + ": no such file", e.getMessage());
  }

  @Test
  void numbersTheColoursOfAnRgbMaskAsTheOfficialLoader() throws IOException {
    // Pixels black, red, blue, red, green. cv2 reads them as BGR rows; np.unique(rows, axis=0) gives
    // [[0,0,0], [0,0,255], [0,255,0], [255,0,0]]: black 0, red 1, green 2, blue 3.
    Path f = tmp.resolve("drawn.png");
    Files.write(f, new PngBytes().ihdr(5, 1, 8, 2, 0).idat(0, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 0, 0, 0, 255, 0)
        .iend().bytes());
    List<String> notes = new java.util.ArrayList<>();
    IndexMask m = PalettePng.readNumberingColours(f, notes::add);
    assertArrayEquals(new byte[] {0, 1, 3, 1, 2}, m.indices());
    assertEquals(0x000000, m.palette().rgb(0));
    assertEquals(0xFF0000, m.palette().rgb(1));
    assertEquals(0x00FF00, m.palette().rgb(2));
    assertEquals(0x0000FF, m.palette().rgb(3));
    assertEquals(List.of(f + ": an RGB image; its 4 colours were numbered 0-3 as the official loader does (sorted by"
        + " blue, green, red; black is 0, the background)"), notes);
    // An index PNG is read as it is, without a note.
    notes.clear();
    Path davis = ReferenceResources.path("davis/Annotations/480p/blobs-a/00000.png");
    assertArrayEquals(PalettePng.read(davis).indices(), PalettePng.readNumberingColours(davis, notes::add).indices());
    assertEquals(List.of(), notes);
  }

  @Test
  void refusesAnRgbMaskWithMoreThan256Colours() throws IOException {
    int[] row = new int[1 + 257 * 3]; // filter byte 0, then 257 distinct colours
    for (int x = 0; x < 257; x++) {
      row[1 + 3 * x] = x & 0xFF;
      row[2 + 3 * x] = x >> 8;
    }
    Path f = tmp.resolve("photo.png");
    Files.write(f, new PngBytes().ihdr(257, 1, 8, 2, 0).idat(row).iend().bytes());
    IOException e = assertThrows(IOException.class, () -> PalettePng.readNumberingColours(f, n -> { }));
    assertEquals(f + ": an RGB PNG with more than 256 colours, not a mask; draw the objects in flat colours without"
        + " anti-aliasing, or save the mask as an indexed (palette) PNG", e.getMessage());
  }

  @Test
  void refusesRgbColoursMissingFromThePalette() throws IOException {
    Path f = tmp.resolve("rgb.png");
    Files.write(f, new PngBytes().ihdr(2, 1, 8, 2, 0).idat(0, 0, 0, 0, 1, 2, 3).iend().bytes());
    IOException e = assertThrows(IOException.class, () -> PalettePng.read(f, Palette.DAVIS));
    assertEquals(f + ": colour #010203 at (x=1, y=0) is not in the palette", e.getMessage());
  }
}
