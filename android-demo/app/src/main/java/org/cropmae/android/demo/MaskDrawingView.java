package org.cropmae.android.demo;

import android.content.Context;
import android.graphics.Bitmap;
import android.graphics.Canvas;
import android.graphics.Color;
import android.graphics.Paint;
import android.util.AttributeSet;
import android.view.MotionEvent;
import android.view.View;
import org.cropmae.android.demo.logic.ArgbImages;
import org.cropmae.android.demo.logic.FitCenter;
import org.cropmae.android.demo.logic.MaskSketch;
import org.cropmae.android.demo.logic.PixelRect;
import org.cropmae.runtime.mask.Palette;

/**
 * Shows a frame fitted and centred, and, when painting is on, the {@link MaskSketch} over it as a
 * translucent layer that the finger paints on (brush or eraser, radius chosen in screen pixels).
 * The player reuses it with painting off and the overlay frames as the image.
 *
 * <p>The geometry (where the image sits, touch to image pixel) is {@link FitCenter}; the layer's
 * pixels come from {@link ArgbImages#paintLayer}, updated only where a stroke painted.
 */
public final class MaskDrawingView extends View {
  /** Opacity of painted objects over the frame, 0..255. */
  static final int LAYER_ALPHA = 0x90;

  /** Told when a stroke ends (to refresh the undo button, the object list...). */
  public interface Listener {
    void onStrokeFinished(MaskSketch sketch);
  }

  private final Paint imagePaint = new Paint(Paint.FILTER_BITMAP_FLAG);
  private final Paint layerPaint = new Paint(); // no filtering: label edges stay crisp
  private final Paint cursorPaint = new Paint(Paint.ANTI_ALIAS_FLAG);

  private Bitmap image;
  private MaskSketch sketch;
  private Bitmap layer;
  private int[] layerPixels;
  private FitCenter fit;
  private boolean painting;
  private int label = 1;
  private boolean eraser;
  private float brushRadiusPx = 40;
  private float cursorX = Float.NaN;
  private float cursorY;
  private Listener listener;

  public MaskDrawingView(Context context) {
    this(context, null);
  }

  public MaskDrawingView(Context context, AttributeSet attrs) {
    super(context, attrs);
    cursorPaint.setStyle(Paint.Style.STROKE);
    cursorPaint.setColor(Color.WHITE);
    cursorPaint.setStrokeWidth(2 * getResources().getDisplayMetrics().density);
  }

  /** Shows {@code frame} (not copied; the caller keeps it unchanged while shown). */
  public void setImage(Bitmap frame) {
    image = frame;
    updateFit();
    invalidate();
  }

  /**
   * Paints on {@code sketch} (the size of the image) from now on, or stops painting with {@code null}.
   */
  public void setSketch(MaskSketch sketch) {
    this.sketch = sketch;
    if (sketch == null) {
      layer = null;
      layerPixels = null;
    } else {
      if (layer == null || layer.getWidth() != sketch.width() || layer.getHeight() != sketch.height()) {
        layer = Bitmap.createBitmap(sketch.width(), sketch.height(), Bitmap.Config.ARGB_8888);
        layerPixels = new int[sketch.width() * sketch.height()];
      }
      refreshLayer();
    }
    invalidate();
  }

  /** Whether touches paint (false while propagating and while playing the result). */
  public void setPainting(boolean painting) {
    this.painting = painting;
    if (!painting) {
      cursorX = Float.NaN;
    }
    invalidate();
  }

  /** Whether the painted layer is drawn over the image. */
  public void setLayerVisible(boolean visible) {
    layerPaint.setAlpha(visible ? 255 : 0);
    invalidate();
  }

  /** The object (DAVIS palette index, 1..255) the brush paints. */
  public void setLabel(int label) {
    this.label = label;
  }

  /** Whether the brush erases (paints background) instead. */
  public void setEraser(boolean eraser) {
    this.eraser = eraser;
  }

