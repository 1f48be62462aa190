package org.cropmae.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DavisReportTest {
  private static DavisObjectResult object(String seq, int id, double... j) {
    return new DavisObjectResult(
        seq, id, List.of(), j, j, DavisStatistics.of(j), DavisStatistics.of(j));
  }

  @Test
  void globalMeansAreOverObjects() {
    // Object a_1: J per frame {1, 0.5} -> mean 0.75, recall 1/2; b_1: {0.25} -> 0.25, recall 0.
    // J-Mean = (0.75 + 0.25) / 2 = 0.5; J-Recall = (0.5 + 0) / 2 = 0.25; F equal to J here, so
    // J&F-Mean = 0.5. Decay: a_1 bins {1} and {0.5} -> 0.5; b_1 -> 0; mean 0.25.
    DavisReport r = DavisReport.of(List.of(object("a", 1, 1, 0.5), object("b", 1, 0.25)));
    assertEquals(new DavisGlobalScores(0.5, 0.5, 0.25, 0.25, 0.5, 0.25, 0.25), r.global());
    assertEquals(new DavisSequenceScore("a_1", 0.75, 0.75), r.perSequence().get(0));
  }

  @Test
  void nanIsAnEmptyCsvFieldAndRoundTripsThroughJson() throws IOException {
    // No evaluated frames: every statistic is NaN, as numpy's mean of an empty array.
    DavisReport r = DavisReport.of(List.of(object("x,y", 2)));
    assertEquals(",,,,,,\n", r.globalCsv().substring(r.globalCsv().indexOf('\n') + 1));
    assertEquals("Sequence,J-Mean,F-Mean\n\"x,y_2\",,\n", r.perSequenceCsv());
    DavisReport back = DavisReport.fromJson(r.toJson());
    assertTrue(Double.isNaN(back.global().jAndFMean()));
    assertEquals("x,y_2", back.perSequence().get(0).sequence());
  }

  @Test
  void badJsonIsOneLine() {
    IOException e = assertThrows(IOException.class, () -> DavisReport.fromJson("{\"global\": 3"));
    assertTrue(e.getMessage().startsWith("not a DAVIS report JSON"), e.getMessage());
  }
}
