package org.cropmae.app.server;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.io.desktop.ImageFiles;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.PalettePng;
import org.cropmae.runtime.preprocess.ImageSize;

/**
 * Uploaded images: their size read from the file header alone (PNG IHDR, JPEG SOF...), then the
 * pixels. Sizes are checked against the limits before decoding so that a small file declaring a
 * huge image (a decompression bomb) never allocates its pixels.
 *
 * <p>Decoding happens in memory ({@link MemoryCacheImageInputStream}; {@code ImageIO}'s default
 * stream would spill to a temporary file) and gives the same pixels as
 * {@link ImageFiles#readRgb(java.nio.file.Path)} on the same bytes.
 */
final class UploadedImages {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  private UploadedImages() {}

  /**
   * The sizes the images declare in their headers, checked against the limits on the number of
   * images, pixels per image and pixels in all.
   *
   * @throws HttpError 400 when one is not a readable image, 413 over a limit
   */
  static List<ImageSize> sizes(List<NamedBytes> images, ServerLimits limits) {
    if (images.size() > limits.maxFrames()) {
      throw HttpError.tooLarge(images.size() + " images exceed the limit of " + limits.maxFrames() + " per request");
    }
    List<ImageSize> sizes = new ArrayList<>(images.size());
    long total = 0;
    for (NamedBytes image : images) {
      ImageSize s = size(image, limits);
      total += (long) s.height() * s.width();
      if (total > limits.maxTotalPixels()) {
        throw HttpError.tooLarge("the images exceed the limit of " + limits.maxTotalPixels() + " pixels per request (at "
            + image.name() + ")");
      }
      sizes.add(s);
    }
    return sizes;
  }

  /**
   * The size an image declares in its header, checked against the per-image pixel limit.
   *
   * @throws HttpError 400 when the bytes are not a readable image, 413 when it is too large
   */
  static ImageSize size(NamedBytes image, ServerLimits limits) {
    long[] hw = isPng(image.bytes()) ? pngHeader(image) : imageIoHeader(image);
    if (hw[0] <= 0 || hw[1] <= 0) {
      throw HttpError.badRequest(image.name() + ": image declares size " + hw[0] + "x" + hw[1]);
    }
    if (hw[0] * hw[1] > limits.maxPixelsPerFrame()) {
      throw HttpError.tooLarge(image.name() + ": a " + hw[0] + "x" + hw[1] + " image exceeds the limit of "
          + limits.maxPixelsPerFrame() + " pixels per image");
    }
    return new ImageSize((int) hw[0], (int) hw[1]);
  }

  /**
   * Decodes an image whose header {@link #size} already accepted.
   *
   * @param expected the size the header declared; a decoder that disagrees is an error
   * @throws HttpError 400 for corrupt data
   */
  static RgbImage decode(NamedBytes image, ImageSize expected) {
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(image.bytes()))) {
      ImageReader reader = reader(in, image);
      try {
        reader.setInput(in, true, false); // metadata kept: the JPEG decoder needs its colour space
        RgbImage rgb = ImageFiles.decode(reader);
        if (rgb.height() != expected.height() || rgb.width() != expected.width()) {
          throw HttpError.badRequest(image.name() + ": decoded to " + rgb.height() + "x" + rgb.width()
              + " but its header says " + expected);
        }
        return rgb;
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof HttpError h) {
        throw h;
      }
      // ImageIO reports corrupt data as IIOException or, for some codecs, unchecked exceptions.
      throw HttpError.badRequest(image.name() + ": cannot decode image (" + ZipUploads.oneLine(e) + ")");
    }
  }

  /**
   * Decodes a palette (or greyscale index) PNG mask after checking from its header that it is
   * {@code size}.
   *
   * @throws HttpError 400 when it is not such a PNG or has another size
   */
  static IndexMask mask(NamedBytes png, ImageSize size) {
    checkMaskHeader(png, size);
    try {
      return PalettePng.decode(png.bytes(), png.name(), null);
    } catch (IOException e) {
      throw HttpError.badRequest(ZipUploads.oneLine(e));
    }
  }

  /**
   * Checks from its header that a mask is a PNG of {@code size}.
   *
   * @throws HttpError 400 when it is not
   */
  static void checkMaskHeader(NamedBytes png, ImageSize size) {
    if (!isPng(png.bytes())) {
      throw HttpError.badRequest(png.name() + ": not a PNG file (the mask must be a palette PNG)");
    }
    long[] hw = pngHeader(png);
    if (hw[0] != size.height() || hw[1] != size.width()) {
      throw HttpError.badRequest(png.name() + ": the mask is " + hw[0] + "x" + hw[1] + " but the first frame is "
          + size + " (height x width)");
    }
  }

  private static boolean isPng(byte[] b) {
    if (b.length < PNG_SIGNATURE.length) {
      return false;
    }
    for (int i = 0; i < PNG_SIGNATURE.length; i++) {
      if (b[i] != PNG_SIGNATURE[i]) {
        return false;
      }
    }
    return true;
  }

  /** Height and width from the IHDR chunk, which the PNG format puts first, at a fixed offset. */
  private static long[] pngHeader(NamedBytes image) {
    byte[] b = image.bytes();
    if (b.length < 24 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
      throw HttpError.badRequest(image.name() + ": corrupt PNG (no IHDR chunk first)");
    }
    long width = bigEndian(b, 16);
    long height = bigEndian(b, 20);
    return new long[] {height, width};
  }

  private static long bigEndian(byte[] b, int at) {
    return (b[at] & 0xFFL) << 24 | (b[at + 1] & 0xFFL) << 16 | (b[at + 2] & 0xFFL) << 8 | (b[at + 3] & 0xFFL);
  }

  /** Height and width as an ImageIO reader finds them in the header, without decoding pixels. */
  private static long[] imageIoHeader(NamedBytes image) {
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(image.bytes()))) {
      ImageReader reader = reader(in, image);
      try {
        reader.setInput(in, true, true);
        return new long[] {reader.getHeight(0), reader.getWidth(0)};
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof HttpError h) {
        throw h;
      }
      throw HttpError.badRequest(image.name() + ": cannot read the image header (" + ZipUploads.oneLine(e) + ")");
    }
  }

  private static ImageReader reader(ImageInputStream in, NamedBytes image) {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    if (!readers.hasNext()) {
      throw HttpError.badRequest(image.name() + ": not an image format this server reads (JPEG, PNG, BMP, GIF)");
    }
    return readers.next();
  }
}
