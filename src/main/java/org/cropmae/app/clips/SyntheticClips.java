package org.cropmae.app.clips;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.cropmae.runtime.io.AtomicFiles;
import org.cropmae.runtime.io.desktop.ImageFiles;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.Palette;
import org.cropmae.runtime.mask.PalettePng;

/**
 * Generates short synthetic clips with exact object masks, in the DAVIS-2017 layout, from a set of
 * photos: the camera pans and zooms over one photo (the background) while two objects, shapes cut
 * from other photos, move, turn, grow or shrink and may occlude each other. Everything is drawn
 * from one seed, so the same photos and seed give byte-identical clips.
 *
 * <p>Layout written under the output folder: {@code JPEGImages/480p/<clip>/00000.jpg ...},
 * {@code Annotations/480p/<clip>/00000.png ...} (palette PNGs, 1 and 2 the objects, 0 background)
 * and {@code ImageSets/2017/val.txt}, which {@code cropmae davis-eval} reads.
 */
public final class SyntheticClips {
  /**
   * @param count clips to make
   * @param frames frames per clip
   * @param height frame height, pixels
   * @param width frame width, pixels
   * @param seed everything random derives from it
   * @param jpegQuality JPEG quality of the frames, {@code (0, 1]}
   */
  public record Config(int count, int frames, int height, int width, long seed, float jpegQuality) {
    public Config {
      if (count < 1 || frames < 2 || height < 32 || width < 32 || !(jpegQuality > 0 && jpegQuality <= 1)) {
        throw new IllegalArgumentException("need count >= 1, frames >= 2, sides >= 32, 0 < quality <= 1");
      }
    }
  }

  private SyntheticClips() {}

