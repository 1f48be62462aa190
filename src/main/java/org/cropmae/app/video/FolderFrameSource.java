package org.cropmae.app.video;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.cropmae.runtime.data.FrameFolders;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.io.desktop.ImageFiles;
import org.cropmae.runtime.video.FrameSource;

/** A folder of frames (JPEG/PNG, in frame-number order) as a {@link FrameSource}; decodes one file per {@link #next()}. */
public final class FolderFrameSource implements FrameSource {
  private final Path dir;
  private final List<Path> files;
  private final double fps;
  private final RgbImage first;
  private int next;

  /**
   * @param fps the frame rate to declare (for times and overlay videos), or 0 for none
   * @throws IOException when the folder has no frames or the first cannot be decoded
   */
  public FolderFrameSource(Path dir, double fps) throws IOException {
    this.dir = dir;
    this.files = FrameFolders.listImages(dir);
    this.fps = fps;
    this.first = ImageFiles.readRgb(files.get(0));
  }

  /** The frame files, in order. */
  public List<Path> files() {
    return files;
  }

  @Override
  public RgbImage next() throws IOException {
    if (next >= files.size()) {
      return null;
    }
    RgbImage img = next == 0 ? first : ImageFiles.readRgb(files.get(next));
    next++;
    return img;
  }

  @Override
  public double time() {
    return next == 0 || fps <= 0 ? Double.NaN : (next - 1) / fps;
  }

  @Override
  public double frameRate() {
    return fps;
  }

  @Override
  public int frameCount() {
    return files.size();
  }

  @Override
  public double durationSeconds() {
    return fps > 0 ? files.size() / fps : Double.NaN;
  }

  @Override
  public int rotation() {
    return 0;
  }

  @Override
  public int width() {
    return first.width();
  }

  @Override
  public int height() {
    return first.height();
  }

  @Override
  public String name() {
    return dir.toString();
  }

  @Override
  public void close() {}
}
