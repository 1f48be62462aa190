package org.cropmae.runtime.eval.desktop;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.cropmae.runtime.eval.IndexMask;
import org.cropmae.runtime.eval.IndexMaskReader;

/**
 * Desktop/server {@link IndexMaskReader} on {@code javax.imageio}: indexed PNGs (1 to 8 bits per
 * pixel) give their palette indices, 8-bit greyscale PNGs their grey levels; anything else (RGB,
 * 16-bit, alpha channel) is rejected, since the reference would not see one label per pixel.
 */
public final class ImageIoIndexMaskReader implements IndexMaskReader {
  /** A shared instance; the reader holds no state. */
  public static final ImageIoIndexMaskReader INSTANCE = new ImageIoIndexMaskReader();

  @Override
  public IndexMask read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file + ": mask PNG not found");
    }
    BufferedImage img;
    try {
      img = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + ": not a readable PNG (" + oneLine(e) + ")", e);
    }
    if (img == null) {
      throw new IOException(file + ": not a readable image");
    }
    Raster raster = img.getRaster();
    boolean indexed = img.getColorModel() instanceof IndexColorModel;
    boolean grey =
        img.getColorModel() instanceof ComponentColorModel
            && raster.getNumBands() == 1
            && raster.getTransferType() == DataBuffer.TYPE_BYTE;
    if (!(indexed || grey) || raster.getNumBands() != 1) {
      throw new IOException(
          file + ": expected an indexed or 8-bit greyscale PNG, got " + raster.getNumBands()
              + " channel(s) of " + img.getColorModel().getPixelSize() + " bits per pixel");
    }
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] direct = directBytes(raster, w, h);
    if (direct != null) {
      return new IndexMask(h, w, direct);
    }
    int[] samples = raster.getSamples(0, 0, w, h, 0, (int[]) null);
    byte[] out = new byte[samples.length];
    for (int i = 0; i < samples.length; i++) {
      out[i] = (byte) samples[i];
    }
    return new IndexMask(h, w, out);
  }

  /** The raster's own bytes when they are exactly one byte per pixel, row-major, unpadded. */
  private static byte[] directBytes(Raster raster, int w, int h) {
    if (!(raster.getDataBuffer() instanceof DataBufferByte buffer)
        || buffer.getNumBanks() != 1
        || !(raster.getSampleModel() instanceof ComponentSampleModel sm)
        || sm.getPixelStride() != 1
        || sm.getScanlineStride() != w
        || raster.getSampleModelTranslateX() != 0
        || raster.getSampleModelTranslateY() != 0
        || sm.getBandOffsets()[0] != 0
        || buffer.getOffset() != 0) {
      return null;
    }
    byte[] data = buffer.getData();
    return data.length == w * h ? data : null;
  }

  private static String oneLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replace('\n', ' ').replace('\r', ' ');
  }
}
