package org.cropmae.android.demo.logic;

import java.util.List;
import org.cropmae.runtime.onnx.EncoderOptions;

/**
 * What the app's drop-down menus offer, in menu order. Their labels are string arrays in
 * {@code res/values/strings.xml} ({@code sampling_choices}, {@code provider_choices},
 * {@code resolution_choices}) in the same order; the JVM check compares the two.
 */
public final class MenuChoices {
  /** Sampling rates in frames per second. */
  public static final List<Integer> SAMPLING_FPS = List.of(5, 10, 15, 30);
  /** Position of the sampling rate selected at start (10 fps). */
  public static final int DEFAULT_SAMPLING = 1;
  /** Execution providers. */
  public static final List<EncoderOptions.ExecutionProvider> PROVIDERS = RunSettings.PROVIDERS;
  /** Encoder input sizes (longer side in pixels). */
  public static final List<Integer> LONGER_SIDES = List.of(RunSettings.FAST, RunSettings.DAVIS);

  private MenuChoices() {}
}
