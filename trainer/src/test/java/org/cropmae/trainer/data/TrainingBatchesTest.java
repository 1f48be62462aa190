package org.cropmae.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingBatchesTest {
  private static final int S = 32;
  private static final ViewConfig VIEWS = ViewConfig.builder().inputSize(S).build();

  @TempDir Path dir;
  private ImageFolderDataset dataset;

  @BeforeEach
  void images() throws IOException {
    TestImages.writeJpegs(dir.resolve("good"), 10, 48, 36, 3);
    dataset = ImageFolderDataset.scan(dir);
  }

  private List<Batch> run(ImageFolderDataset ds, int workers, int prefetch, int epoch, boolean dropLast) {
    try (TrainingBatches tb = TrainingBatches.builder(ds, VIEWS).batchSize(4).workers(workers).prefetchBatches(prefetch)
        .seed(123).dropLast(dropLast).build();
        TrainingBatches.Epoch it = tb.epoch(epoch)) {
      List<Batch> out = new ArrayList<>();
      it.forEachRemaining(out::add);
      return out;
    }
  }

  private static void assertSameBatches(List<Batch> expected, List<Batch> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).index(), actual.get(i).index());
      assertArrayEquals(expected.get(i).shape(), actual.get(i).shape());
      assertArrayEquals(expected.get(i).imageIndices(), actual.get(i).imageIndices());
      assertArrayEquals(expected.get(i).pixels(), actual.get(i).pixels(), "batch " + i);
    }
  }

  @Test
  void shapesAndDropLast() {
    List<Batch> dropped = run(dataset, 2, 2, 0, true);
    assertEquals(2, dropped.size());
    assertArrayEquals(new int[] {4, 2, 3, S, S}, dropped.get(0).shape());
    assertEquals(4 * 2 * 3 * S * S, dropped.get(0).pixels().length);
    List<Batch> kept = run(dataset, 2, 2, 0, false);
    assertEquals(3, kept.size());
    assertArrayEquals(new int[] {2, 2, 3, S, S}, kept.get(2).shape());
    Set<Integer> seen = new HashSet<>();
    for (Batch b : kept) {
      for (int i : b.imageIndices()) {
        seen.add(i);
      }
    }
    assertEquals(10, seen.size(), "every image once per epoch");
    // The full batches are the same with and without drop-last.
    assertSameBatches(dropped, kept.subList(0, 2));
  }

  @Test
  void identicalForAnyWorkerCountAndPrefetch() {
    for (int epoch = 0; epoch < 2; epoch++) {
      List<Batch> serial = run(dataset, 0, 1, epoch, false);
      assertSameBatches(serial, run(dataset, 1, 1, epoch, false));
      assertSameBatches(serial, run(dataset, 3, 2, epoch, false));
      assertSameBatches(serial, run(dataset, 7, 5, epoch, false));
    }
  }

  @Test
  void epochsReshuffleAndSeedsMatter() {
    List<Batch> e0 = run(dataset, 2, 2, 0, false);
    List<Batch> e1 = run(dataset, 2, 2, 1, false);
    assertFalse(Arrays.equals(e0.get(0).imageIndices(), e1.get(0).imageIndices())
        && Arrays.equals(e0.get(1).imageIndices(), e1.get(1).imageIndices()));
    try (TrainingBatches other = TrainingBatches.builder(dataset, VIEWS).batchSize(4).workers(0).seed(124).build()) {
      assertFalse(Arrays.equals(e0.get(0).pixels(), other.batch(0, 0).pixels()));
    }
    try (TrainingBatches plain = TrainingBatches.builder(dataset, VIEWS).batchSize(4).workers(2).shuffle(false).build()) {
      assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, plain.order(3));
      TrainingBatches.Epoch it = plain.epoch(3);
      assertArrayEquals(new int[] {0, 1, 2, 3}, it.next().imageIndices());
      assertArrayEquals(new int[] {4, 5, 6, 7}, it.next().imageIndices());
      assertFalse(it.hasNext());
      it.close();
    }
  }

  @Test
  void randomAccessAndResumeGiveTheSameBatches() {
    List<Batch> all = run(dataset, 2, 2, 5, false);
    try (TrainingBatches tb = TrainingBatches.builder(dataset, VIEWS).batchSize(4).workers(2).seed(123).dropLast(false)
        .build()) {
      assertSameBatches(all.subList(2, 3), List.of(tb.batch(5, 2)));
      List<Batch> resumed = new ArrayList<>();
      try (TrainingBatches.Epoch it = tb.epoch(5, 1)) {
        it.forEachRemaining(resumed::add);
      }
      assertSameBatches(all.subList(1, 3), resumed);
    }
  }

  @Test
  void unreadableImagesAreSkippedDeterministically() throws IOException {
    TestImages.writeBroken(dir.resolve("bad"), "a");
    TestImages.writeBroken(dir.resolve("bad"), "b");
    ImageFolderDataset withBad = ImageFolderDataset.scan(dir);
    assertEquals(14, withBad.size());
    Set<Integer> bad = new HashSet<>();
    for (int i = 0; i < withBad.size(); i++) {
      if (withBad.file(i).getParent().getFileName().toString().equals("bad")) {
        bad.add(i);
      }
    }
    List<Batch> serial = run(withBad, 0, 1, 0, false);
    List<Batch> parallel = run(withBad, 3, 2, 0, false);
    assertSameBatches(serial, parallel);
    for (Batch b : serial) {
      for (int i : b.imageIndices()) {
        assertFalse(bad.contains(i), "batch used unreadable image " + i);
      }
    }
    try (TrainingBatches tb = TrainingBatches.builder(withBad, VIEWS).batchSize(4).workers(2).seed(123).dropLast(false)
        .build()) {
      try (TrainingBatches.Epoch it = tb.epoch(0)) {
        it.forEachRemaining(b -> { });
      }
      assertEquals(4, tb.unreadableFiles());
      assertTrue(tb.skippedReads() >= 4, "skipped " + tb.skippedReads());
    }
  }

  @Test
  void aBatchOfOnlyUnreadableImagesIsReplaced() throws IOException {
    // Unshuffled, the 4 broken files (sorted first: "bad" < "good") fill batch 0 entirely.
    TestImages.writeBroken(dir.resolve("bad"), "a");
    TestImages.writeBroken(dir.resolve("bad"), "b");
    ImageFolderDataset withBad = ImageFolderDataset.scan(dir);
    try (TrainingBatches tb = TrainingBatches.builder(withBad, VIEWS).batchSize(4).workers(2).shuffle(false).build()) {
      Batch first = tb.epoch(0).next();
      for (int i : first.imageIndices()) {
        assertTrue(i >= 4, "replacement " + i + " is a readable image");
      }
      assertEquals(4, tb.unreadableFiles());
      assertArrayEquals(first.pixels(), tb.batch(0, 0).pixels());
    }
  }

  @Test
  void anUnreadableDatasetFailsWithOneClearLine() throws IOException {
    Path badDir = dir.resolve("all-bad");
    TestImages.writeBroken(badDir, "a");
    ImageFolderDataset allBad = ImageFolderDataset.scan(badDir);
    try (TrainingBatches tb = TrainingBatches.builder(allBad, VIEWS).batchSize(2).workers(2).build()) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> tb.epoch(0).next());
      assertTrue(e.getMessage().startsWith("epoch 0 batch 0: " + badDir + ": " + TrainingBatches.MAX_ATTEMPTS
          + " unreadable images in a row (last: " + badDir), e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
    }
  }

  @Test
  void settingsAreValidated() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainingBatches.builder(dataset, VIEWS).batchSize(11).build());
    assertTrue(e.getMessage().startsWith("batchSize: "), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TrainingBatches.builder(dataset, VIEWS).batchSize(0).build());
    assertThrows(IllegalArgumentException.class, () -> TrainingBatches.builder(dataset, VIEWS).workers(-1).build());
    assertThrows(IllegalArgumentException.class, () -> TrainingBatches.builder(dataset, VIEWS).prefetchBatches(0).build());
    assertThrows(UnsupportedOperationException.class,
        () -> TrainingBatches.builder(dataset, VIEWS.toBuilder().colorJitter(true).build()).build());
    TrainingBatches tb = TrainingBatches.builder(dataset, VIEWS).batchSize(4).workers(1).build();
    assertEquals(2, tb.batchesPerEpoch());
    assertThrows(IllegalArgumentException.class, () -> tb.epoch(0, 3));
    tb.close();
    assertThrows(IllegalStateException.class, () -> tb.epoch(0));
    assertNotEquals(0, tb.order(0).length);
  }
}
