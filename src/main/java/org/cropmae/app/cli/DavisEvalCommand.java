package org.cropmae.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.cropmae.runtime.data.DavisDataset;
import org.cropmae.runtime.eval.DavisEvaluator;
import org.cropmae.runtime.eval.DavisGlobalScores;
import org.cropmae.runtime.eval.DavisReport;
import org.cropmae.runtime.eval.DavisSequenceScore;
import org.cropmae.runtime.eval.IndexMaskReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cropmae davis-eval}: DAVIS-2017 semi-supervised scores, as the official tool computes them. */
@Command(name = "davis-eval", header = "Scores DAVIS-2017 result masks as the official davis2017-evaluation tool does.",
    mixinStandardHelpOptions = true,
    description = {
        "Scores predicted masks on DAVIS-2017 (semi-supervised) exactly as the official davis2017-evaluation tool:",
        "J (region IoU) and F (boundary F-measure) mean, recall and decay, J&F-Mean, per sequence and object.",
        "Writes global_results-<set>.csv and per-sequence_results-<set>.csv into the results folder, as the official tool does."})
public final class DavisEvalCommand extends CliCommand {
  @Option(names = "--davis-root", required = true, paramLabel = "DIR",
      description = "DAVIS folder with JPEGImages/480p, Annotations/480p and ImageSets/2017/<set>.txt.")
  Path davisRoot;

  @Option(names = "--results", required = true, paramLabel = "DIR",
      description = "Predictions: <sequence>/<frame>.png palette masks, one folder per sequence.")
  Path results;

  @Option(names = "--set", defaultValue = "val", description = "Image set to evaluate (default: ${DEFAULT-VALUE}).")
  String set;

  @Option(names = "--out", paramLabel = "results.json", description = "Also write the scores as JSON (same keys as the CSV headers).")
  Path out;

  @Option(names = "--threads", paramLabel = "N", description = "Sequences evaluated in parallel (default: all processors).")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    DavisDataset dataset = DavisDataset.open(davisRoot);
    DavisEvaluator.Builder builder = DavisEvaluator.builder(IndexMaskReader.PNG);
    if (threads != null) {
      builder.parallelism(threads);
    }
    DavisReport report = builder.build().evaluate(dataset, set, results).report();
    report.writeCsv(results, set);
    if (out != null) {
      report.writeJson(out);
    }
    print(report, stdout());
    stderr().println("wrote " + results.resolve(DavisReport.globalCsvName(set)) + " and "
        + results.resolve(DavisReport.perSequenceCsvName(set)) + (out == null ? "" : " and " + out));
    return 0;
  }

  /** Prints the two tables the official tool prints. */
  static void print(DavisReport report, PrintWriter w) {
    w.println("--------------------------- Global results for " + "DAVIS-2017 ---------------------------");
    StringBuilder head = new StringBuilder();
    StringBuilder row = new StringBuilder();
    double[] values = report.global().values();
    for (int i = 0; i < values.length; i++) {
      String col = DavisGlobalScores.COLUMNS.get(i);
      int width = Math.max(col.length(), 6) + 1;
      head.append(String.format(Locale.ROOT, "%" + width + "s", col));
      row.append(String.format(Locale.ROOT, "%" + width + ".3f", values[i]));
    }
    w.println(head);
    w.println(row);
    w.println();
    w.println("---------- Per sequence results ----------");
    int nameWidth = "Sequence".length();
    for (DavisSequenceScore s : report.perSequence()) {
      nameWidth = Math.max(nameWidth, s.sequence().length());
    }
    w.println(String.format(Locale.ROOT, "%-" + nameWidth + "s %7s %7s", "Sequence", "J-Mean", "F-Mean"));
    for (DavisSequenceScore s : report.perSequence()) {
      w.println(String.format(Locale.ROOT, "%-" + nameWidth + "s %7.3f %7.3f", s.sequence(), s.jMean(), s.fMean()));
    }
    w.flush();
  }
}
