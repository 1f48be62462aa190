package org.cropmae.runtime.io.desktop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.io.Npy;
import org.cropmae.runtime.io.NpyArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * JPEG decoding against OpenCV's {@code cv2.imread} (libjpeg-turbo), the decoder of the official
 * evaluation: fixtures made by {@code src/test/resources/jpeg/generate.py} from two public-domain
 * photos in the variants JPEGs come in. Tolerance: exact (every 8-bit value equal).
 */
class JpegSamplesTest {
  private static Path fixture(String name) throws URISyntaxException {
    return Path.of(JpegSamplesTest.class.getResource("/jpeg/" + name).toURI());
  }

  @ParameterizedTest
  @ValueSource(strings = {"rocket-icc-420", "rocket-icc-444-progressive", "hopper-420", "hopper-422", "hopper-444",
      "hopper-progressive", "hopper-grey"})
  void decodesExactlyAsOpenCv(String name) throws Exception {
    NpyArray expected = Npy.read(fixture(name + ".cv2.npy"));
    RgbImage image = ImageFiles.readRgb(fixture(name + ".jpg"));
    assertEquals(expected.dim(0), image.height());
    assertEquals(expected.dim(1), image.width());
    assertArrayEquals(expected.toByteArray(), image.rgb(), name + ": differs from cv2.imread");
  }

  /** Why JpegSamples exists: the JDK's own path colour-manages a JPEG that embeds an ICC profile. */
  @Test
  void plainImageIoDiffersOnAnEmbeddedProfile() throws Exception {
    byte[] expected = Npy.read(fixture("rocket-icc-420.cv2.npy")).toByteArray();
    RgbImage jdk = ImageFiles.toRgb(ImageIO.read(fixture("rocket-icc-420.jpg").toFile()));
    int differing = 0;
    for (int i = 0; i < expected.length; i++) {
      if (expected[i] != jdk.rgb()[i]) {
        differing++;
      }
    }
    assertTrue(differing > expected.length / 10, "expected the JDK's colour management to change values, " + differing + " differ");
  }

  @Test
  void truncatedJpegFailsNamingTheFile() throws Exception {
    byte[] whole = java.nio.file.Files.readAllBytes(fixture("hopper-420.jpg"));
    Path cut = java.nio.file.Files.createTempFile("cut", ".jpg");
    try {
      java.nio.file.Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 3));
      IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> ImageFiles.readRgb(cut));
      assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
    } finally {
      java.nio.file.Files.deleteIfExists(cut);
    }
  }
}
