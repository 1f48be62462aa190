package org.cropmae.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cropmae.app.video.FfmpegFrameSource;
import org.cropmae.app.video.TestVideos;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.PalettePng;
import org.cropmae.runtime.onnx.EncoderOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page at {@code /} in a real browser: Debian's headless Chromium driven by Selenium uploads an
 * MP4 made in the test, scrubs to frame 5, paints the moving square with the brush (and undoes a
 * stray stroke), propagates through the job API, and the test checks what the page offers for
 * download: one mask per frame from frame 5 on, the painted object in the first, and an overlay
 * MP4 of the same frames, size and rate that the page's {@code <video>} plays.
 *
 * <p>Skipped (assumption) without {@code chromium} and {@code chromedriver}; {@code .ci/run}
 * installs them.
 */
class WebPageBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static final int W = 256;
  private static final int H = 160;
  private static final int FRAMES = 16;
  private static final int STEP = 4;
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir static Path dir;
  private static Server server;
  private static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "browser test skipped: needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)");
    server = Server.start(ServerConfig.defaults().withPort(0).withPropagationThreads(2).withWorkers(1).withQueue(2)
        .withEncoderOptions(EncoderOptions.defaults().withExecutionProvider(EncoderOptions.ExecutionProvider.CPU))
        .withTimeout(Duration.ofSeconds(100)));
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1200,1000", "--autoplay-policy=no-user-gesture-required");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void uploadScrubPaintPropagateAndDownload() throws Exception {
    Path mp4 = TestVideos.write(dir.resolve("square.mp4"), W, H, FRAMES, 10, STEP);
    browser.get(server.uri().toString());
    browser.findElement(By.id("file")).sendKeys(mp4.toString());
    waitFor("ready");

    // Scrub to 0.5 s: frame 5 (10 frames/s).
    js("const s = document.getElementById('scrub'); s.value = '0.5'; s.dispatchEvent(new Event('input'));");
    new WebDriverWait(browser, WAIT).until(d -> "0.500".equals(body("seeked")));

    WebElement paint = browser.findElement(By.id("paint"));
    assertEquals(W, paint.getSize().getWidth(), "the page shows the frame at its own size here");
    js("const b = document.getElementById('brush'); b.value = '30'; b.dispatchEvent(new Event('input'));");
    int cx = 16 + 5 * STEP + TestVideos.SQUARE / 2;
    int cy = H / 3 + TestVideos.SQUARE / 2;
    // A stray stroke with object 2, undone.
    browser.findElement(By.id("object-2")).click();
    dragAt(paint, 200, 130, 230, 140);
    long stray = Long.parseLong(body("painted"));
    assertTrue(stray > 0);
    browser.findElement(By.id("undo")).click();
    assertEquals("0", body("painted"));
    // The square, with object 1.
    browser.findElement(By.id("object-1")).click();
    dragAt(paint, cx - 6, cy - 6, cx + 6, cy + 6);
    assertTrue(Long.parseLong(body("painted")) > 500, body("painted"));

    browser.findElement(By.id("run")).click();
    new WebDriverWait(browser, WAIT).until(d -> List.of("done", "error").contains(body("state")));
    assertEquals("done", body("state"), browser.findElement(By.id("status")).getText());

    // What the page offers for download.
    Map<String, byte[]> masks = ServerVideoTest.unzip(download("download-masks"));
    List<String> want = new ArrayList<>();
    for (int t = 5; t < FRAMES; t++) {
      want.add(String.format(Locale.ROOT, "%05d.png", t));
    }
    assertEquals(want, new ArrayList<>(masks.keySet()), "one mask per frame from the painted one on");
    IndexMask first = PalettePng.decode(masks.get("00005.png"), "00005.png", null);
    assertEquals(H, first.height());
    assertEquals(W, first.width());
    assertEquals(1, first.index(cy, cx), "the painted object is label 1 where it was painted");
    assertEquals(0, first.index(135, 215), "the undone stroke is not in the mask");
    assertEquals(128, first.palette().red(1), "DAVIS colour of label 1");

    byte[] overlay = download("download-overlay");
    try (FfmpegFrameSource src = FfmpegFrameSource.open(overlay, "overlay.mp4")) {
      assertEquals(W, src.width());
      assertEquals(H, src.height());
      assertEquals(10.0, src.frameRate(), 0.01);
      int n = 0;
      for (RgbImage f = src.next(); f != null; f = src.next()) {
        n++;
      }
      assertEquals(FRAMES - 5, n);
    }
    // And the browser decodes the overlay it shows.
    new WebDriverWait(browser, WAIT).until(d -> ((Number) js("return document.getElementById('result').readyState")).intValue() >= 2);
    assertEquals(W, ((Number) js("return document.getElementById('result').videoWidth")).intValue());
    String shot = System.getProperty("cropmae.screenshot");
    if (shot != null) { // docs/images/web-page.png: -Dcropmae.screenshot=...
      Files.write(Path.of(shot), browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    }
  }

  private void dragAt(WebElement canvas, int x0, int y0, int x1, int y1) {
    int ox = -canvas.getSize().getWidth() / 2;
    int oy = -canvas.getSize().getHeight() / 2;
    new Actions(browser).moveToElement(canvas, ox + x0, oy + y0).clickAndHold()
        .moveToElement(canvas, ox + (x0 + x1) / 2, oy + (y0 + y1) / 2).moveToElement(canvas, ox + x1, oy + y1)
        .release().perform();
  }

  private byte[] download(String linkId) {
    Object b64 = ((JavascriptExecutor) browser).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "fetch(document.getElementById(arguments[0]).href).then(r => r.arrayBuffer()).then(b => {"
            + "  const u = new Uint8Array(b); let s = '';"
            + "  for (let i = 0; i < u.length; i += 8192) s += String.fromCharCode.apply(null, u.subarray(i, i + 8192));"
            + "  done(btoa(s)); }).catch(e => done('ERROR ' + e));", linkId);
    assertTrue(b64 instanceof String && !((String) b64).startsWith("ERROR"), String.valueOf(b64));
    return Base64.getDecoder().decode((String) b64);
  }

  private void waitFor(String state) {
    new WebDriverWait(browser, WAIT).until(d -> state.equals(body("state")) || "error".equals(body("state")));
    assertEquals(state, body("state"), browser.findElement(By.id("status")).getText());
  }

  private String body(String key) {
    Object v = js("return document.body.dataset['" + key + "'] || ''");
    return String.valueOf(v);
  }

  private Object js(String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }
}
