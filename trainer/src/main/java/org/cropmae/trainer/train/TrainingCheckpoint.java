package org.cropmae.trainer.train;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cropmae.trainer.checkpoint.TorchCheckpoint;
import org.cropmae.trainer.checkpoint.TorchCheckpointWriter;
import org.cropmae.trainer.checkpoint.TorchTensor;
import org.cropmae.trainer.data.ViewConfig;
import org.cropmae.trainer.model.CropMaeConfig;
import org.cropmae.trainer.model.CropMaeModel;

/**
 * Training checkpoints: PyTorch zip files ({@link TorchCheckpointWriter}) holding what the official
 * trainer saves, {@code {'model': state_dict, 'optimizer': AdamW state_dict, 'epoch': int, 'args':
 * dict}} with the official key and argument names, plus a {@code 'cropmae'} dict with what this
 * trainer needs to resume exactly (the full architecture, the iteration count, the loss history).
 * The official code can load them ({@code torch.load}, then {@code model.load_state_dict(ckpt['model'])},
 * {@code optimizer.load_state_dict(ckpt['optimizer'])}); no AMP {@code scaler} entry is written
 * since training here is float32.
 *
 * <p>Randomness needs no saved state: data order, crops, masking noise and dropout are pure
 * functions of (seed, epoch, iteration).
 */
final class TrainingCheckpoint {
  static final int FORMAT = 1;
  private static final Pattern NAME = Pattern.compile("checkpoint-(\\d+)\\.pth");

  private TrainingCheckpoint() {}

  /** Loss history for the plot: x in fractional epochs. */
  record History(List<Double> logX, List<Double> logLoss, List<Double> epochX, List<Double> epochLoss) {
    static History empty() {
      return new History(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }
  }

  /** What a checkpoint restores. */
  record Loaded(TorchCheckpoint checkpoint, CropMaeConfig model, int epoch, long globalStep, History history,
      Map<?, ?> args) {}

  /** {@code checkpoint-<epoch>.pth}, the official name. */
  static Path file(Path dir, int epoch) {
    return dir.resolve("checkpoint-" + epoch + ".pth");
  }

  static void save(Path file, CropMaeModel model, AdamW optimizer, TrainingConfig config, int epoch, long globalStep,
      History history) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("model", new TorchCheckpointWriter.OrderedDict(model.stateDict()));
    root.put("optimizer", optimizer.stateDict());
    root.put("epoch", epoch);
    root.put("args", args(config));
    Map<String, Object> ours = new LinkedHashMap<>();
    CropMaeConfig m = config.model();
    ours.put("format", FORMAT);
    ours.put("image_size", m.imageSize());
    ours.put("embed_dim", m.embedDim());
    ours.put("depth", m.depth());
    ours.put("num_heads", m.numHeads());
    ours.put("mlp_ratio", m.mlpRatio());
    ours.put("decoder_ffn_dim", m.decoderFfnDim());
    ours.put("decoder_dropout", m.decoderDropout());
    ours.put("layer_norm_eps", m.layerNormEps());
    ours.put("global_step", globalStep);
    ours.put("lr_timing", config.lrTiming().name());
    ours.put("shuffle", config.shuffle());
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("log_x", history.logX());
    h.put("log_loss", history.logLoss());
    h.put("epoch_x", history.epochX());
    h.put("epoch_loss", history.epochLoss());
    ours.put("history", h);
    root.put("cropmae", ours);
    TorchCheckpointWriter.write(file, root);
  }

  /** The official trainer's argument names and meanings, so that its tools read our checkpoints. */
  static Map<String, Object> args(TrainingConfig c) {
    CropMaeConfig m = c.model();
    ViewConfig v = c.views();
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("architecture", architectureName(m));
    a.put("input_size", m.imageSize());
    a.put("patch_size", m.patchSize());
    a.put("masking_ratio", m.maskRatio());
    a.put("norm_pix_loss", m.normPixLoss());
    a.put("decoder_embed_dim", m.decoderEmbedDim());
    a.put("decoder_depth", m.decoderDepth());
    a.put("decoder_num_heads", m.decoderNumHeads());
    a.put("batch_size", c.batchSize());
    a.put("accum_iter", c.accumIter());
    a.put("effective_batch_size", c.effectiveBatchSize());
    a.put("blr", c.blr());
    a.put("lr", c.peakLr());
    a.put("min_lr_prop", c.minLrProp());
    a.put("min_lr", c.schedule().minLr());
    a.put("warmup_epochs_prop", c.warmupEpochsProp());
    a.put("warmup_epochs", c.schedule().warmupEpochs());
    a.put("weight_decay", c.weightDecay());
    a.put("betas", c.beta1() + "," + c.beta2());
    a.put("epochs", c.epochs());
    a.put("seed", c.seed());
    a.put("crop_strategy", v.strategy().referenceName());
    a.put("random_area_min_global", v.globalCrop().scaleMin());
    a.put("random_area_max_global", v.globalCrop().scaleMax());
    a.put("random_area_min_local", v.localCrop().scaleMin());
    a.put("random_area_max_local", v.localCrop().scaleMax());
    a.put("random_aspect_ratio_min_global", v.globalCrop().ratioMin());
    a.put("random_aspect_ratio_max_global", v.globalCrop().ratioMax());
    a.put("random_aspect_ratio_min_local", v.localCrop().ratioMin());
    a.put("random_aspect_ratio_max_local", v.localCrop().ratioMax());
    a.put("horizontal_flip_p", v.horizontalFlipP());
    a.put("num_workers", c.workers());
    a.put("data_path", c.dataDir().toString());
    a.put("output_dir", c.outputDir().toString());
    return a;
  }

