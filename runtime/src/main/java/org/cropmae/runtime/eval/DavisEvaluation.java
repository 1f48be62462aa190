package org.cropmae.runtime.eval;

import java.util.List;

/**
 * Everything a DAVIS evaluation computed: per-object, per-frame scores and their statistics.
 *
 * @param objects one entry per object, sequences in evaluation order, objects by id
 */
public record DavisEvaluation(List<DavisObjectResult> objects) {
  public DavisEvaluation {
    objects = List.copyOf(objects);
  }

  /** The reference's summary: global means and per-object means. */
  public DavisReport report() {
    return DavisReport.of(objects);
  }
}
