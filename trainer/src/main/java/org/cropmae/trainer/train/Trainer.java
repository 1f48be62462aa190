package org.cropmae.trainer.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.io.Sha256;
import org.cropmae.runtime.onnx.EncoderContract;
import org.cropmae.trainer.checkpoint.TorchCheckpoint;
import org.cropmae.trainer.data.Batch;
import org.cropmae.trainer.data.ImageFolderDataset;
import org.cropmae.trainer.data.Seeds;
import org.cropmae.trainer.data.TrainingBatches;
import org.cropmae.trainer.data.ViewSampler;
import org.cropmae.trainer.export.EncoderArchitecture;
import org.cropmae.trainer.export.OnnxEncoderExporter;
import org.cropmae.trainer.model.ComputeDevice;
import org.cropmae.trainer.model.CropMaeConfig;
import org.cropmae.trainer.model.CropMaeModel;
import org.cropmae.trainer.model.ForwardResult;

/**
 * CropMAE pre-training: the official {@code train_cropmae_in.py} loop on DJL's PyTorch engine.
 *
 * <p>Per iteration {@code i} of epoch {@code e} (with {@code n} iterations per epoch): the batch's
 * loss, divided by {@code accumIter}, is back-propagated; every {@code accumIter}-th iteration
 * ({@code (i + 1) % accumIter == 0}) AdamW steps, the gradients are zeroed and the learning rate
 * follows {@link LearningRateSchedule} at {@code e + i / n} (see {@link TrainingConfig.LrTiming}).
 * The decoder's dropout is on, as in the official {@code model.train()} mode (its visualisation
 * switches to eval mode and back after each log).
 *
 * <p>Differences from the official loop, all documented choices: float32 instead of CUDA AMP;
 * one process (effective batch = {@code batchSize * accumIter}); gradients of iterations left over
 * at the end of an epoch when {@code n} is not a multiple of {@code accumIter} are discarded
 * instead of carried into the next epoch's first update; logged losses are the batch losses, not
 * divided by {@code accumIter}.
 *
 * <p>Reproducibility: the initial weights come from the engine's generator seeded with the seed;
 * batches are a pure function of (seed, epoch, iteration) ({@link TrainingBatches}); the masking
 * noise of each iteration is drawn from a Java stream keyed by (seed, epoch, iteration) and the
 * engine's generator (dropout) is re-seeded from the same key before each forward pass. A run
 * resumed from a checkpoint therefore computes exactly the losses of an uninterrupted run on the
 * same device and thread count.
 *
 * <p>Outputs in {@link TrainingConfig#outputDir()}: {@code checkpoint-<epoch>.pth} (PyTorch
 * format, see {@link TrainingCheckpoint}), {@code train_log.jsonl}, {@code loss.png},
 * {@code reconstructions/epoch-<epoch>.png} and {@code encoder.onnx}.
 *
 * <p>A NaN or infinite loss stops the run with an {@link IllegalStateException} before the bad
 * batch touches the weights; checkpoints already written stay as they are.
 */
public final class Trainer {
  private static final System.Logger LOG = System.getLogger(Trainer.class.getName());
  /** Stream purposes of the trainer's random draws (see {@link Seeds}). */
  private static final long MASK_NOISE = 0x6e6f697365L;
  private static final long DROPOUT = 0x64726f70L;
  /** File names in the output folder. */
  public static final String LOSS_PLOT = "loss.png";
  public static final String RECONSTRUCTIONS = "reconstructions";
  public static final String ONNX = "encoder.onnx";

  private final TrainingConfig config;
  private final BiFunction<Batch, NDArray, NDArray> inputFilter;

  /** A trainer for {@code config}; nothing happens until {@link #run}. */
  public Trainer(TrainingConfig config) {
    this(config, (batch, views) -> views);
  }

  /**
   * For tests: {@code inputFilter} may replace each batch's normalised views on the device
   * ({@code [B, 2, 3, S, S]}) before the forward pass.
   */
  Trainer(TrainingConfig config, BiFunction<Batch, NDArray, NDArray> inputFilter) {
    this.config = Objects.requireNonNull(config, "config");
    this.inputFilter = inputFilter;
  }

