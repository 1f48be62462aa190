package org.cropmae.android.demo;

import android.app.Activity;
import android.content.ActivityNotFoundException;
import android.content.Intent;
import android.content.pm.PackageManager;
import android.graphics.Bitmap;
import android.graphics.drawable.GradientDrawable;
import android.net.Uri;
import android.os.Build;
import android.os.Bundle;
import android.os.Handler;
import android.os.Looper;
import android.os.SystemClock;
import android.provider.MediaStore;
import android.view.View;
import android.widget.Button;
import android.widget.LinearLayout;
import android.widget.ProgressBar;
import android.widget.SeekBar;
import android.widget.Spinner;
import android.widget.TextView;
import android.widget.Toast;
import android.widget.ToggleButton;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cropmae.android.demo.logic.ArgbImages;
import org.cropmae.android.demo.logic.ExportNames;
import org.cropmae.android.demo.logic.FrameSampling;
import org.cropmae.android.demo.logic.MaskSketch;
import org.cropmae.android.demo.logic.MenuChoices;
import org.cropmae.android.demo.logic.ModelCache;
import org.cropmae.android.demo.logic.PropagationRun;
import org.cropmae.android.demo.logic.RunSettings;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.Palette;
import org.cropmae.runtime.onnx.OnnxEncoder;

/**
 * The demo's only screen: pick, record or load a clip; paint the objects on its first frame;
 * propagate the masks through the clip with the bundled CropMAE encoder; play the result; export it.
 *
 * <p>Decoding, propagation and export run on one background thread ({@link #worker}); results come
 * back through {@link #ui}, the main-thread handler. The non-UI work lives in
 * {@code org.cropmae.android.demo.logic}, which is tested on the JVM.
 */
public final class MainActivity extends Activity {
  private static final int REQUEST_PICK = 1;
  private static final int REQUEST_RECORD = 2;
  private static final int REQUEST_EXPORT = 3;
  private static final int MAX_OBJECTS = 8;
  private static final float OVERLAY_ALPHA = 0.5f;
  private static final int RECORD_SECONDS = 15;
  /** Assets folder the build copies the default encoder into (app/build.gradle.kts). */
  private static final String MODEL_ASSETS = "models";

  private enum Mode { EMPTY, LOADING, DRAW, RUNNING, RESULT }

  private final ExecutorService worker = Executors.newSingleThreadExecutor();
  private final Handler ui = new Handler(Looper.getMainLooper());
  private final AtomicBoolean cancel = new AtomicBoolean();

  private Button openButton;
  private Button recordButton;
  private Button demoButton;
  private TextView status;
  private MaskDrawingView frameView;
  private LinearLayout swatches;
  private Button addObjectButton;
  private ToggleButton eraserToggle;
  private Button undoButton;
  private Button clearButton;
  private SeekBar brushSeek;
  private Spinner samplingSpinner;
  private Spinner providerSpinner;
  private Spinner resolutionSpinner;
  private Button runButton;
  private ProgressBar progress;
  private Button playButton;
  private SeekBar frameSeek;
  private TextView frameLabel;
  private Button exportButton;

  private Mode mode = Mode.EMPTY;
  private VideoFrames.Clip clip;
  private MaskSketch sketch;
  private List<IndexMask> masks;
  private Bitmap firstFrame;
  private Bitmap playerFrame;
  private int objectCount = 2;
  private int currentObject = 1;
  private boolean playing;
  private String exportBase;

  private final Runnable playTick = new Runnable() {
    @Override
    public void run() {
      if (!playing || masks == null) {
        return;
      }
      frameSeek.setProgress((frameSeek.getProgress() + 1) % masks.size());
      ui.postDelayed(this, FrameSampling.playbackIntervalMs(clip.timesUs(), 100));
    }
  };

