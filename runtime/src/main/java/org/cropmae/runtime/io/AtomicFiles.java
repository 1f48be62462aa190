package org.cropmae.runtime.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/**
 * Writes files so that readers never see a half-written one: the content goes to a temporary file
 * in the same folder ({@code .<name>.<random>.part}), which is forced to the disk, then renamed over
 * the target; the folder is then forced too, so that after a crash or power loss the target is
 * either the old file or the complete new one.
 */
public final class AtomicFiles {
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
  /** The temporary files {@link #write} makes: {@code .<name>.<base-36 random>.part}. */
  private static final Pattern TEMP_NAME = Pattern.compile("^\\..+\\.[0-9a-z]{1,13}\\.part$");

  private AtomicFiles() {}

  /** Receives the stream to write the file's content to. */
  @FunctionalInterface
  public interface ContentWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code target} atomically and durably. On any failure the temporary file is removed and
   * {@code target} is left as it was.
   */
  public static void write(Path target, ContentWriter content) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      try {
        Files.createDirectories(dir);
      } catch (FileAlreadyExistsException e) {
        throw new IOException(dir + ": a file is where the output folder should be; choose another output path", e);
      } catch (IOException e) {
        throw FileErrors.writing(target, e);
      }
    }
    // Not Files.createTempFile: that makes the file owner-only (0600), and the renamed result
    // should get the usual permissions (umask), like any file the user writes.
    Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".part");
    try {
      Files.createFile(tmp);
    } catch (IOException e) {
      throw FileErrors.writing(target, e);
    }
    boolean done = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        // The disk's errors (ENOSPC, EIO) name no file: the stream names the target. The content's
        // own errors (its input is corrupt, say) pass through as they are.
        OutputStream out = new BufferedOutputStream(new NamingOutputStream(Channels.newOutputStream(ch), target), 1 << 16);
        content.writeTo(out);
        out.flush();
        try {
          ch.force(true);
        } catch (IOException e) {
          throw FileErrors.writing(target, e);
        }
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw FileErrors.writing(target, e);
      }
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
    if (dir != null) {
      forceDirectory(dir);
    }
  }

  /** Writes {@code bytes} to {@code target} atomically. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /**
   * Forces a folder's entries (a rename into it) to the disk where the platform allows it; platforms
   * that cannot open a folder as a channel (Windows) or refuse to force one are skipped silently.
   */
  static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not supported here: the rename is still atomic, only its durability is up to the OS.
    }
  }

  /**
   * Deletes {@code path} and, when it is a folder, everything below it; links are removed, never
   * followed. Nothing happens when it does not exist. For staged results that are replaced or
   * abandoned as a whole.
   */
  public static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      // A DirectoryStream, not Files.list(..).toList(): Stream.toList is missing on Android before API 34.
      try (java.nio.file.DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
        for (Path child : children) {
          deleteTree(child);
        }
      }
    }
    Files.delete(path);
  }

  /** Whether {@code name} is the name of a temporary file {@link #write} makes. */
  public static boolean isTemporaryName(String name) {
    return TEMP_NAME.matcher(name).matches();
  }

  /**
   * Removes the temporary files {@link #write} left in {@code dir} (not its subfolders) when a process
   * died mid-write, e.g. a partial checkpoint of a crashed training run. Only call it on a folder no
   * other process is writing to. Returns how many were removed (0 if {@code dir} does not exist).
   */
  public static int removeLeftovers(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int removed = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        if (isTemporaryName(f.getFileName().toString()) && Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)
            && Files.deleteIfExists(f)) {
          removed++;
        }
      }
    }
    return removed;
  }

  /** Rethrows the file's write errors as {@link FileErrors#writing}: naming the target and the reason. */
  private static final class NamingOutputStream extends java.io.FilterOutputStream {
    private final Path target;

    NamingOutputStream(OutputStream out, Path target) {
      super(out);
      this.target = target;
    }

    @Override
    public void write(int b) throws IOException {
      try {
        out.write(b);
      } catch (IOException e) {
        throw FileErrors.writing(target, e);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        throw FileErrors.writing(target, e);
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        throw FileErrors.writing(target, e);
      }
    }
  }
}
