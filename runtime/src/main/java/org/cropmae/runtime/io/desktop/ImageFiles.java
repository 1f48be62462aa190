package org.cropmae.runtime.io.desktop;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.cropmae.runtime.io.AtomicFiles;
import org.cropmae.runtime.image.RgbImage;

/**
 * Decodes image files (JPEG, PNG, BMP, GIF: whatever {@code javax.imageio} reads) into
 * {@link RgbImage}, giving the same 8-bit RGB values as the reference's {@code cv2.imread(path)}
 * followed by its BGR-to-RGB flip: alpha is dropped without blending, greyscale is replicated to
 * the three channels (raw grey values, no colour-space conversion; 1/2/4-bit grey scaled to
 * 0..255), palette images are expanded, 16-bit samples keep their high byte.
 *
 * <p>Desktop and server only (AWT). Android decodes with {@code BitmapFactory} and copies the
 * {@code ARGB_8888} pixels into an {@link RgbImage} instead.
 *
 * <p>Known differences from {@code cv2.imread}: EXIF orientation is not applied (OpenCV rotates),
 * and CMYK/YCCK JPEGs are refused; the DAVIS JPEGs have neither. JPEG pixel values come from the
 * JDK's IJG-based decoder, OpenCV uses libjpeg-turbo; both default to the same integer IDCT and
 * "fancy" chroma upsampling, but equality with {@code cv2.imread} has not been checked on a JPEG
 * fixture (none exists), so a difference of a few levels on some pixels is possible.
 */
public final class ImageFiles {
  private ImageFiles() {}

