package org.cropmae.android.demo.check;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.cropmae.android.demo.logic.ArgbImages;
import org.cropmae.android.demo.logic.ModelCache;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.PalettePng;

/**
 * The bundled demo clip and encoder as the app sees them: the clip's JPEG frames (test resources
 * {@code demo/}, the same files the app ships as assets) decoded to ARGB pixels like
 * {@code Bitmap.getPixels} gives them, and the default encoder copied out with {@link ModelCache}
 * as the app copies its asset.
 */
final class DemoClip {
  static final int FRAMES = 12;
  /** The encoder the build copies into the app's assets (onnx-models' default). */
  static final String ENCODER = "/org/cropmae/models/cropmae-reference-tiny.onnx";

  private DemoClip() {}

  static RgbImage frame(int t) throws IOException {
    String name = String.format("/demo/frames/%05d.jpg", t);
    try (InputStream in = DemoClip.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException(name + " is not on the test classpath");
      }
      BufferedImage img = ImageIO.read(in);
      int w = img.getWidth();
      int h = img.getHeight();
      return ArgbImages.toRgb(img.getRGB(0, 0, w, h, null, 0, w), w, h);
    }
  }

  static List<RgbImage> frames() throws IOException {
    List<RgbImage> out = new ArrayList<>();
    for (int t = 0; t < FRAMES; t++) {
      out.add(frame(t));
    }
    return out;
  }

  /** The clip's true mask of frame {@code t} (DAVIS palette: 1 = disc, 2 = rectangle). */
  static IndexMask mask(int t) throws IOException {
    String name = String.format("/demo/masks/%05d.png", t);
    try (InputStream in = DemoClip.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException(name + " is not on the test classpath");
      }
      return PalettePng.decode(in.readAllBytes(), name, null);
    }
  }

  static Path encoder(Path cacheRoot) throws IOException {
    return ModelCache.ensure(cacheRoot, "test", "cropmae-reference-tiny.onnx",
        () -> DemoClip.class.getResourceAsStream(ENCODER));
  }
}
