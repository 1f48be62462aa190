package org.cropmae.app.evaluate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a benchmark scored.
 *
 * @param metrics the headline numbers in the benchmark's units and order (DAVIS: J&F-Mean ... in
 *     [0, 1]; JHMDB: PCK@0.1 ... in percent; VIP: mIoU in [0, 1]); {@code NaN} where undefined
 * @param perVideo one row per video: its id, then {@link #perVideoColumns} values
 * @param perVideoColumns the names of the per-video values
 * @param details benchmark-specific extras for the JSON report (per-class IoU, per-joint PCK...)
 * @param files files the scorer wrote, relative to the output folder (the official CSVs)
 */
public record BenchmarkScores(
    Map<String, Double> metrics,
    List<String> perVideoColumns,
    List<Row> perVideo,
    Map<String, Object> details,
    List<String> files) {
  public BenchmarkScores {
    metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    perVideoColumns = List.copyOf(perVideoColumns);
    perVideo = List.copyOf(perVideo);
    details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    files = List.copyOf(files);
  }

  /** One video's values, in {@link #perVideoColumns} order. */
  public record Row(String video, List<Double> values) {
    public Row {
      Objects.requireNonNull(video, "video");
      values = List.copyOf(values);
    }
  }
}
