package org.cropmae.runtime.eval;

import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.PalettePng;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Decodes a single-channel 8-bit PNG into its sample values: palette indices for an indexed PNG
 * (not colours), grey levels for a greyscale PNG.
 *
 * <p>Implementations must be safe to call from several threads at once. Failures are one-line
 * exceptions naming the file: {@link java.nio.file.NoSuchFileException} when it is missing, an
 * {@link IOException} when it is not a decodable single-channel 8-bit PNG.
 */
@FunctionalInterface
public interface IndexMaskReader {
  /** Reads PNG files with {@link PalettePng#read(Path)} (AWT-free, so it also works on Android). */
  IndexMaskReader PNG = PalettePng::read;

  /** Reads {@code file}. */
  IndexMask read(Path file) throws IOException;
}
