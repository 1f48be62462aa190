package org.cropmae.app.evaluate;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One video of a benchmark's validation list.
 *
 * @param index position in the list, from 0 (JHMDB results are named after it, as the official
 *     code names them)
 * @param id the name results and reports use: the frames folder's name
 * @param frames folder of the video's frames
 * @param labels DAVIS and VIP: folder of the annotation PNGs; JHMDB: the video's
 *     {@code joint_positions.mat}
 */
public record BenchmarkVideo(int index, String id, Path frames, Path labels) {
  public BenchmarkVideo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(frames, "frames");
    Objects.requireNonNull(labels, "labels");
  }
}
