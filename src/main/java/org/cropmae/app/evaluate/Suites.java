package org.cropmae.app.evaluate;

import java.io.IOException;
import java.nio.file.Path;
import org.cropmae.runtime.propagation.PropagationConfig;

/** Opens the suite of a benchmark by its CLI name. */
public final class Suites {
  private Suites() {}

  /**
   * @param benchmark {@code davis}, {@code jhmdb} or {@code vip}
   * @param list the official-format video list, or {@code null} for the benchmark's default
   * @param set the DAVIS image set (ignored by the others)
   * @param patchSize the encoder's patch size
   * @param parallelism threads for scoring
   * @throws IOException naming the dataset folder or list when it cannot be read
   */
  public static BenchmarkSuite open(String benchmark, Path root, Path list, String set, PropagationConfig config,
      int patchSize, int parallelism) throws IOException {
    return switch (benchmark) {
      case "davis" -> DavisSuite.open(root, list, set, config, parallelism);
      case "jhmdb" -> JhmdbSuite.open(root, list, config, patchSize);
      case "vip" -> VipSuite.open(root, list, config, parallelism);
      default -> throw new IllegalArgumentException("unknown benchmark '" + benchmark + "'; expected davis, jhmdb or vip");
    };
  }
}
