package org.cropmae.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cropmae davis-eval} on the mini DAVIS set against the official tool's output. */
class DavisEvalCommandTest {
  @TempDir Path tmp;

  private Path copyResults() throws IOException {
    Path src = Cli.reference("davis_results");
    Path dst = tmp.resolve("results");
    try (Stream<Path> files = Files.walk(src)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path q = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q);
        }
      }
    }
    return dst;
  }

  @Test
  void matchesTheOfficialScoresAndWritesTheOfficialFiles() throws Exception {
    Path results = copyResults();
    Path json = tmp.resolve("scores.json");
    Cli.Result r = Cli.run("davis-eval", "--davis-root", Cli.reference("davis").toString(),
        "--results", results.toString(), "--out", json.toString());
    assertEquals(0, r.exitCode(), r.err());

    JsonNode expected = new ObjectMapper().readTree(Cli.reference("davis_expected.json").toFile());
    JsonNode got = new ObjectMapper().readTree(json.toFile());
    for (String key : List.of("J&F-Mean", "J-Mean", "J-Recall", "J-Decay", "F-Mean", "F-Recall", "F-Decay")) {
      // Issue tolerance 1e-3; the evaluator is bit-exact on this fixture.
      assertEquals(expected.get("global").get(key).asDouble(), got.get("global").get(key).asDouble(), 1e-3, key);
    }
    List<String> csv = Files.readAllLines(results.resolve("global_results-val.csv"));
    assertEquals("J&F-Mean,J-Mean,J-Recall,J-Decay,F-Mean,F-Recall,F-Decay", csv.get(0));
    assertEquals("0.909,0.876,0.944,0.178,0.943,0.944,0.171", csv.get(1));
    List<String> seq = Files.readAllLines(results.resolve("per-sequence_results-val.csv"));
    assertEquals("Sequence,J-Mean,F-Mean", seq.get(0));
    assertEquals("blobs-b_2,0.774,0.833", seq.get(3));
    assertTrue(r.out().contains("J&F-Mean") && r.out().contains("0.909"), r.out());
  }

  @Test
  void missingSequenceResultsIsOneLineNamingTheFolder() throws Exception {
    Path results = copyResults();
    Path gone = results.resolve("blobs-b");
    try (Stream<Path> files = Files.list(gone)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.delete(p);
      }
    }
    Files.delete(gone);
    Cli.Result r = Cli.run("davis-eval", "--davis-root", Cli.reference("davis").toString(), "--results", results.toString());
    assertEquals(1, r.exitCode());
    assertEquals(1, r.errLines(), r.err());
    assertTrue(r.err().contains("blobs-b"), r.err());
  }

  @Test
  void corruptResultPngIsOneLineNamingTheFile() throws Exception {
    Path results = copyResults();
    Path bad = results.resolve("blobs-a/00003.png");
    Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13});
    Cli.Result r = Cli.run("davis-eval", "--davis-root", Cli.reference("davis").toString(), "--results", results.toString());
    assertEquals(1, r.exitCode());
    assertEquals(1, r.errLines(), r.err());
    assertTrue(r.err().contains(bad.toString()), r.err());
  }
}
