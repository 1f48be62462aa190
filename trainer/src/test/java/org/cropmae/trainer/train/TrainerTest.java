package org.cropmae.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.trainer.checkpoint.TorchCheckpoint;
import org.cropmae.trainer.data.DataPipelineBenchmark;
import org.cropmae.trainer.data.ViewConfig;
import org.cropmae.trainer.model.CropMaeConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end runs of {@link Trainer} on a tiny model and eight synthetic images (CPU). */
class TrainerTest {
  /** 32x32 views, 8x8 patches (16), 4 visible; encoder 32 wide, decoder 16 wide. */
  static final CropMaeConfig TINY = CropMaeConfig.builder()
      .imageSize(32).patchSize(8).embedDim(32).depth(1).numHeads(2)
      .decoderEmbedDim(16).decoderDepth(1).decoderNumHeads(2).decoderFfnDim(32)
      .maskRatio(0.75).build();

  @TempDir static Path dir;
  static Path data;

  @BeforeAll
  static void images() throws IOException {
    data = writeImages(dir.resolve("data"), 8);
  }

  static Path writeImages(Path folder, int count) throws IOException {
    Files.createDirectories(folder);
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < count; i++) {
      DataPipelineBenchmark.writeJpeg(DataPipelineBenchmark.syntheticImage(48, 40, rng),
          folder.resolve(String.format("img_%02d.jpg", i)), 0.9f);
    }
    return folder;
  }

  static TrainingConfig.Builder tiny(Path out) {
    return TrainingConfig.builder(data, out).model(TINY).views(ViewConfig.builder().inputSize(32).build())
        .epochs(4).batchSize(2).workers(2).saveEvery(2).reconEvery(2).logEvery(2).seed(7).lr(1e-3);
  }

  /** Collects the per-iteration losses. */
  static final class Losses implements TrainingListener {
    final List<Double> values = new ArrayList<>();
    final List<String> files = new ArrayList<>();

    @Override
    public void onStep(Step s) {
      values.add(s.loss());
    }

    @Override
    public void onFile(String kind, Path file) {
      files.add(kind + ":" + file.getFileName());
    }
  }

  private static final class Killed extends RuntimeException {
    Killed() {
      super("simulated kill");
    }
  }

  @Test
  void resumedRunRepeatsTheUninterruptedLossesExactly() throws IOException {
    Losses whole = new Losses();
    TrainingResult r = new Trainer(tiny(dir.resolve("whole")).exportOnnx(false).build()).run(whole);
    assertEquals(16, whole.values.size());
    assertEquals(3, r.lastEpoch());
    assertEquals(16, r.globalStep());

    // The same run killed right after its epoch-1 checkpoint, then resumed from its folder.
    Path split = dir.resolve("split");
    Losses first = new Losses();
    assertThrows(Killed.class, () -> new Trainer(tiny(split).exportOnnx(false).build()).run(new TrainingListener() {
      @Override
      public void onStep(Step s) {
        first.onStep(s);
      }

      @Override
      public void onFile(String kind, Path file) {
        if (kind.equals("checkpoint")) {
          throw new Killed();
        }
      }
    }));
    assertEquals(8, first.values.size());
    // A partial checkpoint a crash left mid-write is removed when the run resumes in its folder.
    Path partial = Files.write(split.resolve(".checkpoint-2.pth.1x2y3z.part"), new byte[100]);
    Losses second = new Losses();
    TrainingResult r2 = new Trainer(tiny(split).exportOnnx(false).resume(split).build()).run(second);
    assertFalse(Files.exists(partial), "leftover partial file removed on resume");
    assertEquals(2, r2.firstEpoch());
    assertEquals(16, r2.globalStep());
    List<Double> joined = new ArrayList<>(first.values);
    joined.addAll(second.values);
    assertEquals(whole.values, joined, "2+2 epochs must repeat the 4-epoch losses bit for bit");

    Map<String, NpyArray> a = TorchCheckpoint.read(dir.resolve("whole/checkpoint-3.pth")).stateDict();
    Map<String, NpyArray> b = TorchCheckpoint.read(split.resolve("checkpoint-3.pth")).stateDict();
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), k);
    }
    // The log of the resumed folder is one consistent history: 2 log lines + 1 epoch line per epoch.
    List<String> log = Files.readAllLines(split.resolve(TrainingLog.FILE));
    assertEquals(12, log.size(), String.join("\n", log));
    assertTrue(log.get(11).startsWith("{\"event\":\"epoch\",\"epoch\":3,"), log.get(11));
  }

  @Test
  void writesCheckpointsPlotsReconstructionsAndTheEncoder() throws IOException {
    Path out = dir.resolve("outputs");
    Losses l = new Losses();
    TrainingResult r = new Trainer(tiny(out).epochs(3).saveEvery(1).keepLast(2).build()).run(l);
    assertTrue(Files.exists(out.resolve("checkpoint-1.pth")) && Files.exists(out.resolve("checkpoint-2.pth")));
    assertTrue(Files.notExists(out.resolve("checkpoint-0.pth")), "keep-last 2 prunes the oldest");
    assertEquals(out.resolve("checkpoint-2.pth"), r.checkpoint());
    assertTrue(Files.size(out.resolve(Trainer.LOSS_PLOT)) > 1000);
    assertTrue(Files.size(out.resolve(Trainer.RECONSTRUCTIONS).resolve("epoch-0001.png")) > 100);
    assertTrue(Files.size(out.resolve(Trainer.ONNX)) > 1000);
    assertTrue(l.files.contains("onnx:encoder.onnx") && l.files.contains("loss-plot:loss.png"), l.files.toString());
    String first = Files.readAllLines(out.resolve(TrainingLog.FILE)).get(0);
    assertTrue(first.matches("\\{\"event\":\"log\",\"epoch\":0,\"step\":1,\"global_step\":2,\"loss\":[0-9.E-]+,"
        + "\"lr\":[0-9.E-]+,\"images_per_s\":[0-9.]+,\"seconds\":[0-9.]+}"), first);

    // The checkpoint is what the official trainer saves, readable by the safe reader.
    TorchCheckpoint ckpt = TorchCheckpoint.read(r.checkpoint());
    assertEquals(2L, ckpt.entry("epoch"));
    assertEquals(TINY, TrainingCheckpoint.load(r.checkpoint()).model());
    assertEquals(TINY.stateDictShapes().keySet(), ckpt.stateDict().keySet());
    Map<?, ?> opt = (Map<?, ?>) ckpt.entry("optimizer");
    List<?> groups = (List<?>) opt.get("param_groups");
    assertEquals(0.0, ((Map<?, ?>) groups.get(0)).get("weight_decay"));
    assertEquals(0.05, ((Map<?, ?>) groups.get(1)).get("weight_decay"));
    Map<?, ?> args = (Map<?, ?>) ckpt.entry("args");
    assertEquals(2L, args.get("decoder_num_heads"));
    assertEquals("GlobalToLocal", args.get("crop_strategy"));
    // CropMaeConfig's reader of official checkpoints understands it too (heads from args).
    assertEquals(TINY.decoderNumHeads(), CropMaeConfig.fromCheckpoint(ckpt, null).decoderNumHeads());
  }

  @Test
  void nanLossStopsTheRunAndKeepsTheLastCheckpoint() throws IOException {
    Path out = dir.resolve("nan");
    Trainer t = new Trainer(tiny(out).saveEvery(1).exportOnnx(false).build(),
        (b, views) -> b.epoch() == 1 && b.index() == 2 ? views.mul(Float.NaN) : views);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.run(new TrainingListener() {}));
    assertTrue(e.getMessage().startsWith("epoch 1 iteration 2: the loss is NaN"), e.getMessage());
    assertTrue(e.getMessage().contains("checkpoint-0.pth"), e.getMessage());
    assertEquals(0L, TorchCheckpoint.read(out.resolve("checkpoint-0.pth")).entry("epoch"));
    assertTrue(Files.notExists(out.resolve("checkpoint-1.pth")));
  }

  @Test
  void resumingAnOfficialSingleGroupOptimizerIsOneClearLine() throws Exception {
    Path official = Path.of(getClass().getResource("/reference/checkpoint.pth").toURI());
    TrainingCheckpoint.Loaded loaded = TrainingCheckpoint.load(official);
    assertEquals(399, loaded.epoch());
    try (org.cropmae.trainer.model.CropMaeModel m = org.cropmae.trainer.model.CropMaeModel.create(loaded.model(),
            ai.djl.Device.cpu());
        AdamW opt = new AdamW(m.parameters(), 1e-4, 0.05, 0.9, 0.95, 1e-8)) {
      IOException e = assertThrows(IOException.class, () -> TrainingCheckpoint.restoreOptimizer(loaded, opt));
      assertTrue(e.getMessage().contains("parameter groups of sizes [") && !e.getMessage().contains("\n"), e.getMessage());
    }
  }
}