  @Override
  protected void onCreate(Bundle savedInstanceState) {
    super.onCreate(savedInstanceState);
    setContentView(R.layout.activity_main);
    openButton = findViewById(R.id.open_button);
    recordButton = findViewById(R.id.record_button);
    demoButton = findViewById(R.id.demo_button);
    status = findViewById(R.id.status_text);
    frameView = findViewById(R.id.frame_view);
    swatches = findViewById(R.id.object_swatches);
    addObjectButton = findViewById(R.id.add_object_button);
    eraserToggle = findViewById(R.id.eraser_toggle);
    undoButton = findViewById(R.id.undo_button);
    clearButton = findViewById(R.id.clear_button);
    brushSeek = findViewById(R.id.brush_seek);
    samplingSpinner = findViewById(R.id.sampling_spinner);
    providerSpinner = findViewById(R.id.provider_spinner);
    resolutionSpinner = findViewById(R.id.resolution_spinner);
    runButton = findViewById(R.id.run_button);
    progress = findViewById(R.id.progress);
    playButton = findViewById(R.id.play_button);
    frameSeek = findViewById(R.id.frame_seek);
    frameLabel = findViewById(R.id.frame_label);
    exportButton = findViewById(R.id.export_button);

    openButton.setOnClickListener(v -> pickVideo());
    recordButton.setOnClickListener(v -> recordVideo());
    demoButton.setOnClickListener(v -> loadDemo());
    addObjectButton.setOnClickListener(v -> addObject());
    eraserToggle.setOnCheckedChangeListener((b, checked) -> frameView.setEraser(checked));
    undoButton.setOnClickListener(v -> {
      if (sketch.undo()) {
        frameView.refreshLayer();
      }
      undoButton.setEnabled(!sketch.strokes().isEmpty());
    });
    clearButton.setOnClickListener(v -> {
      sketch.clear();
      frameView.refreshLayer();
      undoButton.setEnabled(false);
    });
    runButton.setOnClickListener(v -> onRunButton());
    playButton.setOnClickListener(v -> setPlaying(!playing));
    exportButton.setOnClickListener(v -> chooseExportTarget());
    frameView.setListener(s -> undoButton.setEnabled(!s.strokes().isEmpty()));

    float min = getResources().getDimension(R.dimen.brush_min);
    float max = getResources().getDimension(R.dimen.brush_max);
    float initial = getResources().getDimension(R.dimen.brush_default);
    brushSeek.setOnSeekBarChangeListener(new SeekBarListener() {
      @Override
      public void onProgressChanged(SeekBar bar, int value, boolean fromUser) {
        frameView.setBrushRadius(min + (max - min) * value / bar.getMax());
      }
    });
    brushSeek.setProgress(Math.round((initial - min) / (max - min) * brushSeek.getMax()));
    frameView.setBrushRadius(initial);
    frameSeek.setOnSeekBarChangeListener(new SeekBarListener() {
      @Override
      public void onProgressChanged(SeekBar bar, int value, boolean fromUser) {
        if (masks != null) {
          showResultFrame(value);
        }
      }
    });
    samplingSpinner.setSelection(MenuChoices.DEFAULT_SAMPLING);
    buildSwatches();
    setMode(Mode.EMPTY);
  }

  @Override
  protected void onDestroy() {
    cancel.set(true);
    playing = false;
    ui.removeCallbacksAndMessages(null);
    worker.shutdownNow();
    super.onDestroy();
  }

  // --- Choosing a clip ---------------------------------------------------------------------------