  /** The official {@code --architecture} name when the encoder is one of the official sizes. */
  static String architectureName(CropMaeConfig m) {
    if (m.equals(CropMaeConfig.vits16().toBuilder().maskRatio(m.maskRatio()).normPixLoss(m.normPixLoss()).build())) {
      return "vits";
    }
    if (m.equals(CropMaeConfig.vitb16().toBuilder().maskRatio(m.maskRatio()).normPixLoss(m.normPixLoss()).build())) {
      return "vitb";
    }
    if (m.equals(CropMaeConfig.vitl16().toBuilder().maskRatio(m.maskRatio()).normPixLoss(m.normPixLoss()).build())) {
      return "vitl";
    }
    return "custom";
  }

  /**
   * Reads a checkpoint of this trainer or of the official one.
   *
   * @throws IOException naming the file when it is unreadable or lacks the model, optimizer or epoch
   */
  static Loaded load(Path file) throws IOException {
    return load(TorchCheckpoint.read(file));
  }

  /** {@link #load(Path)} of a checkpoint already read. */
  static Loaded load(TorchCheckpoint ckpt) throws IOException {
    Path file = ckpt.file();
    for (String e : List.of("model", "optimizer", "epoch")) {
      if (!ckpt.hasEntry(e)) {
        throw new IOException(file + ": not a training checkpoint (no '" + e + "' entry; entries: " + ckpt.entryNames()
            + ")");
      }
    }
    if (!(ckpt.entry("epoch") instanceof Long epoch) || epoch < 0) {
      throw new IOException(file + ": 'epoch' is not a non-negative integer");
    }
    Map<?, ?> args = ckpt.hasEntry("args") && ckpt.entry("args") instanceof Map<?, ?> m ? m : Map.of();
    CropMaeConfig model;
    long globalStep = -1;
    History history = History.empty();
    try {
      if (ckpt.hasEntry("cropmae") && ckpt.entry("cropmae") instanceof Map<?, ?> ours) {
        model = CropMaeConfig.inferFromStateDict(ckpt.stateDictFloat32(), intArg(args, "decoder_num_heads"))
            .imageSize(intArg(ours, "image_size"))
            .numHeads(intArg(ours, "num_heads"))
            .mlpRatio(number(ours, "mlp_ratio"))
            .decoderDropout(number(ours, "decoder_dropout"))
            .layerNormEps(number(ours, "layer_norm_eps"))
            .maskRatio(number(args, "masking_ratio"))
            .normPixLoss(Boolean.TRUE.equals(args.get("norm_pix_loss")))
            .build();
        globalStep = (long) number(ours, "global_step");
        if (ours.get("history") instanceof Map<?, ?> h) {
          history = new History(doubles(h.get("log_x")), doubles(h.get("log_loss")), doubles(h.get("epoch_x")),
              doubles(h.get("epoch_loss")));
        }
      } else {
        model = CropMaeConfig.fromCheckpoint(ckpt, null);
      }
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
    return new Loaded(ckpt, model, (int) (long) epoch, globalStep, history, args);
  }

  /** Restores the optimizer state of a loaded checkpoint. */
  static void restoreOptimizer(Loaded loaded, AdamW optimizer) throws IOException {
    Object state = loaded.checkpoint().entry("optimizer");
    if (!(state instanceof Map<?, ?> m)) {
      throw new IOException(loaded.checkpoint().file() + ": 'optimizer' is not a dict");
    }
    try {
      optimizer.loadStateDict(m, o -> {
        if (!(o instanceof TorchTensor t)) {
          throw new IllegalArgumentException("optimizer state holds a " + (o == null ? "None" : o.getClass().getSimpleName())
              + " where a tensor belongs");
        }
        return t.toFloat32();
      });
    } catch (IllegalArgumentException e) {
      throw new IOException(loaded.checkpoint().file() + ": " + e.getMessage(), e);
    }
  }

  /** The checkpoint files in {@code dir}, oldest epoch first. */
  static List<Path> list(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "checkpoint-*.pth")) {
      for (Path p : s) {
        if (NAME.matcher(p.getFileName().toString()).matches()) {
          out.add(p);
        }
      }
    }
    out.sort((a, b) -> Long.compare(epochOf(a), epochOf(b)));
    return out;
  }

  static long epochOf(Path p) {
    Matcher m = NAME.matcher(p.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /** Deletes all but the {@code keep} newest checkpoints of {@code dir} (none when keep is 0). */
  static void prune(Path dir, int keep) throws IOException {
    if (keep <= 0) {
      return;
    }
    List<Path> all = list(dir);
    for (int i = 0; i < all.size() - keep; i++) {
      Files.deleteIfExists(all.get(i));
    }
  }

  /** A file, or for a folder its newest {@code checkpoint-N.pth}. */
  static Path resolve(Path fileOrDir) throws IOException {
    if (!Files.isDirectory(fileOrDir)) {
      if (!Files.exists(fileOrDir)) {
        throw new IOException(fileOrDir + ": no such checkpoint");
      }
      return fileOrDir;
    }
    List<Path> all = list(fileOrDir);
    if (all.isEmpty()) {
      throw new IOException(fileOrDir + ": no checkpoint-N.pth in this folder to resume from");
    }
    return all.get(all.size() - 1);
  }

  private static int intArg(Map<?, ?> m, String key) {
    return (int) number(m, key);
  }

  private static double number(Map<?, ?> m, String key) {
    if (!(m.get(key) instanceof Number n)) {
      throw new IllegalArgumentException("checkpoint entry '" + key + "' is missing or not a number");
    }
    return n.doubleValue();
  }

  private static List<Double> doubles(Object list) {
    List<Double> out = new ArrayList<>();
    if (list instanceof List<?> l) {
      for (Object o : l) {
        out.add(((Number) o).doubleValue());
      }
    }
    return out;
  }

}
