package org.cropmae.android.demo.check;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.Locale;
import org.cropmae.android.demo.logic.ArgbImages;
import org.cropmae.android.demo.logic.FitCenter;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.Palette;

/**
 * Draws the main screen as res/layout/activity_main.xml lays it out, with Java2D: a mock-up for the
 * README, since no Android renderer runs here. Sizes, colours and texts come from res/values
 * ({@link AppResources}); the frame area shows real pixels (the demo clip, a mask painted with
 * {@code MaskSketch}, overlays from {@code ArgbImages}). Platform widgets (buttons, spinners, seek
 * bars) are approximations of the Material platform theme, not its exact drawing.
 */
final class MainScreenMockup {
  /** Phone screen in dp, and pixels per dp of the PNG. */
  static final int SCREEN_W_DP = 360;
  static final int SCREEN_H_DP = 760;
  static final float DENSITY = 1.5f;

  private static final float STATUS_BAR_DP = 24;
  private static final float ACTION_BAR_DP = 56;
  private static final float BUTTON_ROW_DP = 48;

  /** What the screen shows. */
  enum State { PAINT, RESULT }

  private final AppResources res;
  private final State state;
  private final Graphics2D g;
  private final BufferedImage image;
  private final Color accent;
  private final Color textPrimary;
  private final Color textSecondary;
  private final Color disabled = new Color(0x61000000, true);

  private MainScreenMockup(AppResources res, State state) {
    this.res = res;
    this.state = state;
    image = new BufferedImage(px(SCREEN_W_DP), px(SCREEN_H_DP), BufferedImage.TYPE_INT_RGB);
    g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    accent = new Color(res.color("accent"), true);
    textPrimary = new Color(res.color("text_primary"), true);
    textSecondary = new Color(res.color("text_secondary"), true);
  }

  private static int px(float dp) {
    return Math.round(dp * DENSITY);
  }

  /**
   * Renders one state of the screen.
   *
   * @param frame the frame shown (frame 1 while painting, a later frame for the result)
   * @param mask while painting, the painted mask (drawn as the translucent layer); for the result,
   *     the frame's propagated mask (drawn as the overlay)
   * @param status the status line
   * @param frameLabel the player's "t/T" text (result only)
   */
  static BufferedImage render(AppResources res, State state, RgbImage frame, IndexMask mask, String status,
      String frameLabel) {
    MainScreenMockup m = new MainScreenMockup(res, state);
    m.draw(frame, mask, status, frameLabel);
    m.g.dispose();
    return m.image;
  }

