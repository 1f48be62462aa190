package org.cropmae.runtime.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One DAVIS sequence: its frames and its annotation masks, each in file-name order.
 *
 * @param name sequence folder name, e.g. {@code "bike-packing"}
 * @param images {@code JPEGImages/<res>/<name>/*.jpg}, sorted by name
 * @param annotations {@code Annotations/<res>/<name>/*.png} (palette PNGs), sorted by name
 */
public record DavisSequence(String name, List<Path> images, List<Path> annotations) {
  public DavisSequence {
    Objects.requireNonNull(name, "name");
    images = List.copyOf(images);
    annotations = List.copyOf(annotations);
  }

  /**
   * The frame ids of the annotations, which name the result masks ({@code <id>.png}): the file
   * name without its extension and, as the reference's {@code ''.join(name.split('.')[:-1])} does,
   * without its remaining dots ({@code "00000.png"} gives {@code "00000"}).
   */
  public List<String> annotationIds() {
    List<String> ids = new ArrayList<>(annotations.size());
    for (Path p : annotations) {
      ids.add(frameId(p.getFileName().toString()));
    }
    return ids;
  }

  static String frameId(String fileName) {
    int dot = fileName.lastIndexOf('.');
    String stem = dot < 0 ? "" : fileName.substring(0, dot);
    return stem.replace(".", "");
  }
}