  private void pickVideo() {
    Intent pick;
    if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) {
      pick = new Intent(MediaStore.ACTION_PICK_IMAGES).setType("video/*"); // the photo picker
    } else {
      pick = new Intent(Intent.ACTION_GET_CONTENT).setType("video/*").addCategory(Intent.CATEGORY_OPENABLE);
    }
    startForResult(pick, REQUEST_PICK);
  }

  private void recordVideo() {
    Intent record = new Intent(MediaStore.ACTION_VIDEO_CAPTURE).putExtra(MediaStore.EXTRA_DURATION_LIMIT, RECORD_SECONDS);
    startForResult(record, REQUEST_RECORD);
  }

  private void startForResult(Intent intent, int request) {
    try {
      startActivityForResult(intent, request);
    } catch (ActivityNotFoundException e) {
      toast(getString(request == REQUEST_RECORD ? R.string.error_no_camera : R.string.error_video, e.getMessage()));
    }
  }

  @Override
  protected void onActivityResult(int requestCode, int resultCode, Intent data) {
    super.onActivityResult(requestCode, resultCode, data);
    Uri uri = data != null ? data.getData() : null;
    if (resultCode != RESULT_OK || uri == null) {
      return;
    }
    if (requestCode == REQUEST_PICK || requestCode == REQUEST_RECORD) {
      loadVideo(uri);
    } else if (requestCode == REQUEST_EXPORT) {
      export(uri);
    }
  }

  private void loadVideo(Uri uri) {
    FrameSampling sampling = new FrameSampling(MenuChoices.SAMPLING_FPS.get(samplingSpinner.getSelectedItemPosition()),
        VideoFrames.MAX_FRAMES);
    load(() -> VideoFrames.decode(this, uri, sampling, this::postDecoding, cancel::get));
  }

  private void loadDemo() {
    load(() -> VideoFrames.demo(this, this::postDecoding));
  }

  private interface ClipSource {
    VideoFrames.Clip get() throws IOException;
  }

  private void load(ClipSource source) {
    cancel.set(false);
    setMode(Mode.LOADING);
    worker.execute(() -> {
      try {
        VideoFrames.Clip c = source.get();
        ui.post(() -> showClip(c));
      } catch (IOException | RuntimeException e) {
        ui.post(() -> fail(getString(R.string.error_video, firstLine(e))));
      }
    });
  }

  private void postDecoding(int done, int total) {
    ui.post(() -> {
      status.setText(getString(R.string.status_decoding, done, total));
      progress.setMax(total);
      progress.setProgress(done);
    });
  }

  private void showClip(VideoFrames.Clip c) {
    clip = c;
    masks = null;
    RgbImage first = c.frames().get(0);
    sketch = c.firstMask() != null && c.firstMask().width() == first.width() && c.firstMask().height() == first.height()
        ? MaskSketch.of(c.firstMask()) : new MaskSketch(first.width(), first.height());
    int[] present = sketch.objectLabels();
    objectCount = Math.min(MAX_OBJECTS, Math.max(2, present.length == 0 ? 0 : present[present.length - 1]));
    selectObject(1);
    firstFrame = toBitmap(first);
    playerFrame = Bitmap.createBitmap(first.width(), first.height(), Bitmap.Config.ARGB_8888);
    frameView.setImage(firstFrame);
    frameView.setSketch(sketch);
    setMode(Mode.DRAW);
    status.setText(getString(R.string.status_draw, c.name(), c.frames().size(), first.width(), first.height()));
  }

  // --- Painting ----------------------------------------------------------------------------------

  private void addObject() {
    if (objectCount < MAX_OBJECTS) {
      objectCount++;
    }
    addObjectButton.setEnabled(objectCount < MAX_OBJECTS);
    selectObject(objectCount);
  }

  private void selectObject(int label) {
    currentObject = label;
    frameView.setLabel(label);
    eraserToggle.setChecked(false);
    buildSwatches();
  }

  /** One round swatch per object in its DAVIS colour; the selected one has a thick ring. */
  private void buildSwatches() {
    swatches.removeAllViews();
    int size = getResources().getDimensionPixelSize(R.dimen.swatch_size);
    int margin = getResources().getDimensionPixelSize(R.dimen.swatch_margin);
    for (int k = 1; k <= objectCount; k++) {
      final int label = k;
      View swatch = new View(this);
      GradientDrawable disc = new GradientDrawable();
      disc.setShape(GradientDrawable.OVAL);
      disc.setColor(0xFF000000 | Palette.DAVIS.rgb(k));
      boolean selected = k == currentObject;
      disc.setStroke(getResources().getDimensionPixelSize(selected ? R.dimen.swatch_stroke_selected : R.dimen.swatch_stroke),
          getColor(selected ? R.color.swatch_selected : R.color.swatch_unselected));
      swatch.setBackground(disc);
      swatch.setContentDescription(getString(R.string.object_n, k));
      swatch.setOnClickListener(v -> selectObject(label));
      swatch.setEnabled(mode == Mode.DRAW);
      LinearLayout.LayoutParams lp = new LinearLayout.LayoutParams(size, size);
      lp.setMarginEnd(margin);
      swatches.addView(swatch, lp);
    }
  }

  // --- Propagation -------------------------------------------------------------------------------

  private void onRunButton() {
    switch (mode) {
      case DRAW -> startPropagation();
      case RUNNING -> cancel.set(true);
      case RESULT -> backToPainting();
      default -> { }
    }
  }

  private void startPropagation() {
    if (sketch.objectLabels().length == 0) {
      toast(getString(R.string.error_no_object));
      return;
    }
    IndexMask first = sketch.toIndexMask();
    List<RgbImage> frames = clip.frames();
    RunSettings settings = RunSettings.defaults()
        .withProvider(MenuChoices.PROVIDERS.get(providerSpinner.getSelectedItemPosition()))
        .withLongerSide(MenuChoices.LONGER_SIDES.get(resolutionSpinner.getSelectedItemPosition()));
    cancel.set(false);
    setMode(Mode.RUNNING);
    progress.setMax(frames.size());
    progress.setProgress(0);
    status.setText(getString(R.string.status_loading_model, settings.provider()));
    worker.execute(() -> {
      long start = SystemClock.elapsedRealtime();
      try {
        Path model = installModel();
        try (OnnxEncoder encoder = OnnxEncoder.open(model, settings.encoderOptions())) {
          String provider = encoder.info().executionProvider();
          List<IndexMask> result = PropagationRun.run(encoder, settings, frames, first,
              (t, n, mask) -> ui.post(() -> showProgress(t, n, mask)), cancel::get);
          double seconds = (SystemClock.elapsedRealtime() - start) / 1000.0;
          ui.post(() -> showResult(result, seconds, provider));
        }
      } catch (CancellationException e) {
        ui.post(() -> {
          backToPainting();
          status.setText(R.string.status_cancelled);
        });
      } catch (IOException | RuntimeException | LinkageError e) {
        // LinkageError: ONNX Runtime's native library failed to load (e.g. an ABI the AAR lacks).
        ui.post(() -> fail(getString(R.string.error_run, firstLine(e))));
      }
    });
  }

  /**
   * The bundled encoder as a file: the build puts the default model of onnx-models' manifest in
   * assets/models; it is copied out once per install (see {@link ModelCache}).
   */
  private Path installModel() throws IOException {
    String[] names = getAssets().list(MODEL_ASSETS);
    String model = null;
    for (String n : names == null ? new String[0] : names) {
      if (n.endsWith(".onnx")) {
        model = n;
      }
    }
    if (model == null) {
      throw new IOException("no .onnx encoder in assets/" + MODEL_ASSETS);
    }
    String stamp;
    try {
      stamp = Long.toString(getPackageManager().getPackageInfo(getPackageName(), 0).lastUpdateTime);
    } catch (PackageManager.NameNotFoundException e) {
      throw new IOException("cannot read this app's own package info", e);
    }
    String asset = MODEL_ASSETS + "/" + model;
    return ModelCache.ensure(Paths.get(getFilesDir().getAbsolutePath(), "models"), stamp, model,
        () -> getAssets().open(asset));
  }

  private void showProgress(int frame, int total, IndexMask mask) {
    if (mode != Mode.RUNNING) {
      return;
    }
    progress.setProgress(frame + 1);
    status.setText(getString(R.string.status_running, frame + 1, total));
    showOverlay(clip.frames().get(frame), mask);
  }

  private void showResult(List<IndexMask> result, double seconds, String provider) {
    masks = result;
    setMode(Mode.RESULT);
    frameSeek.setMax(result.size() - 1);
    frameSeek.setProgress(0);
    showResultFrame(0);
    status.setText(getString(R.string.status_done, result.size(), seconds, provider));
    toast(getString(R.string.placeholder_model_notice));
  }

  private void backToPainting() {
    setPlaying(false);
    masks = null;
    frameView.setImage(firstFrame);
    setMode(Mode.DRAW);
  }

  // --- Player ------------------------------------------------------------------------------------

  private void showResultFrame(int t) {
    showOverlay(clip.frames().get(t), masks.get(t));
    frameLabel.setText(getString(R.string.frame_label, t + 1, masks.size()));
  }

  private void showOverlay(RgbImage frame, IndexMask mask) {
    int[] argb = ArgbImages.overlay(frame, mask, OVERLAY_ALPHA);
    playerFrame.setPixels(argb, 0, frame.width(), 0, 0, frame.width(), frame.height());
    frameView.setImage(playerFrame);
  }

  private void setPlaying(boolean play) {
    playing = play && masks != null;
    playButton.setText(playing ? R.string.pause : R.string.play);
    ui.removeCallbacks(playTick);
    if (playing) {
      ui.post(playTick);
    }
  }

  // --- Export ------------------------------------------------------------------------------------

  private void chooseExportTarget() {
    setPlaying(false);
    exportBase = ExportNames.base(clip.name(), LocalDateTime.now());
    Intent create = new Intent(Intent.ACTION_CREATE_DOCUMENT)
        .addCategory(Intent.CATEGORY_OPENABLE)
        .setType("application/zip")
        .putExtra(Intent.EXTRA_TITLE, ExportNames.archive(exportBase));
    startForResult(create, REQUEST_EXPORT);
  }

  private void export(Uri document) {
    List<RgbImage> frames = clip.frames();
    List<IndexMask> result = masks;
    long[] times = clip.timesUs();
    long delayMs = FrameSampling.playbackIntervalMs(times, 100);
    String gifName = ExportNames.overlay(exportBase);
    setMode(Mode.LOADING);
    worker.execute(() -> {
      try {
        Exporter.writeArchive(getContentResolver(), document, frames, result, times, OVERLAY_ALPHA, delayMs,
            (done, total) -> ui.post(() -> {
              status.setText(getString(R.string.status_exporting, done, total));
              progress.setMax(total);
              progress.setProgress(done);
            }));
        String saved = ExportNames.archive(exportBase);
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.Q) {
          Exporter.saveOverlayToGallery(getContentResolver(), gifName, frames, result, OVERLAY_ALPHA, delayMs);
          saved += ", Pictures/" + Exporter.GALLERY_FOLDER + "/" + gifName;
        }
        String message = getString(R.string.status_exported, saved);
        ui.post(() -> {
          setMode(Mode.RESULT);
          status.setText(message);
        });
      } catch (IOException | RuntimeException e) {
        ui.post(() -> fail(getString(R.string.error_export, firstLine(e))));
      }
    });
  }

  // --- State -------------------------------------------------------------------------------------

  private void setMode(Mode m) {
    mode = m;
    boolean idle = m == Mode.EMPTY || m == Mode.DRAW || m == Mode.RESULT;
    boolean draw = m == Mode.DRAW;
    openButton.setEnabled(idle);
    recordButton.setEnabled(idle);
    demoButton.setEnabled(idle);
    addObjectButton.setEnabled(draw && objectCount < MAX_OBJECTS);
    eraserToggle.setEnabled(draw);
    undoButton.setEnabled(draw && sketch != null && !sketch.strokes().isEmpty());
    clearButton.setEnabled(draw);
    brushSeek.setEnabled(draw);
    samplingSpinner.setEnabled(idle);
    providerSpinner.setEnabled(idle);
    resolutionSpinner.setEnabled(idle);
    runButton.setEnabled(m == Mode.DRAW || m == Mode.RUNNING || m == Mode.RESULT);
    runButton.setText(m == Mode.RUNNING ? R.string.cancel : m == Mode.RESULT ? R.string.edit_mask : R.string.propagate);
    progress.setVisibility(m == Mode.RUNNING || m == Mode.LOADING ? View.VISIBLE : View.INVISIBLE);
    boolean result = m == Mode.RESULT;
    playButton.setEnabled(result);
    frameSeek.setEnabled(result);
    exportButton.setEnabled(result);
    frameView.setPainting(draw);
    frameView.setLayerVisible(draw);
    if (!result) {
      frameLabel.setText("");
    }
    for (int i = 0; i < swatches.getChildCount(); i++) {
      swatches.getChildAt(i).setEnabled(draw);
    }
  }

  private void fail(String message) {
    if (clip != null && masks == null) {
      backToPainting(); // a failed run: show the painted frame again
    }
    setMode(clip == null ? Mode.EMPTY : masks != null ? Mode.RESULT : Mode.DRAW);
    status.setText(message);
    toast(message);
  }

  private void toast(String message) {
    Toast.makeText(this, message, Toast.LENGTH_LONG).show();
  }

  private static Bitmap toBitmap(RgbImage image) {
    Bitmap b = Bitmap.createBitmap(image.width(), image.height(), Bitmap.Config.ARGB_8888);
    b.setPixels(ArgbImages.toArgb(image), 0, image.width(), 0, 0, image.width(), image.height());
    return b;
  }

  /** The first line of an exception's message (runtime messages are one line; native ones may not be). */
  private static String firstLine(Throwable e) {
    String m = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /** A seek-bar listener that only cares about changes. */
  private abstract static class SeekBarListener implements SeekBar.OnSeekBarChangeListener {
    @Override
    public void onStartTrackingTouch(SeekBar bar) {}

    @Override
    public void onStopTrackingTouch(SeekBar bar) {}
  }
}
