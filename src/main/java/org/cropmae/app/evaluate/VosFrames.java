package org.cropmae.app.evaluate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.cropmae.runtime.data.FrameFolders;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.Palette;
import org.cropmae.runtime.mask.PalettePng;

/**
 * The frames and first annotation of a DAVIS or VIP video as the official {@code vos.py} finds
 * them: frames sorted by the number before the first dot, annotation files (cached {@code *npy}
 * arrays the official code leaves beside them skipped) in the same order, the first one giving the
 * objects to propagate.
 */
record VosFrames(List<Path> frames, Path firstAnnotation) {
  /**
   * @throws IOException naming the folder when it is missing, holds no frame or no annotation, or
   *     holds a file that is not numbered
   */
  static VosFrames of(BenchmarkVideo video) throws IOException {
    List<Path> frames = FrameFolders.list(video.frames(), FrameFolders.IMAGES);
    if (frames.isEmpty()) {
      throw new IOException(video.frames() + ": no .jpg, .jpeg or .png frames");
    }
    List<Path> labels = FrameFolders.list(video.labels(), name -> FrameFolders.VOS_LABELS.test(name)
        && name.toLowerCase(java.util.Locale.ROOT).endsWith(".png"));
    if (labels.isEmpty()) {
      throw new IOException(video.labels() + ": no annotation .png files");
    }
    return new VosFrames(frames, labels.get(0));
  }

  /**
   * The first annotation as indices: palette and greyscale PNGs keep their indices; an RGB PNG is
   * mapped through {@code colours} (the DAVIS palette for DAVIS).
   */
  IndexMask readFirstMask(Palette colours) throws IOException {
    return PalettePng.read(firstAnnotation, colours);
  }

  /** Frame count cheaply, without decoding. */
  static int count(BenchmarkVideo video) throws IOException {
    return FrameFolders.list(video.frames(), FrameFolders.IMAGES).size();
  }
}