  /**
   * Trains from scratch or from {@link TrainingConfig#resume()} to {@link TrainingConfig#epochs()}.
   *
   * @param listener receives progress; may be {@code new TrainingListener() {}}
   * @throws IOException when the data, a checkpoint or an output cannot be read or written
   * @throws IllegalArgumentException when the configuration does not fit the data or the checkpoint
   * @throws IllegalStateException when the loss becomes NaN or infinite
   */
  public TrainingResult run(TrainingListener listener) throws IOException {
    TrainingConfig c = config;
    Path out = c.outputDir();
    Files.createDirectories(out);
    removePartialFiles(out);
    TrainingCheckpoint.Loaded resumed = null;
    if (c.resume() != null) {
      resumed = TrainingCheckpoint.load(TrainingCheckpoint.resolve(c.resume()));
      if (!resumed.model().equals(c.model())) {
        throw new IllegalArgumentException(resumed.checkpoint().file() + ": the checkpoint's model " + resumed.model()
            + " differs from the configured " + c.model());
      }
      warnOnChangedSettings(resumed);
    }
    ImageFolderDataset dataset = c.maxFiles() > 0 ? ImageFolderDataset.scan(c.dataDir(), c.maxFiles())
        : ImageFolderDataset.scan(c.dataDir());
    if (c.decodeCacheMb() > 0) {
      dataset = dataset.withDecodeCache(c.decodeCacheMb() * (1L << 20));
    }
    Device device = ComputeDevice.resolve(c.device());
    Engine engine = Engine.getEngine(CropMaeModel.ENGINE);
    engine.setRandomSeed((int) c.seed());
    LearningRateSchedule schedule = c.schedule();
    long start = System.nanoTime();
    try (TrainingBatches batches = TrainingBatches.builder(dataset, c.views()).batchSize(c.batchSize())
            .workers(c.workers()).seed(c.seed()).shuffle(c.shuffle()).build();
        CropMaeModel model = CropMaeModel.create(c.model(), device);
        AdamW optimizer = new AdamW(model.parameters(), c.peakLr(), c.weightDecay(), c.beta1(), c.beta2(), c.eps());
        NDManager base = NDManager.newBaseManager(device, CropMaeModel.ENGINE);
        DeviceViews input = new DeviceViews(device, new ViewSampler(c.views()).normalisationTable())) {
      int steps = batches.batchesPerEpoch();
      int startEpoch = 0;
      long globalStep = 0;
      TrainingCheckpoint.History history = TrainingCheckpoint.History.empty();
      Path lastCheckpoint = null;
      if (resumed != null) {
        model.loadStateDict(resumed.checkpoint().stateDictFloat32());
        TrainingCheckpoint.restoreOptimizer(resumed, optimizer);
        startEpoch = resumed.epoch() + 1;
        globalStep = resumed.globalStep() >= 0 ? resumed.globalStep() : (long) startEpoch * steps;
        history = resumed.history();
        lastCheckpoint = resumed.checkpoint().file();
        if (startEpoch >= c.epochs()) {
          throw new IllegalArgumentException(lastCheckpoint + ": already trained through epoch " + resumed.epoch()
              + " of a " + c.epochs() + "-epoch run; raise the number of epochs to train further");
        }
      }
      long params = 0;
      for (String name : optimizer.parameterNames()) {
        params += model.parameters().get(name).size();
      }
      listener.onStart(new TrainingListener.Start(startEpoch, c.epochs(), steps, dataset.size(), c.peakLr(),
          device.toString(), params));
      int logEvery = c.logEvery() > 0 ? c.logEvery() : Math.max(1, steps / 2);
      int numPatches = c.model().numPatches();
      double lastEpochLoss = Double.NaN;
      try (TrainingLog log = new TrainingLog(out, resumed == null ? -1 : resumed.epoch())) {
        for (int epoch = startEpoch; epoch < c.epochs(); epoch++) {
          long epochStart = System.nanoTime();
          long intervalStart = epochStart;
          double epochLossSum = 0;
          double intervalLossSum = 0;
          int intervalSteps = 0;
          long epochImages = 0;
          long intervalImages = 0;
          boolean pendingGrads = false;
          boolean wantRecon = c.reconEvery() > 0 && (epoch + 1) % c.reconEvery() == 0;
          float[][] recon = null;
          optimizer.zeroGrad();
          listener.onEpochStart(epoch, steps);
          try (TrainingBatches.Epoch it = batches.epoch(epoch)) {
            for (int i = 0; it.hasNext(); i++) {
              Batch batch = it.next();
              int b = batch.size();
              if (c.lrTiming() == TrainingConfig.LrTiming.BEFORE_UPDATE && i % c.accumIter() == 0) {
                optimizer.setLr(schedule.lr((double) i / steps + epoch));
              }
              float[] noise = seedIteration(engine, c.seed(), epoch, i, b * numPatches);
              boolean capture = wantRecon && !it.hasNext();
              float[][][] captured = new float[1][][];
              int epochNow = epoch;
              int iteration = i;
              Path good = lastCheckpoint;
              double loss = forwardBackward(model, base, engine, step -> inputFilter.apply(batch, input.upload(step, batch)),
                  noise, c.accumIter(), loss1 -> {
                throw new IllegalStateException("epoch " + epochNow + " iteration " + iteration + ": the loss is " + loss1
                    + "; training stopped before this batch changed the weights ("
                    + (good == null ? "no checkpoint was written yet" : "last good checkpoint: " + good) + ")");
              }, (views, r) -> {
                if (capture) {
                  captured[0] = sample(views, r);
                }
              });
              if (captured[0] != null) {
                recon = captured[0];
              }
              pendingGrads = true;
              if ((i + 1) % c.accumIter() == 0) {
                optimizer.step();
                if (c.lrTiming() == TrainingConfig.LrTiming.OFFICIAL) {
                  optimizer.setLr(schedule.lr((double) i / steps + epoch));
                }
                optimizer.zeroGrad();
                pendingGrads = false;
              }
              globalStep++;
              epochLossSum += loss;
              intervalLossSum += loss;
              intervalSteps++;
              epochImages += b;
              intervalImages += b;
              long now = System.nanoTime();
              listener.onStep(new TrainingListener.Step(epoch, i, steps, loss, optimizer.lr(),
                  epochImages / seconds(epochStart, now)));
              if ((i + 1) % logEvery == 0) {
                TrainingListener.Log l = new TrainingListener.Log(epoch, i, globalStep, intervalLossSum / intervalSteps,
                    optimizer.lr(), intervalImages / seconds(intervalStart, now), seconds(start, now));
                log.log(l);
                history.logX().add(epoch + (i + 1) / (double) steps);
                history.logLoss().add(l.loss());
                listener.onLog(l);
                intervalLossSum = 0;
                intervalSteps = 0;
                intervalImages = 0;
                intervalStart = now;
              }
            }
          }
          if (pendingGrads) {
            LOG.log(System.Logger.Level.DEBUG, "epoch " + epoch + ": gradients of the last "
                + (steps % c.accumIter()) + " iterations discarded (not a full accumulation)");
          }
          long now = System.nanoTime();
          lastEpochLoss = epochLossSum / steps;
          TrainingListener.Epoch ev = new TrainingListener.Epoch(epoch, c.epochs(), lastEpochLoss, optimizer.lr(),
              epochImages / seconds(epochStart, now), seconds(epochStart, now), batches.unreadableFiles(),
              batches.skippedReads());
          log.epoch(ev, steps, globalStep, seconds(start, now));
          history.epochX().add(epoch + 1.0);
          history.epochLoss().add(lastEpochLoss);
          listener.onEpochEnd(ev);
          writePlot(out.resolve(LOSS_PLOT), history, listener);
          if (recon != null) {
            Path file = out.resolve(RECONSTRUCTIONS).resolve(String.format("epoch-%04d.png", epoch));
            TrainingImages.reconstruction(file, c.model(), recon[0], recon[1], recon[2]);
            listener.onFile("reconstruction", file);
          }
          if ((epoch + 1) % c.saveEvery() == 0 || epoch == c.epochs() - 1) {
            Path file = TrainingCheckpoint.file(out, epoch);
            TrainingCheckpoint.save(file, model, optimizer, c, epoch, globalStep, history);
            lastCheckpoint = file;
            listener.onFile("checkpoint", file);
            TrainingCheckpoint.prune(out, c.keepLast());
          }
        }
      }
      Path onnx = null;
      if (c.exportOnnx()) {
        onnx = out.resolve(ONNX);
        exportEncoder(model.stateDict(), c.model(), onnx, lastCheckpoint);
        listener.onFile("onnx", onnx);
      }
      return new TrainingResult(startEpoch, c.epochs() - 1, lastEpochLoss, globalStep, lastCheckpoint, onnx,
          seconds(start, System.nanoTime()), batches.unreadableFiles(), batches.skippedReads());
    }
  }

