package org.cropmae.runtime.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One video of a propagation list file.
 *
 * @param frames folder of the video's frames
 * @param labels for DAVIS and VIP lists the folder of label PNGs; for JHMDB lists the video's
 *     {@code joint_positions.mat}
 */
public record VideoListEntry(Path frames, Path labels) {
  public VideoListEntry {
    Objects.requireNonNull(frames, "frames");
    Objects.requireNonNull(labels, "labels");
  }
}
