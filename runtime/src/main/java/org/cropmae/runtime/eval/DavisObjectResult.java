package org.cropmae.runtime.eval;

import java.util.List;
import java.util.Objects;

/**
 * The DAVIS scores of one object of one sequence over its evaluated frames (every annotated frame
 * except the first and the last).
 *
 * @param sequence sequence name
 * @param objectId object label, 1..number of objects in the first annotation
 * @param frameIds ids of the evaluated frames, in order
 * @param jaccard per-frame J, {@code [frameIds.size()]}
 * @param boundaryF per-frame F, {@code [frameIds.size()]}
 * @param j statistics of {@code jaccard}
 * @param f statistics of {@code boundaryF}
 */
public record DavisObjectResult(
    String sequence,
    int objectId,
    List<String> frameIds,
    double[] jaccard,
    double[] boundaryF,
    DavisStatistics j,
    DavisStatistics f) {
  public DavisObjectResult {
    Objects.requireNonNull(sequence, "sequence");
    frameIds = List.copyOf(frameIds);
    Objects.requireNonNull(jaccard, "jaccard");
    Objects.requireNonNull(boundaryF, "boundaryF");
    Objects.requireNonNull(j, "j");
    Objects.requireNonNull(f, "f");
  }

  /** The reference's per-object key, {@code <sequence>_<objectId>}. */
  public String name() {
    return sequence + "_" + objectId;
  }
}