  /**
   * The model configuration stored in a checkpoint (or the newest {@code checkpoint-N.pth} of a
   * folder), e.g. to resume without restating the architecture.
   *
   * @throws IOException naming the file when it is missing or not a training checkpoint
   */
  public static CropMaeConfig modelOf(Path checkpointOrFolder) throws IOException {
    return TrainingCheckpoint.load(TrainingCheckpoint.resolve(checkpointOrFolder)).model();
  }

  /**
   * {@link #modelOf(Path)} of a checkpoint already read, e.g. one whose weights are loaded next.
   *
   * @throws IOException naming the file when it is not a training checkpoint
   */
  public static CropMaeConfig modelOf(TorchCheckpoint checkpoint) throws IOException {
    return TrainingCheckpoint.load(checkpoint).model();
  }

  /**
   * Writes the encoder of a CropMAE state dict as an ONNX model (the evaluation model: any input
   * size, position embedding resized bicubically), recording the checkpoint's SHA-256 when given.
   *
   * @param model the architecture (checkpoints do not store the head count)
   */
  public static void exportEncoder(Map<String, NpyArray> stateDict, CropMaeConfig model, Path onnx, Path checkpoint)
      throws IOException {
    EncoderArchitecture arch = withEps(EncoderArchitecture.infer(stateDict, model.numHeads()), model.layerNormEps());
    Map<String, String> meta = checkpoint == null ? Map.of()
        : Map.of(EncoderContract.SOURCE_SHA256, Sha256.of(checkpoint));
    OnnxEncoderExporter.export(stateDict, arch, onnx, meta);
  }