  /** Brush radius on screen, in pixels. */
  public void setBrushRadius(float px) {
    brushRadiusPx = px;
  }

  public void setListener(Listener listener) {
    this.listener = listener;
  }

  /** Redraws the whole layer from the sketch, after an undo or a clear. */
  public void refreshLayer() {
    if (sketch != null) {
      repaint(PixelRect.all(sketch.width(), sketch.height()));
    }
  }

  @Override
  protected void onSizeChanged(int w, int h, int oldw, int oldh) {
    super.onSizeChanged(w, h, oldw, oldh);
    updateFit();
  }

  private void updateFit() {
    fit = image != null && getWidth() > 0 && getHeight() > 0
        ? new FitCenter(image.getWidth(), image.getHeight(), getWidth(), getHeight()) : null;
  }

  @Override
  protected void onDraw(Canvas canvas) {
    super.onDraw(canvas);
    if (image == null || fit == null) {
      return;
    }
    int save = canvas.save();
    canvas.translate(fit.offsetX(), fit.offsetY());
    canvas.scale(fit.scale(), fit.scale());
    canvas.drawBitmap(image, 0, 0, imagePaint);
    if (layer != null) {
      canvas.drawBitmap(layer, 0, 0, layerPaint);
    }
    canvas.restoreToCount(save);
    if (painting && !Float.isNaN(cursorX)) {
      canvas.drawCircle(cursorX, cursorY, brushRadiusPx, cursorPaint);
    }
  }

  @Override
  public boolean onTouchEvent(MotionEvent event) {
    if (!painting || sketch == null || fit == null) {
      return super.onTouchEvent(event);
    }
    switch (event.getActionMasked()) {
      case MotionEvent.ACTION_DOWN -> {
        // Keep scrolling parents from stealing the drag.
        getParent().requestDisallowInterceptTouchEvent(true);
        float radius = fit.toImageLength(brushRadiusPx);
        repaint(sketch.begin(eraser ? 0 : label, radius, fit.toImageX(event.getX()), fit.toImageY(event.getY())));
        moveCursor(event.getX(), event.getY());
        return true;
      }
      case MotionEvent.ACTION_MOVE -> {
        if (!sketch.drawing()) {
          return false;
        }
        // Fast swipes deliver several points per event: use them all so curves stay smooth.
        for (int i = 0; i < event.getHistorySize(); i++) {
          repaint(sketch.lineTo(fit.toImageX(event.getHistoricalX(i)), fit.toImageY(event.getHistoricalY(i))));
        }
        repaint(sketch.lineTo(fit.toImageX(event.getX()), fit.toImageY(event.getY())));
        moveCursor(event.getX(), event.getY());
        return true;
      }
      case MotionEvent.ACTION_UP, MotionEvent.ACTION_CANCEL -> {
        if (sketch.drawing()) {
          sketch.end();
          if (event.getActionMasked() == MotionEvent.ACTION_UP) {
            performClick();
          }
          if (listener != null) {
            listener.onStrokeFinished(sketch);
          }
        }
        moveCursor(Float.NaN, 0);
        return true;
      }
      default -> {
        return super.onTouchEvent(event);
      }
    }
  }

  @Override
  public boolean performClick() {
    // A stroke is the view's click, for accessibility services.
    return super.performClick();
  }

  private void moveCursor(float x, float y) {
    cursorX = x;
    cursorY = y;
    invalidate();
  }

  private void repaint(PixelRect dirty) {
    if (dirty == null || layer == null) {
      return;
    }
    int w = sketch.width();
    ArgbImages.paintLayer(sketch.labels(), w, sketch.height(), Palette.DAVIS, LAYER_ALPHA, layerPixels, dirty);
    layer.setPixels(layerPixels, dirty.top() * w + dirty.left(), w, dirty.left(), dirty.top(), dirty.width(), dirty.height());
    invalidate();
  }
}
