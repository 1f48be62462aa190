package org.cropmae.runtime.io.desktop;

import java.awt.image.Raster;
import java.io.IOException;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import org.cropmae.runtime.image.RgbImage;
import org.w3c.dom.Node;

/**
 * Decodes a JPEG to 8-bit RGB as libjpeg(-turbo) does for OpenCV's {@code imread} and Pillow: the
 * decoder's samples (after IDCT and chroma upsampling, before any colour conversion) are read with
 * {@link ImageReader#readRaster}, and YCbCr is converted with libjpeg's {@code jdcolor.c} fixed-point
 * tables (16 fraction bits, rounded), so an embedded ICC profile is ignored as those libraries
 * ignore it. The colour space is decided as libjpeg's {@code default_decompress_parms} does: a JFIF
 * marker means YCbCr; else an Adobe marker's transform (0 = RGB); else component ids R, G, B mean
 * RGB; otherwise YCbCr. One component is grey, replicated.
 */
final class JpegSamples {
  private static final int SCALEBITS = 16;
  private static final int ONE_HALF = 1 << (SCALEBITS - 1);
  private static final int[] CR_R = new int[256];
  private static final int[] CB_B = new int[256];
  private static final int[] CR_G = new int[256];
  private static final int[] CB_G = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int x = i - 128;
      CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALEBITS;
      CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALEBITS;
      CR_G[i] = -fix(0.71414) * x;
      CB_G[i] = -fix(0.34414) * x + ONE_HALF;
    }
  }

  private JpegSamples() {}

  private static int fix(double v) {
    return (int) (v * (1L << SCALEBITS) + 0.5);
  }

  /**
   * @return the image, or {@code null} when it is not 1- or 3-component 8-bit (CMYK, YCCK), which
   *     the caller decodes the ordinary way
   */
  static RgbImage read(ImageReader reader) throws IOException {
    IIOMetadata meta = reader.getImageMetadata(0);
    Node root = meta == null ? null : meta.getAsTree("javax_imageio_jpeg_image_1.0");
    if (root == null) {
      return null;
    }
    Node sof = find(root, "sof");
    if (sof == null || !"8".equals(attribute(sof, "samplePrecision"))) {
      return null;
    }
    int components = sof.getChildNodes().getLength();
    if (components != 1 && components != 3) {
      return null;
    }
    boolean ycc = components == 3 && isYCbCr(root, sof);
    Raster raster = reader.readRaster(0, null);
    int w = raster.getWidth();
    int h = raster.getHeight();
    if (raster.getNumBands() != components) {
      return null;
    }
    byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
    int[] row = new int[w * components];
    for (int y = 0; y < h; y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
      int o = y * w * 3;
      for (int x = 0; x < w; x++, o += 3) {
        if (components == 1) {
          byte g = (byte) row[x];
          rgb[o] = g;
          rgb[o + 1] = g;
          rgb[o + 2] = g;
        } else if (ycc) {
          int yy = row[3 * x];
          int cb = row[3 * x + 1];
          int cr = row[3 * x + 2];
          rgb[o] = clamp(yy + CR_R[cr]);
          rgb[o + 1] = clamp(yy + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS));
          rgb[o + 2] = clamp(yy + CB_B[cb]);
        } else {
          rgb[o] = (byte) row[3 * x];
          rgb[o + 1] = (byte) row[3 * x + 1];
          rgb[o + 2] = (byte) row[3 * x + 2];
        }
      }
    }
    return new RgbImage(w, h, rgb);
  }

  private static boolean isYCbCr(Node root, Node sof) {
    if (find(root, "app0JFIF") != null) {
      return true;
    }
    Node adobe = find(root, "app14Adobe");
    if (adobe != null) {
      return !"0".equals(attribute(adobe, "transform"));
    }
    int[] ids = new int[3];
    for (int i = 0; i < 3; i++) {
      String id = attribute(sof.getChildNodes().item(i), "componentId");
      ids[i] = id == null ? -1 : Integer.parseInt(id);
    }
    return !(ids[0] == 'R' && ids[1] == 'G' && ids[2] == 'B');
  }

  private static byte clamp(int v) {
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }

  private static Node find(Node n, String name) {
    if (name.equals(n.getNodeName())) {
      return n;
    }
    for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
      Node f = find(c, name);
      if (f != null) {
        return f;
      }
    }
    return null;
  }

  private static String attribute(Node n, String name) {
    if (n == null || n.getAttributes() == null) {
      return null;
    }
    Node a = n.getAttributes().getNamedItem(name);
    return a == null ? null : a.getNodeValue();
  }
}
