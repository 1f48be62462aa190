package org.cropmae.runtime.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One row of the reference's {@code per-sequence_results-<set>.csv}: one object of one sequence.
 *
 * @param sequence {@code <sequence>_<objectId>}
 * @param jMean mean J over the evaluated frames
 * @param fMean mean F over the evaluated frames
 */
@JsonPropertyOrder({"Sequence", "J-Mean", "F-Mean"})
public record DavisSequenceScore(
    @JsonProperty("Sequence") String sequence,
    @JsonProperty("J-Mean") double jMean,
    @JsonProperty("F-Mean") double fMean) {

  /** The CSV header, in column order. */
  public static final java.util.List<String> COLUMNS = java.util.List.of("Sequence", "J-Mean", "F-Mean");
}