  /**
   * Exports the encoder of a checkpoint file, ours or the official trainer's, as an ONNX model.
   * The head count comes from our checkpoints' architecture record, otherwise from the official
   * 64 channels per head, unless {@code heads} is given.
   *
   * @param heads encoder attention heads overriding what the checkpoint implies, or null
   * @return the metadata written to the model
   * @throws IOException naming the file when it cannot be read or written
   * @throws IllegalArgumentException naming the tensor or setting that does not fit
   */
  public static Map<String, String> exportEncoder(Path checkpoint, Path onnx, Integer heads) throws IOException {
    TorchCheckpoint ckpt = TorchCheckpoint.read(checkpoint);
    Map<String, NpyArray> sd = ckpt.stateDictFloat32();
    // Our checkpoints record the head count and LayerNorm epsilon; official ones follow D / 64 and 1e-6.
    Map<?, ?> ours = ckpt.hasEntry("cropmae") && ckpt.entry("cropmae") instanceof Map<?, ?> m ? m : Map.of();
    Integer h = heads != null ? heads : ours.get("num_heads") instanceof Number n ? n.intValue() : null;
    EncoderArchitecture arch;
    try {
      arch = EncoderArchitecture.infer(sd, h);
      if (ours.get("layer_norm_eps") instanceof Number eps) {
        arch = withEps(arch, eps.doubleValue());
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(checkpoint + ": " + e.getMessage(), e);
    }
    try {
      return OnnxEncoderExporter.export(sd, arch, onnx, Map.of(EncoderContract.SOURCE_SHA256, Sha256.of(checkpoint)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(checkpoint + ": " + e.getMessage(), e);
    }
  }

  /**
   * Exports the encoder a training run with this model and seed starts from (the same generator
   * seeding and initialisation as {@link #train}), as a random-initialisation baseline.
   *
   * @return the model's metadata
   */
  public static Map<String, String> exportInitialEncoder(CropMaeConfig config, long seed, Path onnx) throws IOException {
    Engine.getEngine(CropMaeModel.ENGINE).setRandomSeed((int) seed);
    try (CropMaeModel model = CropMaeModel.create(config, Device.cpu())) {
      Map<String, NpyArray> sd = model.stateDict();
      EncoderArchitecture arch = withEps(EncoderArchitecture.infer(sd, config.numHeads()), config.layerNormEps());
      return OnnxEncoderExporter.export(sd, arch, onnx, Map.of("cropmae.initialisation", "random, seed " + seed));
    }
  }

  private static EncoderArchitecture withEps(EncoderArchitecture a, double eps) {
    return new EncoderArchitecture(a.name(), a.patchSize(), a.embedDim(), a.depth(), a.numHeads(), a.mlpHiddenDim(),
        a.posGridSize(), eps);
  }

  /**
   * Makes iteration {@code i} of epoch {@code epoch} reproducible: re-seeds the engine's generator
   * (dropout) and returns the masking noise, {@code n} values in {@code [0, 1)}, both drawn from
   * streams keyed by (seed, epoch, iteration).
   */
  static float[] seedIteration(Engine engine, long seed, int epoch, int i, int n) {
    float[] noise = new float[n];
    SplittableRandom rng = Seeds.stream(seed, MASK_NOISE, epoch, i);
    for (int k = 0; k < n; k++) {
      noise[k] = (float) rng.nextDouble();
    }
    engine.setRandomSeed((int) Seeds.stream(seed, DROPOUT, epoch, i).nextLong());
    return noise;
  }

  /**
   * One iteration: forward in training mode with the given masking noise, the non-finite-loss
   * check, then backward of {@code loss / accumIter} (gradients accumulate into the parameters).
   *
   * @param onBadLoss called with a NaN or infinite loss; must throw
   * @param inspect sees the forward result before its arrays are freed
   * @return the batch loss
   */
  static double forwardBackward(CropMaeModel model, NDManager base, Engine engine,
      java.util.function.Function<NDManager, NDArray> input, float[] noise, int accumIter,
      java.util.function.DoubleConsumer onBadLoss, BiConsumer<NDArray, ForwardResult> inspect) {
    try (NDManager step = base.newSubManager()) {
      NDArray views = input.apply(step);
      long b = views.getShape().get(0);
      NDArray noiseArray = step.create(noise, new Shape(b, noise.length / b));
      try (GradientCollector gc = engine.newGradientCollector()) {
        ForwardResult r = model.forward(views, noiseArray, true);
        double loss = r.lossValue();
        if (!Double.isFinite(loss)) {
          onBadLoss.accept(loss);
          throw new IllegalStateException("loss is " + loss);
        }
        // An array divisor, not a Java number (see Layers.attention: DJL frees number operands early).
        gc.backward(accumIter == 1 ? r.loss() : r.loss().div(step.create((float) accumIter)));
        inspect.accept(views, r);
        return loss;
      }
    }
  }

  /** Host copies of sample 0: its two normalised views, predicted patches and mask. */
  private static float[][] sample(NDArray views, ForwardResult r) {
    float[] first = views.get(0).toFloatArray();
    float[] pred = r.pred().get(0).toFloatArray();
    float[] mask = r.mask().get(0).toFloatArray();
    return new float[][] {first, pred, mask};
  }

  private static void writePlot(Path file, TrainingCheckpoint.History history, TrainingListener listener) {
    try {
      TrainingImages.lossPlot(file, history);
      listener.onFile("loss-plot", file);
    } catch (IOException | RuntimeException | LinkageError | InternalError e) {
      // A missing font or graphics library must not stop a long run; the JSON log has the numbers.
      // (Without fonts the JDK's font manager fails with an InternalError, seen on a bare GPU machine.)
      LOG.log(System.Logger.Level.WARNING, file + ": loss plot not written (" + e + ")");
    }
  }

  /**
   * Removes the temporary {@code .*.part} files an interrupted run left in its output folder (and its
   * reconstructions folder) mid-write, e.g. a partial checkpoint, with one log line saying how many.
   */
  static int removePartialFiles(Path out) throws IOException {
    int removed = org.cropmae.runtime.io.AtomicFiles.removeLeftovers(out)
        + org.cropmae.runtime.io.AtomicFiles.removeLeftovers(out.resolve(RECONSTRUCTIONS));
    if (removed > 0) {
      LOG.log(System.Logger.Level.INFO, out + ": removed " + removed + " partial file" + (removed == 1 ? "" : "s")
          + " (.*.part) left by an interrupted run");
    }
    return removed;
  }

  private void warnOnChangedSettings(TrainingCheckpoint.Loaded resumed) {
    Map<String, Object> now = TrainingCheckpoint.args(config);
    for (String key : new String[] {"batch_size", "accum_iter", "lr", "epochs", "seed", "weight_decay", "crop_strategy",
        "warmup_epochs_prop", "min_lr_prop"}) {
      Object was = resumed.args().get(key);
      Object is = now.get(key);
      if (was != null && !numericEquals(was, is)) {
        LOG.log(System.Logger.Level.WARNING, resumed.checkpoint().file() + ": resuming with " + key + " = " + is
            + " (the checkpoint's run used " + was + "); results will differ from an uninterrupted run");
      }
    }
  }

  private static boolean numericEquals(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.doubleValue() == y.doubleValue();
    }
    return a.equals(b);
  }

  private static double seconds(long from, long to) {
    return Math.max(1e-9, (to - from) / 1e9);
  }
}
