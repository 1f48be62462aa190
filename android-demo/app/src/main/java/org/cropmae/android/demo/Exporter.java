package org.cropmae.android.demo;

import android.content.ContentResolver;
import android.content.ContentValues;
import android.net.Uri;
import android.os.Build;
import android.os.Environment;
import android.provider.MediaStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.cropmae.android.demo.logic.ResultArchive;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.mask.IndexMask;

/**
 * Saves a result to shared storage: the archive (masks, frame table, overlay GIF) to the document
 * the user chose through the Storage Access Framework (any Android version, no permission), and on
 * Android 10+ the overlay GIF also to {@code Pictures/CropMAE} through MediaStore so that the
 * gallery shows it. Runs on a background thread.
 */
final class Exporter {
  /** Folder of the gallery copy, under Pictures. */
  static final String GALLERY_FOLDER = "CropMAE";

  private Exporter() {}

  /**
   * Writes the archive to {@code document} (from {@code ACTION_CREATE_DOCUMENT}).
   *
   * @throws IOException naming the document when it cannot be opened or written
   */
  static void writeArchive(ContentResolver resolver, Uri document, List<RgbImage> frames, List<IndexMask> masks,
      long[] timesUs, float overlayAlpha, long delayMs, ResultArchive.Progress progress) throws IOException {
    try (OutputStream raw = resolver.openOutputStream(document)) {
      if (raw == null) {
        throw new IOException(document + ": the document provider gave no stream");
      }
      OutputStream out = new BufferedOutputStream(raw, 1 << 16);
      ResultArchive.write(out, frames, masks, timesUs, overlayAlpha, delayMs, progress);
      out.flush();
    }
  }

  /**
   * Android 10+: saves the overlay animation as {@code Pictures/CropMAE/fileName}. The entry stays
   * pending (invisible to other apps) until complete and is removed if writing fails.
   *
   * @return the new image's URI
   * @throws IOException when MediaStore refuses the entry or the write fails
   */
  static Uri saveOverlayToGallery(ContentResolver resolver, String fileName, List<RgbImage> frames,
      List<IndexMask> masks, float overlayAlpha, long delayMs) throws IOException {
    if (Build.VERSION.SDK_INT < Build.VERSION_CODES.Q) {
      throw new IllegalStateException("MediaStore relative paths need Android 10");
    }
    ContentValues values = new ContentValues();
    values.put(MediaStore.MediaColumns.DISPLAY_NAME, fileName);
    values.put(MediaStore.MediaColumns.MIME_TYPE, "image/gif");
    values.put(MediaStore.MediaColumns.RELATIVE_PATH, Environment.DIRECTORY_PICTURES + "/" + GALLERY_FOLDER);
    values.put(MediaStore.MediaColumns.IS_PENDING, 1);
    Uri uri = resolver.insert(MediaStore.Images.Media.getContentUri(MediaStore.VOLUME_EXTERNAL_PRIMARY), values);
    if (uri == null) {
      throw new IOException(fileName + ": MediaStore refused a new image in Pictures/" + GALLERY_FOLDER);
    }
    boolean done = false;
    try {
      try (OutputStream raw = resolver.openOutputStream(uri)) {
        if (raw == null) {
          throw new IOException(uri + ": MediaStore gave no stream");
        }
        OutputStream out = new BufferedOutputStream(raw, 1 << 16);
        ResultArchive.writeOverlay(out, frames, masks, overlayAlpha, delayMs, null);
        out.flush();
      }
      ContentValues publish = new ContentValues();
      publish.put(MediaStore.MediaColumns.IS_PENDING, 0);
      resolver.update(uri, publish, null, null);
      done = true;
      return uri;
    } finally {
      if (!done) {
        resolver.delete(uri, null, null);
      }
    }
  }
}
