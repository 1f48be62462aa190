package org.cropmae.app.evaluate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.cropmae.runtime.propagation.AffinityBackend;
import org.cropmae.runtime.propagation.ComputePool;
import org.cropmae.runtime.propagation.PropagationConfig;
import org.cropmae.runtime.video.FrameFeatures;

/**
 * One benchmark of the paper's evaluation: its videos, how one video is propagated and written, and
 * how the written results are scored. Implementations are {@link DavisSuite}, {@link JhmdbSuite}
 * and {@link VipSuite}; {@link EvaluationRunner} drives them.
 */
public interface BenchmarkSuite {
  /** The benchmark's name as the CLI spells it: {@code davis}, {@code jhmdb} or {@code vip}. */
  String name();

  /** The propagation parameters and input size every video is propagated with. */
  PropagationConfig config();

  /** The videos to evaluate, in list order. */
  List<BenchmarkVideo> videos();

  /** Frames of {@code video} that propagation will write (for the progress bar); cheap, no decoding. */
  int frameCount(BenchmarkVideo video) throws IOException;

  /**
   * Where the finished results of {@code video} live, relative to the output folder (a folder of
   * masks, or one file); its existence marks the video done.
   */
  Path resultPath(BenchmarkVideo video);

  /** What propagating a video borrows from the run: the feature extractor and the propagation's threads. */
  record Engine(FrameFeatures features, ComputePool pool, AffinityBackend backend) {}

  /**
   * Propagates {@code video} and writes its results to {@code staging} (the same kind of entry as
   * {@link #resultPath}: a folder to create or a file to write); the runner moves it into place.
   *
   * @param frameDone called after each frame is written
   * @throws IOException or IllegalArgumentException naming the frame, annotation or label that is
   *     missing or broken
   */
  void propagate(BenchmarkVideo video, Engine engine, Path staging, Runnable frameDone) throws IOException;

  /**
   * Scores the finished videos' results under {@code out}.
   *
   * @param done the videos whose results are complete, in list order
   */
  BenchmarkScores score(List<BenchmarkVideo> done, Path out) throws IOException;
}
