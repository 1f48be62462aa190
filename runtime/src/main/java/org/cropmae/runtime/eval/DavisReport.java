package org.cropmae.runtime.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cropmae.runtime.io.AtomicFiles;

/**
 * The DAVIS results as {@code davis_evaluation/evaluation_method.py} reports them: global scores
 * and one row per object, written as the reference's two CSV files or as JSON with the same keys.
 *
 * <p>JSON layout: {@code {"global": {"J&F-Mean": .., ..}, "per_sequence": [{"Sequence": ..,
 * "J-Mean": .., "F-Mean": ..}, ..]}}, full double precision (NaN as the string {@code "NaN"}).
 *
 * @param global means over all objects
 * @param perSequence one entry per object, sequences in evaluation order, objects by id
 */
@JsonPropertyOrder({"global", "per_sequence"})
public record DavisReport(
    @JsonProperty("global") DavisGlobalScores global,
    @JsonProperty("per_sequence") List<DavisSequenceScore> perSequence) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public DavisReport {
    Objects.requireNonNull(global, "global");
    perSequence = List.copyOf(perSequence);
  }

  /**
   * Summarises per-object results: each global value is {@code np.mean} over objects of the
   * per-object statistic, and {@code J&F-Mean = (J-Mean + F-Mean) / 2}.
   */
  public static DavisReport of(List<DavisObjectResult> objects) {
    int n = objects.size();
    double[][] columns = new double[6][n];
    List<DavisSequenceScore> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      DavisObjectResult o = objects.get(i);
      columns[0][i] = o.j().mean();
      columns[1][i] = o.j().recall();
      columns[2][i] = o.j().decay();
      columns[3][i] = o.f().mean();
      columns[4][i] = o.f().recall();
      columns[5][i] = o.f().decay();
      rows.add(new DavisSequenceScore(o.name(), o.j().mean(), o.f().mean()));
    }
    double[] m = new double[6];
    for (int c = 0; c < 6; c++) {
      m[c] = NumpyMath.mean(columns[c], 0, n);
    }
    DavisGlobalScores global =
        new DavisGlobalScores((m[0] + m[3]) / 2.0, m[0], m[1], m[2], m[3], m[4], m[5]);
    return new DavisReport(global, rows);
  }

  /** The reference's global CSV file name for {@code set}: {@code global_results-<set>.csv}. */
  public static String globalCsvName(String set) {
    return "global_results-" + set + ".csv";
  }

  /** The per-object CSV file name: {@code per-sequence_results-<set>.csv}. */
  public static String perSequenceCsvName(String set) {
    return "per-sequence_results-" + set + ".csv";
  }

  /** The content of {@code global_results-<set>.csv}: header, then one row, values to 3 places. */
  public String globalCsv() {
    StringBuilder sb = new StringBuilder();
    PandasCsv.line(sb, DavisGlobalScores.COLUMNS.stream().map(PandasCsv::field).toList());
    List<String> values = new ArrayList<>();
    for (double v : global.values()) {
      values.add(PandasCsv.format3(v));
    }
    PandasCsv.line(sb, values);
    return sb.toString();
  }

  /** The content of {@code per-sequence_results-<set>.csv}: header, then one row per object. */
  public String perSequenceCsv() {
    StringBuilder sb = new StringBuilder();
    PandasCsv.line(sb, DavisSequenceScore.COLUMNS.stream().map(PandasCsv::field).toList());
    for (DavisSequenceScore s : perSequence) {
      PandasCsv.line(
          sb,
          List.of(
              PandasCsv.field(s.sequence()),
              PandasCsv.format3(s.jMean()),
              PandasCsv.format3(s.fMean())));
    }
    return sb.toString();
  }

  /**
   * Writes both CSV files into {@code dir} (created if needed), each atomically, under the
   * reference's names for {@code set}.
   *
   * @return the global CSV path, as the reference's {@code main} returns it
   */
  public Path writeCsv(Path dir, String set) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(set, "set");
    Path global = dir.resolve(globalCsvName(set));
    AtomicFiles.write(global, globalCsv().getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(
        dir.resolve(perSequenceCsvName(set)), perSequenceCsv().getBytes(StandardCharsets.UTF_8));
    return global;
  }

  /** This report as indented JSON. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise DAVIS report: " + e.getOriginalMessage(), e);
    }
  }

  /** Writes {@link #toJson()} to {@code file} atomically. */
  public void writeJson(Path file) throws IOException {
    AtomicFiles.write(file, toJson().getBytes(StandardCharsets.UTF_8));
  }

  /** Parses the JSON that {@link #toJson()} writes. */
  public static DavisReport fromJson(String json) throws IOException {
    try {
      return JSON.readValue(json, DavisReport.class);
    } catch (JsonProcessingException e) {
      String why = String.valueOf(e.getOriginalMessage()).replaceAll("\\s+", " ");
      throw new IOException("not a DAVIS report JSON: " + why, e);
    }
  }
}
