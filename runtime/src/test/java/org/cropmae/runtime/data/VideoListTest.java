package org.cropmae.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoListTest {
  @Test
  void vosListsAreFramesThenLabels(@TempDir Path dir) throws Exception {
    // The format of davis_vallist_480_880.txt and vip_vallist.txt (no trailing newline).
    Path list = dir.resolve("vip_vallist.txt");
    Files.writeString(
        list,
        "datasets/VIP/Images/videos338 datasets/VIP/Annotations/Category_ids/videos338\n"
            + "\n"
            + "/abs/Images/videos37\t/abs/Category_ids/videos37");
    List<VideoListEntry> e = VideoList.readVos(list, dir);
    assertEquals(2, e.size());
    assertEquals(dir.resolve("datasets/VIP/Images/videos338"), e.get(0).frames());
    assertEquals(dir.resolve("datasets/VIP/Annotations/Category_ids/videos338"), e.get(0).labels());
    assertEquals(Path.of("/abs/Category_ids/videos37"), e.get(1).labels());
  }

  @Test
  void jhmdbListsAreLabelsThenFrames(@TempDir Path dir) throws Exception {
    Path list = dir.resolve("jhmdb_vallist.txt");
    Files.writeString(
        list,
        "datasets/jhmdb/joint_positions/golf/v_0/joint_positions.mat"
            + " datasets/jhmdb/Rename_Images/golf/v_0\n");
    VideoListEntry e = VideoList.readJhmdb(list, dir).get(0);
    assertEquals(dir.resolve("datasets/jhmdb/Rename_Images/golf/v_0"), e.frames());
    assertEquals(dir.resolve("datasets/jhmdb/joint_positions/golf/v_0/joint_positions.mat"), e.labels());
  }

  @Test
  void oneFieldLineIsNamedWithLineNumber(@TempDir Path dir) throws Exception {
    Path list = dir.resolve("bad.txt");
    Files.writeString(list, "a b\nonlyone\n");
    IOException e = assertThrows(IOException.class, () -> VideoList.readVos(list, dir));
    assertTrue(e.getMessage().startsWith(list + ":2:"), e.getMessage());
  }
}
