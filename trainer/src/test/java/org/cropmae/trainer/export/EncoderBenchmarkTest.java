package org.cropmae.trainer.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.cropmae.runtime.onnx.EncoderOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's FLOP count and report format; no timing is asserted. */
class EncoderBenchmarkTest {
  @TempDir Path dir;

  @Test
  void vitS16FlopsMatchThePublishedFigure() {
    // ViT-S/16 at 224x224 is published as 4.6 GMACs (DeiT-S), i.e. 9.2 GFLOP.
    double gflop = EncoderBenchmark.flopsPerFrame(EncoderArchitecture.vits16(), 224, 224) / 1e9;
    assertEquals(9.2, gflop, 0.05);
    // 480x880, T = 30*55 + 1 = 1651. Per block: qkv 1.4607e9, attention 4.1868e9, proj 0.4869e9,
    // MLP 3.8952e9 (sum 10.0296e9); x12 plus patch projection 0.9732e9 = 121.3287e9.
    assertEquals(121.3287, EncoderBenchmark.flopsPerFrame(EncoderArchitecture.vits16(), 480, 880) / 1e9, 1e-4);
  }

  @Test
  void runsEverySettingAndReportsJson() throws IOException {
    EncoderOptions cpu = EncoderOptions.defaults().withExecutionProvider(EncoderOptions.ExecutionProvider.CPU);
    EncoderBenchmark.Config config = new EncoderBenchmark.Config(TinyArch.ARCH, 32, 48, 2, 0, 1,
        List.of(cpu.withThreads(1, 1), cpu.withThreads(1, 1).withOptimizationLevel(EncoderOptions.OptimizationLevel.EXTENDED)));
    List<EncoderBenchmark.Result> results = EncoderBenchmark.run(config, dir);
    assertEquals(2, results.size());
    EncoderBenchmark.Result r = results.get(1);
    assertEquals("EXTENDED", r.optimizationLevel());
    assertEquals("CPU", r.executionProvider());
    assertEquals(EncoderBenchmark.flopsPerFrame(TinyArch.ARCH, 32, 48) / 1e9, r.gflopPerFrame(), 1e-12);
    String json = r.toJson();
    assertTrue(json.startsWith("{\"architecture\":\"tiny\",\"height\":32,\"width\":48,\"batch\":2,"
        + "\"executionProvider\":\"CPU\",\"intraOpThreads\":1,\"interOpThreads\":1,\"optimizationLevel\":\"EXTENDED\","
        + "\"iterations\":1,\"msPerFrameMedian\":"), json);
    assertTrue(json.endsWith("}"), json);
    String all = EncoderBenchmark.toJson(results);
    assertTrue(all.startsWith("[\n  {") && all.endsWith("}\n]"), all);
  }
}
