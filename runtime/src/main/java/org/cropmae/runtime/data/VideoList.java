package org.cropmae.runtime.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads the propagation list files of the reference ({@code davis_vallist_480_880.txt},
 * {@code vip_vallist.txt}, {@code jhmdb_vallist.txt}): one video per line, two
 * whitespace-separated paths, further fields ignored.
 *
 * <p>Relative paths are resolved against {@code baseDir} (the reference resolves them against its
 * working directory). Blank lines are skipped; the list order is kept, since JHMDB predictions are
 * named after the line index.
 */
public final class VideoList {
  private VideoList() {}

  /**
   * A DAVIS or VIP list ({@code vos.py}): {@code <frames folder> <label folder>} per line.
   */
  public static List<VideoListEntry> readVos(Path listFile, Path baseDir) throws IOException {
    return read(listFile, baseDir, false);
  }

  /**
   * A JHMDB list ({@code jhmdb.py}, {@code eval_pck.py}):
   * {@code <joint_positions.mat> <frames folder>} per line (labels first).
   */
  public static List<VideoListEntry> readJhmdb(Path listFile, Path baseDir) throws IOException {
    return read(listFile, baseDir, true);
  }

  private static List<VideoListEntry> read(Path listFile, Path baseDir, boolean labelsFirst)
      throws IOException {
    Objects.requireNonNull(listFile, "listFile");
    Objects.requireNonNull(baseDir, "baseDir");
    List<String> lines = Files.readAllLines(listFile);
    List<VideoListEntry> out = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] rows = line.split("\\s+");
      if (rows.length < 2) {
        throw new IOException(
            listFile + ":" + (i + 1) + ": expected two paths separated by whitespace, got '"
                + line + "'");
      }
      Path first = baseDir.resolve(rows[0]);
      Path second = baseDir.resolve(rows[1]);
      out.add(labelsFirst ? new VideoListEntry(second, first) : new VideoListEntry(first, second));
    }
    return List.copyOf(out);
  }
}