  /**
   * Reads and decodes an image file.
   *
   * @throws IOException {@code "<path>: cannot decode image (<reason>)"} when the file is missing,
   *     unreadable, corrupt or of an unsupported format
   */
  public static RgbImage readRgb(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": cannot decode image (no such file)");
    }
    BufferedImage img;
    try {
      img = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      // ImageIO reports corrupt data as IIOException or, for some codecs, unchecked exceptions.
      throw new IOException(file + ": cannot decode image (" + oneLine(e) + ")", e);
    }
    if (img == null) {
      throw new IOException(file + ": cannot decode image (not a format javax.imageio can read)");
    }
    return toRgb(img);
  }

  /** Writes {@code image} as an 8-bit RGB PNG, atomically. */
  public static void writePng(Path file, RgbImage image) throws IOException {
    BufferedImage img = toBufferedImage(image);
    AtomicFiles.write(file, out -> {
      if (!ImageIO.write(img, "png", out)) {
        throw new IOException(file + ": no PNG writer in this Java runtime");
      }
    });
  }

  /**
   * Writes {@code image} as a baseline JPEG (4:2:0 chroma, ImageIO's default) of the given quality,
   * atomically.
   *
   * @param quality JPEG quality, {@code (0, 1]}
   */
  public static void writeJpeg(Path file, BufferedImage image, float quality) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      AtomicFiles.write(file, os -> {
        try (ImageOutputStream out = ImageIO.createImageOutputStream(os)) {
          writer.setOutput(out);
          writer.write(null, new IIOImage(image, null, null), param);
        }
      });
    } finally {
      writer.dispose();
    }
  }

  /**
   * Writes {@code frames} as an animated GIF that loops forever, atomically. Colours are reduced
   * to the GIF's 256 by the JDK's encoder, so this is for looking at, not for measuring.
   *
   * @param delayMillis time each frame is shown, rounded to 10 ms
   */
  public static void writeAnimatedGif(Path file, List<RgbImage> frames, int delayMillis) throws IOException {
    if (frames.isEmpty()) {
      throw new IllegalArgumentException(file + ": an animation needs at least one frame");
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    AtomicFiles.write(file, out -> {
      try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
        writer.setOutput(ios);
        writer.prepareWriteSequence(null);
        for (int i = 0; i < frames.size(); i++) {
          BufferedImage img = toBufferedImage(frames.get(i));
          ImageWriteParam param = writer.getDefaultWriteParam();
          IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), param);
          String format = meta.getNativeMetadataFormatName();
          IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
          IIOMetadataNode gce = child(root, "GraphicControlExtension");
          gce.setAttribute("disposalMethod", "none");
          gce.setAttribute("userInputFlag", "FALSE");
          gce.setAttribute("transparentColorFlag", "FALSE");
          gce.setAttribute("delayTime", Integer.toString(Math.max(1, delayMillis / 10)));
          gce.setAttribute("transparentColorIndex", "0");
          if (i == 0) {
            IIOMetadataNode apps = child(root, "ApplicationExtensions");
            IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
            loop.setAttribute("applicationID", "NETSCAPE");
            loop.setAttribute("authenticationCode", "2.0");
            loop.setUserObject(new byte[] {1, 0, 0}); // loop count 0 = forever
            apps.appendChild(loop);
          }
          meta.setFromTree(format, root);
          writer.writeToSequence(new IIOImage(img, null, meta), param);
        }
        writer.endWriteSequence();
      } finally {
        writer.dispose();
      }
    });
  }

  private static IIOMetadataNode child(IIOMetadataNode root, String name) {
    for (int i = 0; i < root.getLength(); i++) {
      if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
        return (IIOMetadataNode) root.item(i);
      }
    }
    IIOMetadataNode node = new IIOMetadataNode(name);
    root.appendChild(node);
    return node;
  }

  private static BufferedImage toBufferedImage(RgbImage image) {
    BufferedImage img = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] rgb = image.rgb();
    byte[] bgr = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < rgb.length; i += 3) {
      bgr[i] = rgb[i + 2];
      bgr[i + 1] = rgb[i + 1];
      bgr[i + 2] = rgb[i];
    }
    return img;
  }

  /**
   * Copies a decoded image's RGB samples, without colour management, with the conversions
   * {@link #readRgb} applies. For callers that decode from memory with their own
   * {@code javax.imageio.ImageReader} (a server checking the declared size before decoding).
   */
  public static RgbImage toRgb(BufferedImage img) {
    int w = img.getWidth(), h = img.getHeight();
    byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
    Raster raster = img.getRaster();
    if (img.getColorModel() instanceof ComponentColorModel cm) {
      int type = cm.getColorSpace().getType();
      int bits = cm.getComponentSize(0);
      int shift = Math.max(0, bits - 8);
      // libpng (used by OpenCV) expands 1/2/4-bit grey to 8 bits by scaling to 0..255.
      int lowBitsScale = bits < 8 ? 255 / ((1 << bits) - 1) : 1;
      int bands = raster.getNumBands();
      int[] px = new int[bands * w];
      for (int y = 0; y < h; y++) {
        raster.getPixels(0, y, w, 1, px);
        for (int x = 0; x < w; x++) {
          int o = (y * w + x) * 3;
          if (type == ColorSpace.TYPE_GRAY) {
            byte g = (byte) ((px[x * bands] >>> shift) * lowBitsScale);
            rgb[o] = g;
            rgb[o + 1] = g;
            rgb[o + 2] = g;
          } else {
            rgb[o] = (byte) (px[x * bands] >>> shift);
            rgb[o + 1] = (byte) (px[x * bands + 1] >>> shift);
            rgb[o + 2] = (byte) (px[x * bands + 2] >>> shift);
          }
        }
      }
      return new RgbImage(w, h, rgb);
    }
    // Indexed and packed colour models: getRGB looks the colour up without conversion.
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      img.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int o = (y * w + x) * 3;
        rgb[o] = (byte) (row[x] >>> 16);
        rgb[o + 1] = (byte) (row[x] >>> 8);
        rgb[o + 2] = (byte) row[x];
      }
    }
    return new RgbImage(w, h, rgb);
  }

  private static String oneLine(Exception e) {
    String m = e.getMessage();
    return (m == null ? e.getClass().getSimpleName() : m).replaceAll("\\s+", " ").strip();
  }
}
