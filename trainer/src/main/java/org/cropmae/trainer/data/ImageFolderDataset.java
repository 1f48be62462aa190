package org.cropmae.trainer.data;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.io.desktop.ImageFiles;

/**
 * The image files of a folder tree, in a fixed order: every regular file under the root whose
 * name ends in {@code .jpg}, {@code .jpeg} or {@code .png} (any case), sorted by path. Hidden
 * files and folders (names starting with {@code '.'}) are left out, as Python's {@code glob}
 * does; symbolic links are followed (loops are skipped).
 *
 * <p>The reference globs {@code **}{@code /*.JPEG} only (ImageNet's spelling) and keeps the first
 * {@code max_files} in the file system's listing order; sorting makes the selection reproducible.
 * Images are decoded on demand with {@link ImageFiles#readRgb(Path)} (javax.imageio, converted to
 * 8-bit RGB like PIL's {@code convert("RGB")}). Immutable.
 */
public final class ImageFolderDataset {
  private static final System.Logger LOG = System.getLogger(ImageFolderDataset.class.getName());

  private final Path root;
  private final List<Path> files;
  /** Decoded images kept for later epochs, or null when every read decodes. */
  private final DecodedCache cache;

  private ImageFolderDataset(Path root, List<Path> files) {
    this(root, files, null);
  }

  private ImageFolderDataset(Path root, List<Path> files, DecodedCache cache) {
    this.root = root;
    this.files = List.copyOf(files);
    this.cache = cache;
  }

  /**
   * The same images, keeping decoded pixels in memory, first come first kept, until they take
   * {@code maxBytes} (3 bytes a pixel). Worth it for a small collection of large images, which
   * would otherwise be decoded again every epoch; the views are identical either way.
   *
   * @param maxBytes memory for decoded images, {@code > 0}
   */
  public ImageFolderDataset withDecodeCache(long maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be > 0, got " + maxBytes);
    }
    return new ImageFolderDataset(root, files, new DecodedCache(maxBytes));
  }

  /** Bytes of decoded pixels held by the cache of {@link #withDecodeCache} (0 without one). */
  public long cachedBytes() {
    return cache == null ? 0 : cache.bytes.get();
  }

  private static final class DecodedCache {
    final long maxBytes;
    final java.util.concurrent.ConcurrentHashMap<Integer, RgbImage> images = new java.util.concurrent.ConcurrentHashMap<>();
    final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();

    DecodedCache(long maxBytes) {
      this.maxBytes = maxBytes;
    }

    void offer(int index, RgbImage image) {
      long size = image.rgb().length;
      // Reserve first so that concurrent workers never overshoot the budget together.
      if (bytes.addAndGet(size) > maxBytes) {
        bytes.addAndGet(-size);
        return;
      }
      if (images.putIfAbsent(index, image) != null) {
        bytes.addAndGet(-size);
      }
    }
  }

  /** All images under {@code root}. */
  public static ImageFolderDataset scan(Path root) throws IOException {
    return scan(root, Integer.MAX_VALUE);
  }

  /**
   * The first {@code maxFiles} images under {@code root} in path order.
   *
   * @throws IOException when {@code root} is not a readable folder
   * @throws IllegalArgumentException when {@code maxFiles < 1} or no image is found
   */
  public static ImageFolderDataset scan(Path root, int maxFiles) throws IOException {
    if (maxFiles < 1) {
      throw new IllegalArgumentException("maxFiles: must be at least 1, got " + maxFiles);
    }
    if (!Files.isDirectory(root)) {
      throw new IOException(root + ": not a folder");
    }
    List<Path> found = new ArrayList<>();
    Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        return !dir.equals(root) && isHidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile() && !isHidden(file) && isImageName(file)) {
          found.add(file);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (file.equals(root)) {
          throw e;
        }
        // A broken link, a link loop or an unreadable sub-folder loses its files, not the scan.
        LOG.log(System.Logger.Level.WARNING, file + ": skipped while scanning ("
            + (e instanceof FileSystemLoopException ? "link loop" : e.getMessage()) + ")");
        return FileVisitResult.CONTINUE;
      }
    });
    if (found.isEmpty()) {
      throw new IllegalArgumentException(root + ": no .jpg, .jpeg or .png files under it");
    }
    found.sort(null);
    return new ImageFolderDataset(root, found.subList(0, Math.min(maxFiles, found.size())));
  }

  /**
   * A dataset over the given files, in the given order (they are checked when read, not now).
   *
   * @param root a name for the dataset in messages (usually the folder the files came from)
   */
  public static ImageFolderDataset of(Path root, List<Path> files) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("files: empty");
    }
    return new ImageFolderDataset(root, files);
  }

  static boolean isImageName(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png");
  }

  private static boolean isHidden(Path p) {
    Path name = p.getFileName();
    return name != null && name.toString().startsWith(".");
  }

  /** The folder scanned (or the name given to {@link #of}). */
  public Path root() {
    return root;
  }

  /** Number of images. */
  public int size() {
    return files.size();
  }

  /** The {@code index}-th file. */
  public Path file(int index) {
    return files.get(index);
  }

  /** All files, in dataset order (unmodifiable). */
  public List<Path> files() {
    return files;
  }

  /**
   * Decodes the {@code index}-th image to 8-bit RGB (or returns the kept copy, with a decode cache:
   * callers must not modify the pixels).
   *
   * @throws IOException {@code "<path>: cannot decode image (<reason>)"} for unreadable files
   */
  public RgbImage read(int index) throws IOException {
    if (cache == null) {
      return ImageFiles.readRgb(files.get(index));
    }
    RgbImage kept = cache.images.get(index);
    if (kept != null) {
      return kept;
    }
    RgbImage image = ImageFiles.readRgb(files.get(index));
    cache.offer(index, image);
    return image;
  }

  @Override
  public String toString() {
    return "ImageFolderDataset[" + root + ", " + files.size() + " images]";
  }
}
