package org.cropmae.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VipEvaluatorTest {
  private static void grey(Path file, int h, int w, int... values) throws Exception {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setPixels(0, 0, w, h, values);
    Files.createDirectories(file.getParent());
    assertTrue(ImageIO.write(img, "png", file.toFile()));
  }

  private static VipEvaluator evaluator() {
    return new VipEvaluator(IndexMaskReader.PNG, VipMiou.REFERENCE_CLASSES, 2);
  }

  @Test
  void pairsPredictionsWithLabelsAndScores(@TempDir Path dir) throws Exception {
    Path labels = dir.resolve("Category_ids");
    Path preds = dir.resolve("pred");
    // Same numbers as VipMiouTest, split over two videos:
    // videos1 frame: label [0, 0, 1], prediction [0, 1, 1];
    // videos2 frame: label [1, 2, 255], prediction [1, 0, 5].
    // -> pixel accuracy 3/5, mIoU 1/3, frequency-weighted IoU 0.4.
    grey(labels.resolve("videos1/000000000001.png"), 1, 3, 0, 0, 1);
    grey(preds.resolve("videos1/000000000001_mask.png"), 1, 3, 0, 1, 1);
    Files.write(preds.resolve("videos1/000000000001_blend.jpg"), new byte[] {1, 2, 3}); // ignored
    grey(labels.resolve("videos2/000000000040.png"), 1, 3, 1, 2, 255);
    grey(preds.resolve("videos2/000000000040_mask.png"), 1, 3, 1, 0, 5);
    Files.write(preds.resolve("notes.txt"), new byte[0]); // not a video folder: ignored

    List<VipEvaluator.Pair> pairs = VipEvaluator.pairs(labels, preds);
    assertEquals(2, pairs.size());
    assertEquals(labels.resolve("videos1/000000000001.png"), pairs.get(0).label());

    VipScores s = evaluator().evaluate(labels, preds);
    assertEquals(0.6, s.pixelAccuracy(), 1e-15);
    assertEquals(1.0 / 3, s.meanIoU(), 1e-15);
    assertEquals(0.4, s.frequencyWeightedIoU(), 1e-15);
  }

  @Test
  void missingLabelAndBadPredictionAreNamed(@TempDir Path dir) throws Exception {
    Path labels = dir.resolve("labels");
    Path preds = dir.resolve("pred");
    grey(preds.resolve("videos9/000000000002_mask.png"), 1, 1, 0);
    Files.createDirectories(labels);
    NoSuchFileException missing =
        assertThrows(NoSuchFileException.class, () -> evaluator().evaluate(labels, preds));
    assertTrue(
        missing.getMessage().startsWith(labels.resolve("videos9/000000000002.png").toString()),
        missing.getMessage());

    grey(labels.resolve("videos9/000000000002.png"), 1, 1, 0);
    Path bad = preds.resolve("videos9/000000000002_mask.png");
    grey(bad, 1, 1, 21);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> evaluator().evaluate(labels, preds));
    assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("class 21"), e.getMessage());
  }
}