  /**
   * Writes {@code config.count()} clips made from {@code photos} (at least 3) into {@code out}.
   *
   * @return the clip names, {@code clip-00} ...
   * @throws IOException when a photo cannot be read or a file cannot be written
   */
  public static List<String> write(List<Path> photos, Path out, Config config) throws IOException {
    if (photos.size() < 3) {
      throw new IllegalArgumentException("need at least 3 photos (background and two objects), got " + photos.size());
    }
    List<BufferedImage> images = new ArrayList<>();
    for (Path p : photos) {
      BufferedImage img = ImageIO.read(p.toFile());
      if (img == null) {
        throw new IOException(p + ": cannot decode image");
      }
      images.add(toRgb(img));
    }
    List<String> names = new ArrayList<>();
    for (int k = 0; k < config.count(); k++) {
      String name = String.format(Locale.ROOT, "clip-%02d", k);
      SplittableRandom rng = new SplittableRandom(config.seed() * 1_000_003L + k);
      int bg = k % images.size();
      int o1 = (bg + 1 + rng.nextInt(images.size() - 1)) % images.size();
      int o2 = o1;
      while (o2 == o1 || o2 == bg) {
        o2 = rng.nextInt(images.size());
      }
      writeClip(images.get(bg), new BufferedImage[] {images.get(o1), images.get(o2)}, rng,
          out.resolve("JPEGImages/480p").resolve(name), out.resolve("Annotations/480p").resolve(name), config);
      names.add(name);
    }
    Path list = out.resolve("ImageSets/2017/val.txt");
    Files.createDirectories(list.getParent());
    AtomicFiles.write(list, (String.join("\n", names) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return names;
  }

  /** One moving object: its texture, outline and trajectory (centre, scale and angle per frame). */
  private record Mover(BufferedImage texture, Shape outline, double x0, double y0, double vx, double vy,
      double wobble, double phase, double scale0, double scale1, double angle0, double spin) {
    AffineTransform at(double t, int frames) {
      double u = t / (frames - 1);
      double x = x0 + vx * t + wobble * Math.sin(phase + 0.5 * t);
      double y = y0 + vy * t + wobble * Math.cos(phase + 0.4 * t);
      double s = scale0 + (scale1 - scale0) * u;
      AffineTransform a = new AffineTransform();
      a.translate(x, y);
      a.rotate(angle0 + spin * t);
      a.scale(s, s);
      return a;
    }
  }

  private static void writeClip(BufferedImage background, BufferedImage[] textures, SplittableRandom rng,
      Path frameDir, Path maskDir, Config c) throws IOException {
    Files.createDirectories(frameDir);
    Files.createDirectories(maskDir);
    int h = c.height();
    int w = c.width();
    int n = c.frames();
    // Camera: a window of the background that pans and zooms linearly.
    double aspect = (double) w / h;
    double winH0 = background.getHeight() * (0.55 + 0.3 * rng.nextDouble());
    double winH1 = winH0 * (0.85 + 0.3 * rng.nextDouble());
    double[] cx = {rng.nextDouble(), rng.nextDouble()};
    double[] cy = {rng.nextDouble(), rng.nextDouble()};
    Mover[] movers = new Mover[2];
    for (int i = 0; i < 2; i++) {
      double size = h * (0.22 + 0.16 * rng.nextDouble());
      Shape outline = outline(rng, size);
      double x0 = w * (0.25 + 0.5 * rng.nextDouble());
      double y0 = h * (0.3 + 0.4 * rng.nextDouble());
      double speed = h * (0.008 + 0.014 * rng.nextDouble());
      double dir = rng.nextDouble() * 2 * Math.PI;
      movers[i] = new Mover(textures[i], outline, x0, y0, speed * Math.cos(dir), speed * Math.sin(dir),
          h * 0.02 * rng.nextDouble(), rng.nextDouble() * 6.3, 1.0, 0.8 + 0.4 * rng.nextDouble(),
          rng.nextDouble() * 6.3, (rng.nextDouble() - 0.5) * 0.06);
    }
    // Each object shows a fixed window of its photo, attached to the object (it turns with it).
    int[][] texOrigin = new int[2][2];
    for (int i = 0; i < 2; i++) {
      BufferedImage t = textures[i];
      int side = (int) (h * 0.6);
      texOrigin[i][0] = rng.nextInt(Math.max(1, t.getWidth() - side));
      texOrigin[i][1] = rng.nextInt(Math.max(1, t.getHeight() - side));
    }
    for (int t = 0; t < n; t++) {
      double u = (double) t / (n - 1);
      double winH = winH0 + (winH1 - winH0) * u;
      double winW = Math.min(winH * aspect, background.getWidth());
      winH = winW / aspect;
      double left = (background.getWidth() - winW) * (cx[0] + (cx[1] - cx[0]) * u);
      double top = (background.getHeight() - winH) * (cy[0] + (cy[1] - cy[0]) * u);
      BufferedImage frame = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      byte[] labels = new byte[h * w];
      Graphics2D g = frame.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
      g.drawImage(background, 0, 0, w, h, (int) left, (int) top, (int) (left + winW), (int) (top + winH), null);
      for (int i = 0; i < 2; i++) {
        AffineTransform at = movers[i].at(t, n);
        Shape placed = at.createTransformedShape(movers[i].outline());
        Graphics2D og = (Graphics2D) g.create();
        og.setClip(placed);
        og.setComposite(AlphaComposite.Src);
        AffineTransform texAt = new AffineTransform(at);
        texAt.translate(-h * 0.3, -h * 0.3);
        og.setTransform(texAt);
        int side = (int) (h * 0.6);
        og.drawImage(movers[i].texture(), 0, 0, side, side, texOrigin[i][0], texOrigin[i][1],
            texOrigin[i][0] + side, texOrigin[i][1] + side, null);
        og.dispose();
        // Label the pixels whose centres lie inside the outline: the same rule the (aliased) clip uses.
        java.awt.Rectangle b = placed.getBounds().intersection(new java.awt.Rectangle(0, 0, w, h));
        for (int y = b.y; y < b.y + b.height; y++) {
          for (int x = b.x; x < b.x + b.width; x++) {
            if (placed.contains(x + 0.5, y + 0.5)) {
              labels[y * w + x] = (byte) (i + 1);
            }
          }
        }
      }
      g.dispose();
      String stem = String.format(Locale.ROOT, "%05d", t);
      ImageFiles.writeJpeg(frameDir.resolve(stem + ".jpg"), frame, c.jpegQuality());
      PalettePng.write(maskDir.resolve(stem + ".png"), new IndexMask(h, w, labels, Palette.DAVIS));
    }
  }

  /** A random outline centred on the origin, about {@code size} across: ellipse, rounded box or blob. */
  private static Shape outline(SplittableRandom rng, double size) {
    double a = size * (0.35 + 0.15 * rng.nextDouble());
    double b = size * (0.35 + 0.15 * rng.nextDouble());
    switch (rng.nextInt(3)) {
      case 0:
        return new Ellipse2D.Double(-a, -b, 2 * a, 2 * b);
      case 1:
        return new RoundRectangle2D.Double(-a, -b, 2 * a, 2 * b, a * 0.5, b * 0.5);
      default:
        Path2D.Double p = new Path2D.Double();
        int k = 7 + rng.nextInt(5);
        for (int i = 0; i < k; i++) {
          double ang = 2 * Math.PI * i / k;
          double r = 0.65 + 0.35 * rng.nextDouble();
          double x = a * r * Math.cos(ang);
          double y = b * r * Math.sin(ang);
          if (i == 0) {
            p.moveTo(x, y);
          } else {
            p.lineTo(x, y);
          }
        }
        p.closePath();
        return p;
    }
  }

  private static BufferedImage toRgb(BufferedImage img) {
    if (img.getType() == BufferedImage.TYPE_INT_RGB) {
      return img;
    }
    BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    g.drawImage(img, 0, 0, null);
    g.dispose();
    return rgb;
  }

}