  private void draw(RgbImage frame, IndexMask mask, String status, String frameLabel) {
    boolean paint = state == State.PAINT;
    fill(new Color(res.color("window_background")), 0, 0, SCREEN_W_DP, SCREEN_H_DP);
    fill(new Color(res.color("primary_dark")), 0, 0, SCREEN_W_DP, STATUS_BAR_DP);
    fill(new Color(res.color("primary")), 0, STATUS_BAR_DP, SCREEN_W_DP, ACTION_BAR_DP);
    text(res.value("string", "app_name"), 16, STATUS_BAR_DP + ACTION_BAR_DP / 2, 20, Color.WHITE, Font.BOLD);

    float pad = res.dp("screen_padding");
    float gap = res.dp("row_spacing");
    float x0 = pad;
    float x1 = SCREEN_W_DP - pad;
    float y = STATUS_BAR_DP + ACTION_BAR_DP + pad;

    // Source row.
    float bx = x0;
    for (String key : new String[] {"open_video", "record_video", "demo_clip"}) {
      bx = button(res.value("string", key), bx, y, true);
    }
    y += BUTTON_ROW_DP + gap;

    // Status line (may wrap to two lines like the TextView).
    float statusSize = res.dp("text_status");
    y = wrappedText(status, x0, y, x1 - x0, statusSize, textPrimary) + gap;

    // Rows below the frame, measured from the bottom.
    float bottom = SCREEN_H_DP - pad;
    float playerY = bottom - BUTTON_ROW_DP;
    float runY = playerY - gap - BUTTON_ROW_DP;
    float settingsY = runY - gap - BUTTON_ROW_DP;
    float brushY = settingsY - gap - BUTTON_ROW_DP;
    float objectsY = brushY - gap - BUTTON_ROW_DP;
    float frameBottom = objectsY - gap;

    // The frame view: fit-centre image on the dark background.
    fill(new Color(res.color("frame_background")), x0, y, x1 - x0, frameBottom - y);
    drawFrame(frame, mask, x0, y, x1 - x0, frameBottom - y);

    // Objects row: one swatch per object (scrolling), then + Object at the end.
    float size = res.dp("swatch_size");
    float sx = x0;
    for (int k = 1; k <= 2; k++) {
      float sy = objectsY + (BUTTON_ROW_DP - size) / 2;
      Ellipse2D disc = new Ellipse2D.Float(px(sx), px(sy), px(size), px(size));
      g.setColor(new Color(Palette.DAVIS.rgb(k)));
      g.fill(disc);
      boolean selected = k == 1;
      g.setStroke(new BasicStroke(px(res.dp(selected ? "swatch_stroke_selected" : "swatch_stroke"))));
      g.setColor(new Color(res.color(selected ? "swatch_selected" : "swatch_unselected"), true));
      g.draw(disc);
      sx += size + res.dp("swatch_margin");
    }
    String addObject = res.value("string", "add_object");
    button(addObject, x1 - measure(addObject.toUpperCase(Locale.ROOT)) - 16, objectsY, paint);

    // Brush row: Eraser toggle, brush size, Undo, Clear.
    float ex = toggle(res.value("string", "eraser"), x0, brushY, paint);
    String undo = res.value("string", "undo");
    String clear = res.value("string", "clear");
    float clearX = x1 - measure(clear.toUpperCase(Locale.ROOT)) - 16;
    float undoX = clearX - measure(undo.toUpperCase(Locale.ROOT)) - 16;
    float brushFraction = (res.dp("brush_default") - res.dp("brush_min")) / (res.dp("brush_max") - res.dp("brush_min"));
    seekBar(ex + 12, brushY + BUTTON_ROW_DP / 2, undoX - 8, brushFraction, paint);
    button(undo, undoX, brushY, paint);
    button(clear, clearX, brushY, paint);

    // Settings: three spinners, weights 1, 1, 1.4.
    float w = (x1 - x0) / 3.4f;
    spinner(res.array("sampling_choices").get(1), x0, settingsY, w, paint);
    spinner(res.array("provider_choices").get(0), x0 + w, settingsY, w, paint);
    spinner(res.array("resolution_choices").get(0), x0 + 2 * w, settingsY, 1.4f * w, paint);

    // Run row.
    float rx = button(res.value("string", paint ? "propagate" : "edit_mask"), x0, runY, true);
    if (!paint) {
      progressBar(rx + 8, runY + BUTTON_ROW_DP / 2, x1, 1f); // invisible until a run starts; full after it
    }

    // Player row.
    float px0 = button(res.value("string", "play"), x0, playerY, !paint);
    float exportW = measure(res.value("string", "export").toUpperCase(Locale.ROOT)) + 16;
    float labelW = frameLabel == null ? 0 : measure(frameLabel) + 8;
    seekBar(px0 + 8, playerY + BUTTON_ROW_DP / 2, x1 - exportW - labelW - 8, paint ? 0 : 1f, !paint);
    if (frameLabel != null) {
      text(frameLabel, x1 - exportW - labelW, playerY + BUTTON_ROW_DP / 2, 14, textSecondary, Font.PLAIN);
    }
    button(res.value("string", "export"), x1 - exportW, playerY, !paint);
  }

