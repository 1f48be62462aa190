package org.cropmae.runtime.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * One line for a failed file operation that names both the path and the reason. The JDK's
 * {@link FileSystemException}s often carry only one of them ({@code NoSuchFileException} says just
 * the path; a full disk says just "No space left on device").
 */
public final class FileErrors {
  private FileErrors() {}

  /** {@code "<path>: <reason>"} for a file-system error, else its message (or its class's name). */
  public static String describe(IOException e) {
    if (e instanceof FileSystemException f && f.getFile() != null) {
      String reason;
      if (f.getReason() != null) {
        reason = f.getReason();
      } else if (f instanceof NoSuchFileException) {
        reason = "no such file or folder";
      } else if (f instanceof AccessDeniedException) {
        reason = "permission denied";
      } else if (f instanceof FileAlreadyExistsException) {
        reason = "already exists";
      } else if (f instanceof NotDirectoryException) {
        reason = "not a folder";
      } else if (f instanceof DirectoryNotEmptyException) {
        reason = "folder not empty";
      } else {
        reason = f.getClass().getSimpleName();
      }
      return f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": " + reason;
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /**
   * An error writing {@code target}, naming it and the reason: {@code e} itself when its message
   * already names {@code target}, else a new exception with {@code e} as its cause.
   */
  public static IOException writing(Path target, IOException e) {
    String m = e.getMessage();
    if (m != null && (m.contains(target.toString()) || m.contains(target.toAbsolutePath().toString()))
        && !(e instanceof FileSystemException)) {
      return e;
    }
    String what = describe(e);
    String reason = what.startsWith(target + ": ") || what.startsWith(target.toAbsolutePath() + ": ")
        ? what.substring(what.indexOf(": ") + 2) : what;
    return new IOException(target + ": cannot write (" + reason + ")", e);
  }
}
