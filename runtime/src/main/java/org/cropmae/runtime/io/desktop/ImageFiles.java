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
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
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
 * <p>JPEG: the JDK's IJG decoder and OpenCV's libjpeg-turbo share the integer IDCT and "fancy"
 * chroma upsampling, so their samples are equal; but the JDK colour-manages a JPEG that embeds an
 * ICC profile (OpenCV and Pillow ignore the profile), which moved 89 % of a real photo's values by
 * up to 55 levels. {@link JpegSamples} therefore takes the decoder's raw samples and converts
 * YCbCr to RGB with libjpeg's fixed-point tables: {@code JpegSamplesTest} checks equality with
 * {@code cv2.imread} on JPEGs with and without profiles, 4:2:0/4:2:2/4:4:4, baseline and progressive.
 *
 * <p>Known differences from {@code cv2.imread}: EXIF orientation is not applied (OpenCV rotates),
 * and CMYK/YCCK JPEGs go through the JDK's colour conversion (OpenCV inverts Adobe CMYK itself);
 * the DAVIS JPEGs have neither.
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
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      java.util.Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new IOException(file + ": cannot decode image (not a format javax.imageio can read)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, false);
        return decode(reader);
      } catch (IOException | RuntimeException e) {
        // ImageIO reports corrupt data as IIOException or, for some codecs, unchecked exceptions.
        throw new IOException(file + ": cannot decode image (" + oneLine(e) + ")", e);
      } finally {
        reader.dispose();
      }
    }
  }

  /**
   * Decodes image 0 of a reader whose input is set, as {@link #readRgb} does: JPEGs through
   * {@link JpegSamples} (the decoder's own samples, converted to RGB with libjpeg's tables and no
   * colour management, as OpenCV and Pillow give them), other formats through {@link #toRgb}.
   *
   * @throws IOException when the data is corrupt
   */
  public static RgbImage decode(ImageReader reader) throws IOException {
    // A decoder reports a truncated or damaged stream as a warning and fills the rest with grey;
    // a frame like that must not pass for a real one.
    java.util.List<String> warnings = new java.util.ArrayList<>();
    javax.imageio.event.IIOReadWarningListener listener = (source, warning) -> warnings.add(warning);
    reader.addIIOReadWarningListener(listener);
    try {
      RgbImage image = null;
      if ("jpeg".equalsIgnoreCase(reader.getFormatName())) {
        image = JpegSamples.read(reader);
      }
      if (image == null) {
        image = toRgb(reader.read(0, reader.getDefaultReadParam()));
      }
      if (!warnings.isEmpty()) {
        throw new IOException("truncated or corrupt data: " + warnings.get(0).replaceAll("\\s+", " ").strip());
      }
      return image;
    } finally {
      reader.removeIIOReadWarningListener(listener);
    }
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
