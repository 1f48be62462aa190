package org.cropmae.runtime.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The global DAVIS results: each value is the mean over all objects of all sequences; JSON keys
 * and order are the columns of the reference's {@code global_results-<set>.csv}.
 */
@JsonPropertyOrder({
  "J&F-Mean", "J-Mean", "J-Recall", "J-Decay", "F-Mean", "F-Recall", "F-Decay"
})
public record DavisGlobalScores(
    @JsonProperty("J&F-Mean") double jAndFMean,
    @JsonProperty("J-Mean") double jMean,
    @JsonProperty("J-Recall") double jRecall,
    @JsonProperty("J-Decay") double jDecay,
    @JsonProperty("F-Mean") double fMean,
    @JsonProperty("F-Recall") double fRecall,
    @JsonProperty("F-Decay") double fDecay) {

  /** The CSV header, in column order. */
  public static final java.util.List<String> COLUMNS =
      java.util.List.of(
          "J&F-Mean", "J-Mean", "J-Recall", "J-Decay", "F-Mean", "F-Recall", "F-Decay");

  /** The values in {@link #COLUMNS} order. */
  public double[] values() {
    return new double[] {jAndFMean, jMean, jRecall, jDecay, fMean, fRecall, fDecay};
  }
}
