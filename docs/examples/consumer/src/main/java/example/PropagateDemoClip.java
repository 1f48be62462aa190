package example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cropmae.runtime.data.FrameFolders;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.io.desktop.ImageFiles;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.PalettePng;
import org.cropmae.runtime.onnx.EncoderOptions;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.cropmae.runtime.propagation.PropagationConfig;
import org.cropmae.runtime.video.MaskPropagator;

/**
 * Propagates the first true mask of a clip through its frames with cropmae-runtime alone and
 * reports each frame's region IoU against the true masks.
 *
 * <p>Arguments: encoder.onnx, frames folder, true masks folder (palette PNGs, frame 0 is the
 * input), output folder.
 */
public final class PropagateDemoClip {
  public static void main(String[] args) throws Exception {
    Path model = Path.of(args[0]);
    List<Path> frames = FrameFolders.listImages(Path.of(args[1]));
    List<Path> truth = FrameFolders.list(Path.of(args[2]), FrameFolders.IMAGES);
    Path out = Files.createDirectories(Path.of(args[3]));
    IndexMask first = PalettePng.read(truth.get(0));
    double iouSum = 0;
    try (OnnxEncoder encoder = OnnxEncoder.open(model, EncoderOptions.defaults());
        MaskPropagator video = MaskPropagator.builder(encoder, PropagationConfig.davis())
            .start(ImageFiles.readRgb(frames.get(0)), first)) {
      for (int t = 1; t < frames.size(); t++) {
        RgbImage frame = ImageFiles.readRgb(frames.get(t));
        IndexMask mask = video.next(frame);
        PalettePng.write(out.resolve(String.format("%05d.png", t)), mask);
        double iou = foregroundIou(mask, PalettePng.read(truth.get(t)));
        iouSum += iou;
        System.out.printf("frame %d: foreground IoU %.3f%n", t, iou);
      }
    }
    double mean = iouSum / (frames.size() - 1);
    System.out.printf("%d frames propagated, mean foreground IoU %.3f, masks in %s%n", frames.size() - 1, mean, out);
    if (!(mean > 0.3)) {
      throw new IllegalStateException("propagation looks broken: mean foreground IoU " + mean);
    }
  }

  /** IoU of "any object" between two masks. */
  private static double foregroundIou(IndexMask a, IndexMask b) {
    long inter = 0;
    long union = 0;
    for (int i = 0; i < a.indices().length; i++) {
      boolean x = a.indices()[i] != 0;
      boolean y = b.indices()[i] != 0;
      inter += x && y ? 1 : 0;
      union += x || y ? 1 : 0;
    }
    return union == 0 ? 1 : (double) inter / union;
  }
}
