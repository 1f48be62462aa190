package org.cropmae.trainer.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/** Turns a device option ({@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N}) into a DJL device. */
public final class ComputeDevice {
  private static final System.Logger LOG = System.getLogger(ComputeDevice.class.getName());

  private ComputeDevice() {}

  /**
   * Resolves a device option against the CUDA devices the PyTorch engine sees.
   *
   * <ul>
   *   <li>{@code auto}: the first CUDA device if there is one, otherwise the CPU (logged once per call
   *       at INFO);
   *   <li>{@code cpu};
   *   <li>{@code gpu} or {@code cuda}: CUDA device 0; {@code gpu:N} / {@code cuda:N}: device N.
   * </ul>
   *
   * @throws IllegalArgumentException for an unknown option or a CUDA device that is not present
   */
  public static Device resolve(String spec) {
    return resolve(spec, Engine.getEngine(CropMaeModel.ENGINE).getGpuCount());
  }

  /** {@link #resolve(String)} with the number of CUDA devices given (for tests). */
  static Device resolve(String spec, int gpuCount) {
    if (spec == null) {
      throw new IllegalArgumentException("device must not be null (use auto, cpu, gpu or gpu:N)");
    }
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("auto")) {
      if (gpuCount > 0) {
        return Device.gpu(0);
      }
      LOG.log(System.Logger.Level.INFO, "device auto: no CUDA device found, running on the CPU");
      return Device.cpu();
    }
    if (s.equals("cpu")) {
      return Device.cpu();
    }
    int index;
    if (s.equals("gpu") || s.equals("cuda")) {
      index = 0;
    } else if (s.startsWith("gpu:") || s.startsWith("cuda:")) {
      String n = s.substring(s.indexOf(':') + 1);
      try {
        index = Integer.parseInt(n);
      } catch (NumberFormatException e) {
        index = -1;
      }
      if (index < 0) {
        throw new IllegalArgumentException("device '" + spec + "': '" + n + "' is not a device index");
      }
    } else {
      throw new IllegalArgumentException("device '" + spec + "' is not one of auto, cpu, gpu, gpu:N");
    }
    if (index >= gpuCount) {
      throw new IllegalArgumentException("device '" + spec + "': CUDA device " + index + " is not present ("
          + gpuCount + " found; the CPU-only PyTorch native library sees none)");
    }
    return Device.gpu(index);
  }
}
