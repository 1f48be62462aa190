package org.cropmae.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cropmae.runtime.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderDatasetTest {
  @TempDir Path dir;

  @Test
  void scansRecursivelyCaseInsensitivelySortedWithoutHiddenFiles() throws IOException {
    TestImages.writeJpegs(dir.resolve("b"), 2, 20, 10, 1);
    TestImages.writePng(dir.resolve("a/x.PNG"), 5, 4);
    TestImages.writePng(dir.resolve("a/deep/y.png"), 5, 4);
    TestImages.writeJpegs(dir.resolve("a/.hidden"), 1, 20, 10, 2);
    Files.copy(dir.resolve("b/img_0000.JPEG"), dir.resolve("c.jpg"));
    Files.copy(dir.resolve("b/img_0000.JPEG"), dir.resolve("d.Jpeg"));
    Files.copy(dir.resolve("b/img_0000.JPEG"), dir.resolve(".e.jpg"));
    Files.writeString(dir.resolve("notes.txt"), "x");
    Files.createDirectories(dir.resolve("f.jpg"));

    ImageFolderDataset ds = ImageFolderDataset.scan(dir);
    List<String> names = ds.files().stream().map(p -> dir.relativize(p).toString()).toList();
    assertEquals(List.of("a/deep/y.png", "a/x.PNG", "b/img_0000.JPEG", "b/img_0001.JPEG", "c.jpg", "d.Jpeg"), names);
    assertEquals(6, ds.size());
    RgbImage png = ds.read(1);
    assertEquals(5, png.width());
    assertEquals(0x33, png.sample(2, 2, 0));
    RgbImage jpeg = ds.read(2);
    assertEquals(20, jpeg.width());
    assertEquals(10, jpeg.height());

    ImageFolderDataset first3 = ImageFolderDataset.scan(dir, 3);
    assertEquals(ds.files().subList(0, 3), first3.files());
    assertEquals(ds.files(), ImageFolderDataset.scan(dir, 1000).files());
  }

  @Test
  void badRootsAndLimitsAreRefused() throws IOException {
    IOException e = assertThrows(IOException.class, () -> ImageFolderDataset.scan(dir.resolve("missing")));
    assertEquals(dir.resolve("missing") + ": not a folder", e.getMessage());
    Files.writeString(dir.resolve("only.txt"), "x");
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> ImageFolderDataset.scan(dir));
    assertEquals(dir + ": no .jpg, .jpeg or .png files under it", empty.getMessage());
    IllegalArgumentException max = assertThrows(IllegalArgumentException.class, () -> ImageFolderDataset.scan(dir, 0));
    assertTrue(max.getMessage().startsWith("maxFiles: "), max.getMessage());
  }

  @Test
  void readingABrokenFileNamesIt() throws IOException {
    List<Path> broken = TestImages.writeBroken(dir, "bad");
    ImageFolderDataset ds = ImageFolderDataset.scan(dir);
    for (int i = 0; i < ds.size(); i++) {
      int index = i;
      IOException e = assertThrows(IOException.class, () -> ds.read(index));
      assertTrue(e.getMessage().startsWith(ds.file(i) + ": cannot decode image"), e.getMessage());
    }
    assertEquals(broken.size(), ds.size());
  }
}
