package org.cropmae.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.cropmae.trainer.data.ViewConfig;
import org.cropmae.trainer.model.CropMaeConfig;
import org.junit.jupiter.api.Test;

/** The official schedule and the recipe's derived numbers. */
class LearningRateScheduleTest {
  @Test
  void warmupThenHalfCosineAsTheOfficialFormula() {
    // The paper's run: 400 epochs, 5% warm-up = 20 epochs, peak 8e-4 (blr 1e-4, 2048 images per update), min 0.
    LearningRateSchedule s = LearningRateSchedule.of(8e-4, 0.0, 0.05, 400);
    assertEquals(20, s.warmupEpochs());
    assertEquals(0.0, s.lr(0), 0);
    assertEquals(8e-4 * 10.5 / 20, s.lr(10.5), 1e-18);
    assertEquals(8e-4, s.lr(20), 1e-18);
    assertEquals(8e-4 * 0.5 * (1 + Math.cos(Math.PI * 190 / 380)), s.lr(210), 1e-18);
    assertEquals(0.0, s.lr(400), 1e-18);
    // min_lr_prop lifts the floor.
    LearningRateSchedule floor = LearningRateSchedule.of(1e-3, 0.1, 0.05, 400);
    assertEquals(1e-4, floor.minLr(), 1e-18);
    assertEquals(1e-4, floor.lr(400), 1e-18);
    // int(0.05 * 2) = 0: no warm-up for short runs, as the official code.
    assertEquals(1e-3, LearningRateSchedule.of(1e-3, 0, 0.05, 2).lr(0), 0);
  }

  @Test
  void recipeDefaultsAndDerivedLearningRate() {
    TrainingConfig c = TrainingConfig.builder(Path.of("d"), Path.of("o")).build();
    assertEquals(CropMaeConfig.vits16(), c.model());
    assertEquals(ViewConfig.paperImageNet(), c.views());
    assertEquals(400, c.epochs());
    assertEquals(128, c.batchSize());
    assertEquals(1e-4, c.blr());
    assertEquals(1e-4 * 128 / 256, c.peakLr(), 0);
    assertEquals(1e-4 * 512 / 256, c.toBuilder().accumIter(4).build().peakLr(), 0);
    assertEquals(3e-3, c.toBuilder().lr(3e-3).build().peakLr(), 0);
    assertEquals(0.9, c.beta1());
    assertEquals(0.95, c.beta2());
    assertEquals(0.05, c.weightDecay());
    assertEquals(TrainingConfig.LrTiming.OFFICIAL, c.lrTiming());
  }

  @Test
  void invalidSettingsNameTheSetting() {
    TrainingConfig.Builder b = TrainingConfig.builder(Path.of("d"), Path.of("o"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.epochs(0).build());
    assertTrue(e.getMessage().startsWith("epochs"), e.getMessage());
    TrainingConfig.Builder b2 = TrainingConfig.builder(Path.of("d"), Path.of("o"));
    e = assertThrows(IllegalArgumentException.class, () -> b2.views(ViewConfig.builder().inputSize(64).build()).build());
    assertTrue(e.getMessage().startsWith("views: input size 64"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.of(1e-3, 0, 1.5, 10));
    assertTrue(e.getMessage().startsWith("warmupEpochsProp"), e.getMessage());
  }
}
