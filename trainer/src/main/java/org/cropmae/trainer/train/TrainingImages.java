package org.cropmae.trainer.train;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.cropmae.runtime.io.AtomicFiles;
import org.cropmae.trainer.export.OnnxEncoderExporter;
import org.cropmae.trainer.model.CropMaeConfig;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNGs a run writes: the loss curve and reconstruction samples. The reconstruction panel is
 * public so that {@code cropmae visualize reconstruction} draws exactly what training writes.
 */
public final class TrainingImages {
  private static final int PAD = 2;

  private TrainingImages() {}

  /** {@code loss.png}: the per-interval and per-epoch mean losses against fractional epochs. */
  static void lossPlot(Path file, TrainingCheckpoint.History h) throws IOException {
    XYChart chart = new XYChartBuilder().width(900).height(500).title("CropMAE training loss")
        .xAxisTitle("epoch").yAxisTitle("loss").build();
    chart.getStyler().setLegendVisible(true);
    if (!h.logX().isEmpty()) {
      chart.addSeries("log interval mean", h.logX(), h.logLoss()).setMarker(SeriesMarkers.NONE);
    }
    if (!h.epochX().isEmpty()) {
      chart.addSeries("epoch mean", h.epochX(), h.epochLoss()).setMarker(SeriesMarkers.CIRCLE);
    }
    if (h.logX().isEmpty() && h.epochX().isEmpty()) {
      return;
    }
    byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    AtomicFiles.write(file, png);
  }

  /**
   * A reconstruction sample: global view, masked local view (removed patches grey), the
   * reconstruction of every patch, and the local view itself, side by side.
   *
   * <p>With the per-patch normalised loss the prediction is in units of each target patch's own
   * standard deviation; it is mapped back with the target patch's mean and {@code sqrt(var + 1e-6)}
   * (unbiased variance, as the loss) before undoing the ImageNet normalisation. (The official
   * visualisations display the raw prediction as if it were an ImageNet-normalised image.)
   *
   * @param views {@code [2, 3, S, S]} of one sample, ImageNet-normalised
   * @param pred {@code [L, p*p*3]} predicted patches, (row, column, channel) order inside a patch
   * @param mask {@code [L]}, 1 where the patch was removed
   * @throws IOException when the file cannot be written
   */
  public static void reconstruction(Path file, CropMaeConfig c, float[] views, float[] pred, float[] mask) throws IOException {
    int s = c.imageSize();
    int p = c.patchSize();
    int g = c.gridSize();
    int plane = s * s;
    float[] local = new float[3 * plane];
    System.arraycopy(views, 3 * plane, local, 0, 3 * plane);
    float[] recon = new float[3 * plane];
    int n = c.patchDim();
    for (int py = 0; py < g; py++) {
      for (int px = 0; px < g; px++) {
        int patch = py * g + px;
        double mean = 0;
        double var = 0;
        if (c.normPixLoss()) {
          for (int k = 0; k < n; k++) {
            mean += targetValue(local, s, p, py, px, k);
          }
          mean /= n;
          for (int k = 0; k < n; k++) {
            double d = targetValue(local, s, p, py, px, k) - mean;
            var += d * d;
          }
          var /= n - 1;
        }
        double std = c.normPixLoss() ? Math.sqrt(var + 1e-6) : 1;
        for (int k = 0; k < n; k++) {
          int ch = k % 3;
          int col = (k / 3) % p;
          int row = k / (3 * p);
          recon[ch * plane + (py * p + row) * s + px * p + col] = (float) (pred[patch * n + k] * std + mean);
        }
      }
    }
    int scale = Math.max(1, (224 + s - 1) / s);
    int side = s * scale;
    BufferedImage img = new BufferedImage(4 * side + 5 * PAD, side + 2 * PAD, BufferedImage.TYPE_INT_RGB);
    Graphics2D gr = img.createGraphics();
    gr.setColor(Color.WHITE);
    gr.fillRect(0, 0, img.getWidth(), img.getHeight());
    gr.dispose();
    List<float[]> panels = List.of(java.util.Arrays.copyOfRange(views, 0, 3 * plane), local, recon, local);
    for (int i = 0; i < 4; i++) {
      int x0 = PAD + i * (side + PAD);
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          int sy = y / scale;
          int sx = x / scale;
          boolean hidden = i == 1 && mask[(sy / p) * g + sx / p] > 0.5f;
          int rgb = hidden ? 0x808080 : rgb(panels.get(i), plane, sy * s + sx);
          img.setRGB(x0 + x, PAD + y, rgb);
        }
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(img, "png", bytes);
    AtomicFiles.write(file, bytes.toByteArray());
  }

  private static double targetValue(float[] chw, int s, int p, int py, int px, int k) {
    int ch = k % 3;
    int col = (k / 3) % p;
    int row = k / (3 * p);
    return chw[ch * s * s + (py * p + row) * s + px * p + col];
  }

  private static int rgb(float[] chw, int plane, int at) {
    int out = 0;
    for (int ch = 0; ch < 3; ch++) {
      double v = (chw[ch * plane + at] * OnnxEncoderExporter.IMAGENET_STD[ch] + OnnxEncoderExporter.IMAGENET_MEAN[ch]) * 255;
      int b = (int) Math.max(0, Math.min(255, v));
      out = (out << 8) | b;
    }
    return out;
  }
}
