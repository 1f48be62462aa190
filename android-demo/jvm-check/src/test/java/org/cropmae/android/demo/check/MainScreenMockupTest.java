package org.cropmae.android.demo.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.cropmae.android.demo.logic.MaskSketch;
import org.cropmae.android.demo.logic.PropagationRun;
import org.cropmae.android.demo.logic.RunSettings;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paints the demo clip's two objects the way a finger would (one zig-zag brush stroke each), checks
 * the painted mask against the clip's true mask, propagates it, and draws the main screen in both
 * states ({@link MainScreenMockup}). With {@code -Dmockup.out=<file.png>} the picture is written
 * there; android-demo/docs/main-screen-mockup.png was made so:
 *
 * <pre>./mvnw -o -q -pl android-demo/jvm-check -am test -Dtest=MainScreenMockupTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dmockup.out=$PWD/android-demo/docs/main-screen-mockup.png</pre>
 */
class MainScreenMockupTest {
  @TempDir Path cache;

  /**
   * One stroke scribbling over object {@code label} of {@code truth}: left to right along rows
   * {@code 1.2 r} apart, each row inset by {@code 0.8 r} from the object's edge, joined at the ends.
   */
  static MaskSketch.Stroke scribble(IndexMask truth, int label, float r) {
    int top = Integer.MAX_VALUE;
    int bottom = -1;
    for (int y = 0; y < truth.height(); y++) {
      for (int x = 0; x < truth.width(); x++) {
        if (truth.index(y, x) == label) {
          top = Math.min(top, y);
          bottom = Math.max(bottom, y);
        }
      }
    }
    List<Float> points = new ArrayList<>();
    boolean leftToRight = true;
    for (float y = top + 0.8f * r; y <= bottom - 0.8f * r + 1e-3f; y += 1.2f * r) {
      int row = Math.round(y);
      int left = -1;
      int right = -1;
      for (int x = 0; x < truth.width(); x++) {
        if (truth.index(row, x) == label) {
          left = left < 0 ? x : left;
          right = x;
        }
      }
      if (left < 0) {
        continue;
      }
      float a = Math.min(left + 0.8f * r, (left + right) / 2f);
      float b = Math.max(right + 1 - 0.8f * r, (left + right) / 2f);
      points.add(leftToRight ? a : b);
      points.add(y);
      points.add(leftToRight ? b : a);
      points.add(y);
      leftToRight = !leftToRight;
    }
    float[] xy = new float[points.size()];
    for (int i = 0; i < xy.length; i++) {
      xy[i] = points.get(i);
    }
    return new MaskSketch.Stroke(label, r, xy);
  }

  static double iou(IndexMask a, IndexMask b, int label) {
    int inter = 0;
    int union = 0;
    for (int i = 0; i < a.indices().length; i++) {
      boolean x = (a.indices()[i] & 0xFF) == label;
      boolean y = (b.indices()[i] & 0xFF) == label;
      inter += x && y ? 1 : 0;
      union += x || y ? 1 : 0;
    }
    return (double) inter / union;
  }

