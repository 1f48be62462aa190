package org.cropmae.app.evaluate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cropmae.runtime.data.VideoList;
import org.cropmae.runtime.data.VideoListEntry;
import org.cropmae.runtime.propagation.PropagationConfig;

/**
 * What the three suites share: a name, a preset and a fixed list of videos. By default a video's
 * results are a folder named after it and its frames are counted as {@code vos.py} lists them
 * (DAVIS, VIP); JHMDB overrides both.
 */
abstract class ListedSuite implements BenchmarkSuite {
  private final String name;
  private final PropagationConfig config;
  private final List<BenchmarkVideo> videos;

  ListedSuite(String name, PropagationConfig config, List<BenchmarkVideo> videos) {
    this.name = Objects.requireNonNull(name, "name");
    this.config = Objects.requireNonNull(config, "config");
    this.videos = List.copyOf(videos);
  }

  /**
   * The videos of an official list file, paths found by {@link DatasetPaths}.
   *
   * @param labelsFirst JHMDB lists name the labels first
   * @throws IOException naming the list when it is unreadable or lists nothing
   */
  static List<BenchmarkVideo> readList(Path list, Path root, boolean labelsFirst) throws IOException {
    List<VideoListEntry> entries = labelsFirst ? VideoList.readJhmdb(list, Path.of("")) : VideoList.readVos(list, Path.of(""));
    Path listDir = list.toAbsolutePath().getParent();
    List<BenchmarkVideo> videos = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Path frames = DatasetPaths.resolve(entries.get(i).frames(), listDir, root);
      Path labels = DatasetPaths.resolve(entries.get(i).labels(), listDir, root);
      videos.add(new BenchmarkVideo(i, frames.getFileName().toString(), frames, labels));
    }
    if (videos.isEmpty()) {
      throw new IOException(list + ": lists no video");
    }
    return videos;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final PropagationConfig config() {
    return config;
  }

  @Override
  public final List<BenchmarkVideo> videos() {
    return videos;
  }

  @Override
  public int frameCount(BenchmarkVideo video) throws IOException {
    return VosFrames.count(video);
  }

  @Override
  public Path resultPath(BenchmarkVideo video) {
    return Path.of(video.id());
  }
}
