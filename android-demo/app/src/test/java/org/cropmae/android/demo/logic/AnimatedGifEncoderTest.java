package org.cropmae.android.demo.logic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Node;

/**
 * The encoder runs on Android, where nothing can read its output back; here the JDK's own GIF
 * decoder (javax.imageio, test-only) is the independent judge of what was written.
 */
class AnimatedGifEncoderTest {

  private record Decoded(List<int[]> frames, List<Integer> delays, boolean loops) {}

  private static Decoded decode(byte[] gif, int width, int height) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(gif))) {
      ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
      reader.setInput(in);
      int n = reader.getNumImages(true);
      List<int[]> frames = new ArrayList<>();
      List<Integer> delays = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        BufferedImage img = reader.read(i);
        assertEquals(width, img.getWidth());
        assertEquals(height, img.getHeight());
        frames.add(img.getRGB(0, 0, width, height, null, 0, width));
        IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0");
        Node gce = root.getElementsByTagName("GraphicControlExtension").item(0);
        delays.add(Integer.parseInt(gce.getAttributes().getNamedItem("delayTime").getNodeValue()));
      }
      IIOMetadataNode stream = (IIOMetadataNode) reader.getStreamMetadata().getAsTree("javax_imageio_gif_stream_1.0");
      reader.dispose();
      return new Decoded(frames, delays, gif.length > 0 && new String(gif, java.nio.charset.StandardCharsets.ISO_8859_1)
          .contains("NETSCAPE2.0") && stream != null);
    }
  }

  private static int[] opaque(int[] rgb) {
    int[] out = new int[rgb.length];
    for (int i = 0; i < rgb.length; i++) {
      out[i] = 0xFF000000 | rgb[i];
    }
    return out;
  }

  @Test
  void fewColoursRoundTripExactlyWithDelayAndLoop() throws IOException {
    int w = 7, h = 5;
    int[] a = new int[w * h];
    int[] b = new int[w * h];
    int[] colours = {0x000000, 0xFF0000, 0x00FF00, 0x123456};
    for (int i = 0; i < a.length; i++) {
      a[i] = 0xFF000000 | colours[i % 4];
      b[i] = 0xFF000000 | colours[(i / 3) % 4];
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AnimatedGifEncoder gif = new AnimatedGifEncoder(out, w, h, 250);
    gif.addFrame(a);
    gif.addFrame(b);
    gif.finish();
    assertEquals(2, gif.frameCount());
    Decoded d = decode(out.toByteArray(), w, h);
    assertEquals(2, d.frames().size());
    assertArrayEquals(a, d.frames().get(0));
    assertArrayEquals(b, d.frames().get(1));
    assertEquals(List.of(25, 25), d.delays(), "hundredths of a second");
    assertTrue(d.loops());
  }

  @Test
  void exactlyTwoHundredFiftySixColoursAndLongDataRoundTripExactly() throws IOException {
    // 256 colours in random order over 160x120 pixels: thousands of LZW codes, several table resets.
    int w = 160, h = 120;
    Random rnd = new Random(7);
    int[] px = new int[w * h];
    for (int i = 0; i < px.length; i++) {
      int k = i < 256 ? i : rnd.nextInt(256);
      px[i] = 0xFF000000 | (k * 0x010203 & 0xFFFFFF) ^ (k << 16);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AnimatedGifEncoder gif = new AnimatedGifEncoder(out, w, h, 40);
    gif.addFrame(px);
    gif.finish();
    assertArrayEquals(px, decode(out.toByteArray(), w, h).frames().get(0));
  }

  @Test
  void manyColoursAreDecodedAsTheQuantizerMappedThem() throws IOException {
    int w = 97, h = 61; // odd sizes: no accidental alignment
    Random rnd = new Random(11);
    int[] rgb = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        // A gradient plus noise: far more than 256 colours, as in a video frame.
        int r = Math.min(255, x * 255 / w + rnd.nextInt(8));
        int g = Math.min(255, y * 255 / h + rnd.nextInt(8));
        int b = rnd.nextInt(256);
        rgb[y * w + x] = r << 16 | g << 8 | b;
      }
    }
    int[] frame = opaque(rgb);
    AnimatedGifEncoder.Quantized q = AnimatedGifEncoder.quantize(frame);
    assertEquals(256, q.palette().length);
    int[] expected = new int[frame.length];
    for (int i = 0; i < frame.length; i++) {
      expected[i] = 0xFF000000 | q.palette()[q.indices()[i] & 0xFF];
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AnimatedGifEncoder gif = new AnimatedGifEncoder(out, w, h, 100);
    gif.addFrame(frame);
    gif.finish();
    assertArrayEquals(expected, decode(out.toByteArray(), w, h).frames().get(0));
  }

  @Test
  void quantizedColoursStayCloseWhereColoursAreFew() {
    // 300 colours: 299 shades of two neighbouring greys plus one rare outlier.
    int[] px = new int[1000];
    for (int i = 0; i < px.length; i++) {
      px[i] = 0xFF000000 | (i % 299) << 16 | 0x4040;
    }
    px[999] = 0xFFFFFFFF;
    AnimatedGifEncoder.Quantized q = AnimatedGifEncoder.quantize(px);
    int worst = 0;
    for (int i = 0; i < px.length - 1; i++) {
      int got = q.palette()[q.indices()[i] & 0xFF];
      worst = Math.max(worst, Math.abs(((got >> 16) & 0xFF) - ((px[i] >> 16) & 0xFF)));
    }
    assertTrue(worst <= 4, "red channel off by " + worst + " (groups are 8 wide, each its mean)");
  }

  @Test
  void onePixelAndTheDelayFloor() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AnimatedGifEncoder gif = new AnimatedGifEncoder(out, 1, 1, 5);
    gif.addFrame(new int[] {0xFFABCDEF});
    gif.finish();
    gif.finish(); // idempotent
    Decoded d = decode(out.toByteArray(), 1, 1);
    assertArrayEquals(new int[] {0xFFABCDEF}, d.frames().get(0));
    assertEquals(List.of(2), d.delays(), "5 ms is raised to the 2/100 s viewers honour");
  }

  @Test
  void misuseIsNamed() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals("GIF frames must be 1..65535 pixels on each side, got 0x5",
        assertThrows(IllegalArgumentException.class, () -> new AnimatedGifEncoder(out, 0, 5, 10)).getMessage());
    assertEquals("delayMs must be >= 0, got -1",
        assertThrows(IllegalArgumentException.class, () -> new AnimatedGifEncoder(out, 5, 5, -1)).getMessage());
    AnimatedGifEncoder gif = new AnimatedGifEncoder(out, 2, 2, 10);
    assertEquals("argb: a 2x2 frame needs 4 pixels, got 3",
        assertThrows(IllegalArgumentException.class, () -> gif.addFrame(new int[3])).getMessage());
    assertEquals("a GIF needs at least one frame", assertThrows(IllegalStateException.class, gif::finish).getMessage());
    gif.addFrame(new int[4]);
    gif.finish();
    assertEquals("the GIF is finished", assertThrows(IllegalStateException.class, () -> gif.addFrame(new int[4])).getMessage());
  }
}
