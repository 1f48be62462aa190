package org.cropmae.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.cropmae.runtime.data.DavisDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DavisEvaluatorTest {
  /** Reference numbers are float64 from the official code; we aim at the last few ulps. */
  private static final double TOLERANCE = 1e-12;

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(DavisEvaluatorTest.class.getResource("/reference/" + name).toURI());
  }

  private static DavisEvaluator evaluator(int threads) {
    return DavisEvaluator.builder(IndexMaskReader.PNG).parallelism(threads).build();
  }

  @Test
  void reproducesOfficialEvaluationOnMiniDavis() throws Exception {
    DavisDataset dataset = DavisDataset.open(resource("davis"));
    DavisEvaluation eval = evaluator(2).evaluate(dataset, "val", resource("davis_results"));
    DavisReport report = eval.report();
    JsonNode expected =
        new ObjectMapper().readTree(Files.readString(resource("davis_expected.json")));

    double maxError = 0;
    JsonNode g = expected.get("global");
    double[] actual = report.global().values();
    for (int i = 0; i < DavisGlobalScores.COLUMNS.size(); i++) {
      String key = DavisGlobalScores.COLUMNS.get(i);
      double err = Math.abs(g.get(key).asDouble() - actual[i]);
      maxError = Math.max(maxError, err);
      assertEquals(g.get(key).asDouble(), actual[i], TOLERANCE, key);
    }
    assertEquals(7, g.size());

    JsonNode per = expected.get("per_object");
    assertEquals(per.size(), eval.objects().size());
    Iterator<Map.Entry<String, JsonNode>> it = per.properties().iterator();
    for (DavisObjectResult o : eval.objects()) {
      Map.Entry<String, JsonNode> e = it.next(); // same order: sequences, then object ids
      assertEquals(e.getKey(), o.name());
      double j = e.getValue().get("J").asDouble();
      double f = e.getValue().get("F").asDouble();
      maxError = Math.max(maxError, Math.max(Math.abs(j - o.j().mean()), Math.abs(f - o.f().mean())));
      assertEquals(j, o.j().mean(), TOLERANCE, o.name() + " J");
      assertEquals(f, o.f().mean(), TOLERANCE, o.name() + " F");
      // Frames 00001..00006 of 8: the first and last are not scored.
      assertEquals(List.of("00001", "00002", "00003", "00004", "00005", "00006"), o.frameIds());
    }
    System.out.println("DAVIS mini parity: max abs error " + maxError);
  }

  @Test
  void resultsDoNotDependOnThreadCount() throws Exception {
    DavisDataset dataset = DavisDataset.open(resource("davis"));
    DavisEvaluation one = evaluator(1).evaluate(dataset, "val", resource("davis_results"));
    DavisEvaluation two = evaluator(2).evaluate(dataset, "val", resource("davis_results"));
    assertEquals(one.objects().size(), two.objects().size());
    for (int i = 0; i < one.objects().size(); i++) {
      assertArrayEquals(one.objects().get(i).jaccard(), two.objects().get(i).jaccard());
      assertArrayEquals(one.objects().get(i).boundaryF(), two.objects().get(i).boundaryF());
    }
    assertEquals(one.report(), two.report());
  }

  @Test
  void writesReferenceCsvFiles(@TempDir Path dir) throws Exception {
    DavisReport report =
        evaluator(2)
            .evaluate(DavisDataset.open(resource("davis")), "val", resource("davis_results"))
            .report();
    Path global = report.writeCsv(dir, "val");
    assertEquals(dir.resolve("global_results-val.csv"), global);
    // Values of davis_expected.json printed with %.3f.
    assertEquals(
        "J&F-Mean,J-Mean,J-Recall,J-Decay,F-Mean,F-Recall,F-Decay\n"
            + "0.909,0.876,0.944,0.178,0.943,0.944,0.171\n",
        Files.readString(global));
    assertEquals(
        "Sequence,J-Mean,F-Mean\n"
            + "blobs-a_1,0.939,0.991\n"
            + "blobs-b_1,0.941,0.999\n"
            + "blobs-b_2,0.774,0.833\n"
            + "blobs-c_1,0.900,1.000\n"
            + "blobs-c_2,0.781,0.833\n"
            + "blobs-c_3,0.921,1.000\n",
        Files.readString(dir.resolve("per-sequence_results-val.csv")));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(2, s.count(), "no temporary files left behind");
    }
  }

  @Test
  void jsonUsesCsvKeysAndRoundTrips(@TempDir Path dir) throws Exception {
    DavisReport report =
        evaluator(2)
            .evaluate(DavisDataset.open(resource("davis")), "val", resource("davis_results"))
            .report();
    Path file = dir.resolve("davis.json");
    report.writeJson(file);
    String json = Files.readString(file, StandardCharsets.UTF_8);
    JsonNode tree = new ObjectMapper().readTree(json);
    Iterator<String> keys = tree.get("global").fieldNames();
    for (String column : DavisGlobalScores.COLUMNS) {
      assertEquals(column, keys.next());
    }
    assertFalse(keys.hasNext());
    Iterator<String> rowKeys = tree.get("per_sequence").get(0).fieldNames();
    for (String column : DavisSequenceScore.COLUMNS) {
      assertEquals(column, rowKeys.next());
    }
    assertEquals("blobs-a_1", tree.get("per_sequence").get(0).get("Sequence").asText());
    assertEquals(report, DavisReport.fromJson(json));
  }

  // ---- bad inputs: each is one line naming the offending path ----

  private static Path copyFixture(Path dir) throws Exception {
    copyTree(resource("davis"), dir.resolve("davis"));
    copyTree(resource("davis_results"), dir.resolve("results"));
    return dir;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private static Exception evaluateExpectingFailure(Path dir, Class<? extends Exception> type) {
    return assertThrows(
        type,
        () ->
            evaluator(2)
                .evaluate(DavisDataset.open(dir.resolve("davis")), "val", dir.resolve("results")));
  }

  private static void assertOneLineNaming(Exception e, Path path) {
    String m = e.getMessage();
    assertFalse(m.contains("\n"), m);
    assertTrue(m.contains(path.toString()), m);
  }

  @Test
  void missingResultsFolderIsNamed(@TempDir Path dir) throws Exception {
    copyFixture(dir);
    Path seq = dir.resolve("results/blobs-b");
    try (Stream<Path> s = Files.list(seq)) {
      for (Path p : s.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(seq);
    assertOneLineNaming(evaluateExpectingFailure(dir, NoSuchFileException.class), seq);
  }

  @Test
  void missingFrameIsNamed(@TempDir Path dir) throws Exception {
    copyFixture(dir);
    Path frame = dir.resolve("results/blobs-c/00004.png");
    Files.delete(frame);
    assertOneLineNaming(evaluateExpectingFailure(dir, NoSuchFileException.class), frame);
  }

  @Test
  void missingFirstAndLastResultFramesAreFine(@TempDir Path dir) throws Exception {
    copyFixture(dir);
    Files.delete(dir.resolve("results/blobs-a/00000.png"));
    Files.delete(dir.resolve("results/blobs-a/00007.png"));
    DavisEvaluation e =
        evaluator(1)
            .evaluate(DavisDataset.open(dir.resolve("davis")), "val", dir.resolve("results"));
    assertEquals(6, e.objects().size());
  }

  @Test
  void wrongSizeIsNamed(@TempDir Path dir) throws Exception {
    copyFixture(dir);
    Path frame = dir.resolve("results/blobs-a/00003.png");
    writeGrey(frame, new BufferedImage(100, 50, BufferedImage.TYPE_BYTE_GRAY));
    Exception e = evaluateExpectingFailure(dir, IllegalArgumentException.class);
    assertOneLineNaming(e, frame);
    assertTrue(e.getMessage().contains("50x100"), e.getMessage());
  }

  @Test
  void corruptPngIsNamed(@TempDir Path dir) throws Exception {
    copyFixture(dir);
    Path frame = dir.resolve("results/blobs-b/00002.png");
    byte[] bytes = Files.readAllBytes(frame);
    Files.write(frame, java.util.Arrays.copyOf(bytes, bytes.length / 3));
    assertOneLineNaming(evaluateExpectingFailure(dir, IOException.class), frame);
  }

  @Test
  void labelAboveObjectCountIsNamed(@TempDir Path dir) throws Exception {
    copyFixture(dir);
    // blobs-a has one object; a result with label 2 is what the reference rejects.
    Path frame = dir.resolve("results/blobs-a/00002.png");
    BufferedImage img = new BufferedImage(854, 480, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setSample(10, 10, 0, 2);
    writeGrey(frame, img);
    Exception e = evaluateExpectingFailure(dir, IllegalArgumentException.class);
    assertOneLineNaming(e, frame);
    assertTrue(e.getMessage().contains("label 2"), e.getMessage());
  }

  @Test
  void missingSequenceListIsNamed(@TempDir Path dir) throws Exception {
    copyFixture(dir);
    Path list = dir.resolve("davis/ImageSets/2017/train.txt");
    Exception e =
        assertThrows(
            NoSuchFileException.class,
            () ->
                evaluator(1)
                    .evaluate(
                        DavisDataset.open(dir.resolve("davis")), "train", dir.resolve("results")));
    assertOneLineNaming(e, list);
  }

  private static void writeGrey(Path file, BufferedImage img) throws IOException {
    assertTrue(ImageIO.write(img, "png", file.toFile()));
  }
}
