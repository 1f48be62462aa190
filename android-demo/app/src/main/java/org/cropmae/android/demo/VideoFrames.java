package org.cropmae.android.demo;

import android.content.ContentResolver;
import android.content.Context;
import android.content.res.AssetManager;
import android.database.Cursor;
import android.graphics.Bitmap;
import android.graphics.BitmapFactory;
import android.media.MediaMetadataRetriever;
import android.net.Uri;
import android.os.Build;
import android.provider.OpenableColumns;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.cropmae.android.demo.logic.ArgbImages;
import org.cropmae.android.demo.logic.FitCenter;
import org.cropmae.android.demo.logic.FrameSampling;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.PalettePng;

/**
 * Turns a video (or the bundled demo clip) into the sampled frames the propagation works on, all
 * scaled to the same size with the longer side at most {@link #MAX_SIDE} pixels. Runs on a
 * background thread.
 */
final class VideoFrames {
  /** Longer side of the frames kept, in pixels: larger than the encoder's fast input, small enough for memory. */
  static final int MAX_SIDE = 640;
  /** Most frames kept: about 55 MB of 640x360 frames. */
  static final int MAX_FRAMES = 80;
  /** The demo clip's frame spacing, in microseconds (its frames play at 10 fps). */
  private static final long DEMO_FRAME_US = 100_000;
  private static final String DEMO_DIR = "demo";

  private VideoFrames() {}

  /** Told after each decoded frame. */
  interface Progress {
    void decoded(int done, int total);
  }

  /**
   * A decoded clip.
   *
   * @param name the name the user knows it by
   * @param frames the sampled frames, all the same size
   * @param timesUs each frame's time in the video, microseconds
   * @param firstMask a mask that comes with the clip (the demo's), or {@code null}
   */
  record Clip(String name, List<RgbImage> frames, long[] timesUs, IndexMask firstMask) {}

  /**
   * Decodes a picked or recorded video with {@link MediaMetadataRetriever}: by frame index on
   * Android 9+ when the container states its frame count (exact frames, one seek each), otherwise by
   * time ({@code OPTION_CLOSEST}).
   *
   * @throws IOException naming the video when it cannot be read or holds no frame
   */
  static Clip decode(Context context, Uri video, FrameSampling sampling, Progress progress, BooleanSupplier cancelled)
      throws IOException {
    String name = displayName(context.getContentResolver(), video);
    MediaMetadataRetriever retriever = new MediaMetadataRetriever();
    try {
      retriever.setDataSource(context, video);
      long durationUs = 1000L * parseLong(retriever.extractMetadata(MediaMetadataRetriever.METADATA_KEY_DURATION), 0);
      if (durationUs <= 0) {
        throw new IOException(name + ": no duration (not a video?)");
      }
      int frameCount = Build.VERSION.SDK_INT >= Build.VERSION_CODES.P
          ? (int) parseLong(retriever.extractMetadata(MediaMetadataRetriever.METADATA_KEY_VIDEO_FRAME_COUNT), 0) : 0;
      long[] times;
      int[] indices = null;
      if (frameCount > 0) {
        indices = sampling.frameIndices(frameCount, durationUs);
        times = FrameSampling.indexTimesUs(indices, frameCount, durationUs);
      } else {
        times = sampling.timesUs(durationUs);
      }
      List<RgbImage> frames = new ArrayList<>(times.length);
      int[] size = null;
      for (int k = 0; k < times.length; k++) {
        if (cancelled.getAsBoolean()) {
          break;
        }
        Bitmap bitmap = indices != null && Build.VERSION.SDK_INT >= Build.VERSION_CODES.P
            ? retriever.getFrameAtIndex(indices[k])
            : retriever.getFrameAtTime(times[k], MediaMetadataRetriever.OPTION_CLOSEST);
        if (bitmap == null) {
          break; // past the last decodable frame: keep what we have
        }
        if (size == null) {
          size = FitCenter.shrinkToFit(bitmap.getWidth(), bitmap.getHeight(), MAX_SIDE);
        }
        frames.add(toRgb(bitmap, size[0], size[1]));
        progress.decoded(k + 1, times.length);
      }
      if (frames.isEmpty()) {
        throw new IOException(name + ": no frame could be decoded");
      }
      long[] kept = Arrays.copyOf(times, frames.size());
      return new Clip(name, frames, kept, null);
    } catch (RuntimeException e) {
      // setDataSource and the frame getters report unreadable media as IllegalArgumentException/RuntimeException.
      throw new IOException(name + ": " + e.getMessage(), e);
    } finally {
      try {
        retriever.release();
      } catch (IOException | RuntimeException e) {
        // nothing more to free
      }
    }
  }

  /** The bundled demo clip (the repository's src/main/resources/org/cropmae/app/demo, shipped as assets) and its first mask. */
  static Clip demo(Context context, Progress progress) throws IOException {
    AssetManager assets = context.getAssets();
    String[] names = assets.list(DEMO_DIR + "/frames");
    if (names == null || names.length == 0) {
      throw new IOException("assets/" + DEMO_DIR + "/frames is empty");
    }
    Arrays.sort(names);
    List<RgbImage> frames = new ArrayList<>(names.length);
    long[] times = new long[names.length];
    for (int k = 0; k < names.length; k++) {
      Bitmap bitmap;
      try (InputStream in = assets.open(DEMO_DIR + "/frames/" + names[k])) {
        bitmap = BitmapFactory.decodeStream(in);
      }
      if (bitmap == null) {
        throw new IOException("assets/" + DEMO_DIR + "/frames/" + names[k] + ": not an image");
      }
      frames.add(toRgb(bitmap, bitmap.getWidth(), bitmap.getHeight()));
      times[k] = k * DEMO_FRAME_US;
      progress.decoded(k + 1, names.length);
    }
    String maskName = DEMO_DIR + "/masks/" + names[0].replaceFirst("\\.[^.]*$", ".png");
    IndexMask mask;
    try (InputStream in = assets.open(maskName)) {
      mask = PalettePng.decode(readAll(in), "assets/" + maskName, null);
    }
    return new Clip("demo clip", frames, times, mask);
  }

  /** The frame as an RGB image of {@code width x height} (scaled if needed); the bitmap is recycled. */
  private static RgbImage toRgb(Bitmap bitmap, int width, int height) {
    Bitmap scaled = bitmap.getWidth() == width && bitmap.getHeight() == height
        ? bitmap : Bitmap.createScaledBitmap(bitmap, width, height, true);
    int[] argb = new int[width * height];
    scaled.getPixels(argb, 0, width, 0, 0, width, height);
    if (scaled != bitmap) {
      scaled.recycle();
    }
    bitmap.recycle();
    return ArgbImages.toRgb(argb, width, height);
  }

  private static String displayName(ContentResolver resolver, Uri uri) {
    try (Cursor c = resolver.query(uri, new String[] {OpenableColumns.DISPLAY_NAME}, null, null, null)) {
      if (c != null && c.moveToFirst() && !c.isNull(0)) {
        return c.getString(0);
      }
    } catch (RuntimeException e) {
      // some providers refuse queries: fall back to the URI
    }
    String last = uri.getLastPathSegment();
    return last != null ? last : "video";
  }

  private static long parseLong(String s, long fallback) {
    try {
      return s == null ? fallback : Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[1 << 14];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }
}
