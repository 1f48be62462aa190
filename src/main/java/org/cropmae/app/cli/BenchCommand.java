package org.cropmae.app.cli;

import java.io.IOException;
import org.cropmae.app.bench.PropagationBenchmark;
import org.cropmae.trainer.export.EncoderArchitecture;
import org.cropmae.trainer.export.EncoderBenchmark;
import org.cropmae.trainer.train.TrainingBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cropmae bench}: performance measurements printed as JSON on stdout. */
@Command(name = "bench", header = "Measures performance and prints JSON.",
    mixinStandardHelpOptions = true,
    description = "Measures performance and prints JSON (stdout). Results for this project's reference machine are in docs/BENCHMARKS.md.",
    subcommands = {BenchCommand.Propagation.class, BenchCommand.Encoder.class, BenchCommand.Train.class, BenchServeCommand.class,
        BenchEvaluateCommand.class})
public final class BenchCommand {

  @Command(name = "propagation", header = "Times the label-propagation step alone on synthetic features.",
    mixinStandardHelpOptions = true,
      description = {"The label-propagation step alone on synthetic features (DAVIS size by default: 30x55 grid, D=384,",
          "50 frames, context 20, top-k 7, temperature 0.7, radius 20): frames/s, affinity GFLOP/s against the same",
          "kernel's rate on a square matrix product, and heap at two video lengths (memory must stay flat)."})
  static final class Propagation extends CliCommand {
    @Option(names = "--frames", defaultValue = "50", description = "Frames of the longer run; the shorter has half (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--grid", defaultValue = "30x55", paramLabel = "hxw", description = "Feature grid (default: ${DEFAULT-VALUE}).")
    String grid;

    @Option(names = "--dim", defaultValue = "384", paramLabel = "D", description = "Feature channels (default: ${DEFAULT-VALUE}, ViT-S).")
    int dim;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all processors).")
    Integer threads;

    @Override
    public Integer call() {
      PropagationBenchmark.Settings d = PropagationBenchmark.Settings.davis();
      int[] hw = parseGrid(grid, "--grid");
      PropagationBenchmark.Settings s = new PropagationBenchmark.Settings(hw[0], hw[1], dim, frames, d.classes(),
          threads == null ? d.threads() : threads, d.seed(), d.matmulSize());
      long t0 = System.nanoTime();
      PropagationBenchmark.Result r = PropagationBenchmark.run(s, org.cropmae.runtime.propagation.PropagationConfig.davis(),
          stage -> {
            stderr().printf(java.util.Locale.ROOT, "bench propagation: %s (%.0f s)%n", stage, (System.nanoTime() - t0) / 1e9);
            stderr().flush();
          });
      stdout().println(r.toJson());
      return 0;
    }
  }

  @Command(name = "encoder", header = "Times the ONNX encoder under ONNX Runtime.",
    mixinStandardHelpOptions = true,
      description = {"The ONNX encoder under ONNX Runtime (random weights; ViT-S/16 at 480x880 by default): ms per frame,",
          "GFLOP/s and peak resident memory for 1 and 2 threads x optimisation levels EXTENDED and ALL, on the CPU."})
  static final class Encoder extends CliCommand {
    @Option(names = "--arch", defaultValue = "vits16", paramLabel = "vits16|vits8|vitb16|vitl16",
        description = "Encoder size (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--size", defaultValue = "480x880", paramLabel = "HxW", description = "Frame size (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--iterations", defaultValue = "5", description = "Timed frames per setting (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Override
    public Integer call() throws IOException {
      EncoderBenchmark.Config d = EncoderBenchmark.Config.defaults();
      int[] hw = parseGrid(size, "--size");
      EncoderBenchmark.Config c = new EncoderBenchmark.Config(EncoderArchitecture.named(arch), hw[0], hw[1], d.batch(), d.warmup(),
          iterations, d.settings());
      stdout().println(EncoderBenchmark.toJson(EncoderBenchmark.run(c)));
      return 0;
    }
  }

  @Command(name = "train", header = "Times one CropMAE training step.",
    mixinStandardHelpOptions = true,
      description = {"One CropMAE training step (forward, backward, AdamW) on random views: milliseconds per step and images/s",
          "(default: ViT-S/16, batch 8, 2 warm-up and 5 timed steps, on the CPU)."})
  static final class Train extends CliCommand {
    @Option(names = "--batch-size", defaultValue = "8", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--steps", defaultValue = "5", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "auto|cpu|gpu[:N]", description = "Device (default: ${DEFAULT-VALUE}).")
    String device;

    @Override
    public Integer call() {
      TrainingBenchmark.Config d = TrainingBenchmark.Config.defaults();
      TrainingBenchmark.Config c = new TrainingBenchmark.Config(d.arch(), d.model(), batchSize, d.warmup(), steps, device);
      stdout().println(TrainingBenchmark.run(c).toJson());
      return 0;
    }
  }

  static int[] parseGrid(String s, String option) {
    String[] p = s.split("x");
    try {
      if (p.length == 2) {
        return new int[] {Integer.parseInt(p[0].strip()), Integer.parseInt(p[1].strip())};
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(option + ": expected HxW, e.g. 30x55, got '" + s + "'");
  }
}