  private void drawFrame(RgbImage frame, IndexMask mask, float x, float y, float w, float h) {
    FitCenter fit = new FitCenter(frame.width(), frame.height(), px(w), px(h));
    int[] argb;
    if (state == State.PAINT) {
      // Frame, then the painted layer at the view's opacity, composited here as Canvas would.
      int[] base = ArgbImages.toArgb(frame);
      int[] layer = ArgbImages.maskLayer(mask, 0x90);
      argb = new int[base.length];
      for (int i = 0; i < base.length; i++) {
        argb[i] = over(layer[i], base[i]);
      }
    } else {
      argb = ArgbImages.overlay(frame, mask, 0.5f);
    }
    BufferedImage img = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, frame.width(), frame.height(), argb, 0, frame.width());
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(img, px(x) + Math.round(fit.offsetX()), px(y) + Math.round(fit.offsetY()),
        Math.round(frame.width() * fit.scale()), Math.round(frame.height() * fit.scale()), null);
  }

  private static int over(int top, int bottom) {
    int a = top >>> 24;
    int r = (((top >> 16) & 0xFF) * a + ((bottom >> 16) & 0xFF) * (255 - a)) / 255;
    int gg = (((top >> 8) & 0xFF) * a + ((bottom >> 8) & 0xFF) * (255 - a)) / 255;
    int b = ((top & 0xFF) * a + (bottom & 0xFF) * (255 - a)) / 255;
    return 0xFF000000 | r << 16 | gg << 8 | b;
  }

  private float button(String label, float x, float y, boolean enabled) {
    String caps = label.toUpperCase(Locale.ROOT); // Material buttons show their text in capitals
    float w = measure(caps) + 16;
    text(caps, x + 8, y + BUTTON_ROW_DP / 2, 14, enabled ? accent : disabled, Font.BOLD);
    return x + w;
  }

  private float toggle(String label, float x, float y, boolean enabled) {
    String caps = label.toUpperCase(Locale.ROOT);
    float w = measure(caps) + 16;
    g.setColor(new Color(0xFFE0E0E0));
    g.fill(new RoundRectangle2D.Float(px(x + 2), px(y + 6), px(w - 4), px(BUTTON_ROW_DP - 12), px(4), px(4)));
    fill(enabled ? new Color(0xFF9E9E9E) : new Color(0xFFCCCCCC), x + 8, y + BUTTON_ROW_DP - 14, w - 16, 2);
    text(caps, x + 8, y + BUTTON_ROW_DP / 2 - 2, 14, enabled ? textPrimary : disabled, Font.BOLD);
    return x + w;
  }

  private void spinner(String label, float x, float y, float w, boolean enabled) {
    Color c = enabled ? textPrimary : disabled;
    text(label, x + 4, y + BUTTON_ROW_DP / 2, 14, c, Font.PLAIN);
    Path2D arrow = new Path2D.Float();
    float ax = x + w - 14;
    float ay = y + BUTTON_ROW_DP / 2 + 2;
    arrow.moveTo(px(ax), px(ay - 3));
    arrow.lineTo(px(ax + 8), px(ay - 3));
    arrow.lineTo(px(ax + 4), px(ay + 2));
    arrow.closePath();
    g.setColor(enabled ? textSecondary : disabled);
    g.fill(arrow);
    fill(enabled ? textSecondary : disabled, x + 4, y + BUTTON_ROW_DP - 10, w - 10, 1);
  }

  private void seekBar(float x, float cy, float xEnd, float fraction, boolean enabled) {
    float thumbX = x + (xEnd - x) * fraction;
    fill(enabled ? new Color(0xFFBDBDBD) : new Color(0xFFDDDDDD), x, cy - 1, xEnd - x, 2);
    fill(enabled ? accent : disabled, x, cy - 1, thumbX - x, 2);
    g.setColor(enabled ? accent : new Color(0xFFBDBDBD));
    g.fill(new Ellipse2D.Float(px(thumbX - 6), px(cy - 6), px(12), px(12)));
  }

  private void progressBar(float x, float cy, float xEnd, float fraction) {
    fill(new Color(accent.getRed(), accent.getGreen(), accent.getBlue(), 0x4D), x, cy - 2, xEnd - x, 4);
    fill(accent, x, cy - 2, (xEnd - x) * fraction, 4);
  }

  private void fill(Color c, float x, float y, float w, float h) {
    g.setColor(c);
    g.fillRect(px(x), px(y), px(w), px(h));
  }

  private float measure(String s) {
    return g.getFontMetrics(font(14, Font.BOLD)).stringWidth(s) / DENSITY;
  }

  private static Font font(float sp, int style) {
    return new Font(Font.SANS_SERIF, style, Math.round(sp * DENSITY));
  }

  /** Draws {@code s} left-aligned, vertically centred on {@code cy}. */
  private void text(String s, float x, float cy, float sp, Color c, int style) {
    Font f = font(sp, style);
    FontMetrics fm = g.getFontMetrics(f);
    g.setFont(f);
    g.setColor(c);
    g.drawString(s, px(x), px(cy) + (fm.getAscent() - fm.getDescent()) / 2);
  }

  /** Draws {@code s} wrapped at word boundaries within {@code width}; returns the y below it. */
  private float wrappedText(String s, float x, float y, float width, float sp, Color c) {
    Font f = font(sp, Font.PLAIN);
    FontMetrics fm = g.getFontMetrics(f);
    float line = fm.getHeight() / DENSITY;
    StringBuilder current = new StringBuilder();
    for (String word : s.split(" ")) {
      String next = current.length() == 0 ? word : current + " " + word;
      if (fm.stringWidth(next) / DENSITY > width && current.length() > 0) {
        text(current.toString(), x, y + line / 2, sp, c, Font.PLAIN);
        y += line;
        current = new StringBuilder(word);
      } else {
        current = new StringBuilder(next);
      }
    }
    text(current.toString(), x, y + line / 2, sp, c, Font.PLAIN);
    return y + line;
  }
}
