package org.cropmae.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class ComputeDeviceTest {

  @Test
  void autoPrefersCuda() {
    assertEquals(Device.gpu(0), ComputeDevice.resolve("auto", 2));
    assertEquals(Device.cpu(), ComputeDevice.resolve("auto", 0));
  }

  @Test
  void explicitDevices() {
    assertEquals(Device.cpu(), ComputeDevice.resolve("cpu", 1));
    assertEquals(Device.cpu(), ComputeDevice.resolve(" CPU ", 0));
    assertEquals(Device.gpu(0), ComputeDevice.resolve("gpu", 1));
    assertEquals(Device.gpu(1), ComputeDevice.resolve("gpu:1", 2));
    assertEquals(Device.gpu(1), ComputeDevice.resolve("cuda:1", 2));
  }

  @Test
  void autoFollowsTheEnginesGpuCount() {
    // CPU-only libtorch (CI's) gives the CPU; a CUDA libtorch with a GPU gives gpu(0): the same
    // rule as resolve("auto", n), applied to what the engine reports.
    int gpus = ai.djl.engine.Engine.getEngine(CropMaeModel.ENGINE).getGpuCount();
    assertEquals(gpus > 0 ? Device.gpu(0) : Device.cpu(), ComputeDevice.resolve("auto"));
  }

  @Test
  void rejectsMissingOrUnknownDevices() {
    assertMessage("not present", () -> ComputeDevice.resolve("gpu", 0));
    assertMessage("not present", () -> ComputeDevice.resolve("gpu:2", 2));
    assertMessage("not a device index", () -> ComputeDevice.resolve("gpu:x", 2));
    assertMessage("not a device index", () -> ComputeDevice.resolve("gpu:-1", 2));
    assertMessage("not one of", () -> ComputeDevice.resolve("tpu", 2));
    assertMessage("must not be null", () -> ComputeDevice.resolve(null, 2));
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable ex) {
    var e = assertThrows(IllegalArgumentException.class, ex);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