  @Test
  void paintedMaskMatchesTheObjectsAndBothScreensRender() throws IOException {
    AppResources res = AppResources.read();
    List<RgbImage> frames = DemoClip.frames();
    IndexMask truth = DemoClip.mask(0);
    MaskSketch sketch = new MaskSketch(truth.width(), truth.height());
    sketch.apply(scribble(truth, 1, 9f));
    sketch.apply(scribble(truth, 2, 9f));
    IndexMask painted = sketch.toIndexMask();
    double iou1 = iou(painted, truth, 1);
    double iou2 = iou(painted, truth, 2);
    assertTrue(iou1 >= 0.85 && iou2 >= 0.85, String.format(Locale.ROOT, "painted IoU %.3f, %.3f", iou1, iou2));

    RunSettings settings = RunSettings.defaults().withThreads(2);
    List<IndexMask> masks;
    long start = System.nanoTime();
    try (OnnxEncoder encoder = OnnxEncoder.open(DemoClip.encoder(cache), settings.encoderOptions())) {
      masks = PropagationRun.run(encoder, settings, frames, painted, null, () -> false);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int last = frames.size() - 1;

    RgbImage first = frames.get(0);
    String drawStatus = String.format(Locale.ROOT, res.value("string", "status_draw"), "demo clip", frames.size(),
        first.width(), first.height());
    String doneStatus = String.format(Locale.ROOT, res.value("string", "status_done"), masks.size(), seconds, "CPU");
    BufferedImage paint = MainScreenMockup.render(res, MainScreenMockup.State.PAINT, first, painted, drawStatus, null);
    BufferedImage result = MainScreenMockup.render(res, MainScreenMockup.State.RESULT, frames.get(last), masks.get(last),
        doneStatus, String.format(Locale.ROOT, res.value("string", "frame_label"), last + 1, masks.size()));
    assertEquals(Math.round(MainScreenMockup.SCREEN_W_DP * MainScreenMockup.DENSITY), paint.getWidth());

    // The disc's centre on screen shows the painted layer: object 1's DAVIS red over the frame.
    int[] c = centre(truth, 1);
    int[] screen = screenPoint(paint, first, c[0], c[1]);
    Color p = new Color(paint.getRGB(screen[0], screen[1]));
    assertTrue(p.getRed() > p.getGreen() + 40 && p.getRed() > p.getBlue() + 40, "painted layer at the disc: " + p);

    BufferedImage sheet = sideBySide(paint, result);
    String out = System.getProperty("mockup.out");
    if (out != null && !out.isBlank()) {
      Path file = Path.of(out);
      Files.createDirectories(file.toAbsolutePath().getParent());
      ImageIO.write(sheet, "png", file.toFile());
    }
  }

  private static int[] centre(IndexMask m, int label) {
    long sx = 0;
    long sy = 0;
    long n = 0;
    for (int y = 0; y < m.height(); y++) {
      for (int x = 0; x < m.width(); x++) {
        if (m.index(y, x) == label) {
          sx += x;
          sy += y;
          n++;
        }
      }
    }
    return new int[] {(int) (sx / n), (int) (sy / n)};
  }

  /** Where image pixel (x, y) lands in the rendered screen: found by locating the frame view's image. */
  private static int[] screenPoint(BufferedImage screen, RgbImage frame, int x, int y) {
    // The frame view spans the screen width minus padding; the image is fitted inside it. Scan the
    // middle column for the view's dark background to find its vertical extent.
    int mid = screen.getWidth() / 2;
    int frameBg = 0xFF202124;
    int top = -1;
    int bottom = -1;
    for (int row = 0; row < screen.getHeight(); row++) {
      if (screen.getRGB(mid, row) == frameBg) {
        top = top < 0 ? row : top;
        bottom = row;
      }
    }
    float pad = 8 * MainScreenMockup.DENSITY; // screen_padding
    float viewW = screen.getWidth() - 2 * pad;
    float viewH = bottom - top + 1;
    float scale = Math.min(viewW / frame.width(), viewH / frame.height());
    float ox = pad + (viewW - frame.width() * scale) / 2;
    float oy = top + (viewH - frame.height() * scale) / 2;
    return new int[] {Math.round(ox + (x + 0.5f) * scale), Math.round(oy + (y + 0.5f) * scale)};
  }

  private static BufferedImage sideBySide(BufferedImage a, BufferedImage b) {
    int margin = 18;
    int caption = 56;
    BufferedImage sheet = new BufferedImage(a.getWidth() + b.getWidth() + 3 * margin, a.getHeight() + caption + margin,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = sheet.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
    g.setColor(new Color(0x444444));
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
    g.drawString("MOCK-UP drawn with Java2D from res/ (sizes, colours, texts), not an Android rendering.", margin, 22);
    g.drawString("Left: painting frame 1 of the demo clip.  Right: frame 12 after propagation with the bundled, "
        + "untrained placeholder encoder.", margin, 44);
    g.drawImage(a, margin, caption, null);
    g.drawImage(b, 2 * margin + a.getWidth(), caption, null);
    g.dispose();
    return sheet;
  }
}
