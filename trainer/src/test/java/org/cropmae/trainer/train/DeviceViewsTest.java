package org.cropmae.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.cropmae.trainer.data.Batch;
import org.cropmae.trainer.data.ViewConfig;
import org.cropmae.trainer.data.ViewSampler;
import org.cropmae.trainer.model.CropMaeModel;
import org.junit.jupiter.api.Test;

class DeviceViewsTest {
  @Test
  void deviceNormalisationIsBitIdenticalToTheSamplersOnEveryByteAndChannel() {
    int s = 16;
    ViewSampler sampler = new ViewSampler(ViewConfig.paperImageNet().toBuilder().inputSize(s).build());
    // Two images x two views x 3 channels x 16 x 16: every byte value appears in every channel plane.
    byte[] pixels = new byte[2 * 2 * 3 * s * s];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 7 + i / (s * s));
    }
    Batch batch = new Batch(0, 0, pixels, new int[] {2, 2, 3, s, s}, new int[] {0, 1});
    float[] cpu = new float[pixels.length];
    sampler.normalise(pixels, 0, pixels.length, cpu, 0);
    try (DeviceViews views = new DeviceViews(Device.cpu(), sampler.normalisationTable());
        NDManager step = NDManager.newBaseManager(Device.cpu(), CropMaeModel.ENGINE)) {
      NDArray on = views.upload(step, batch);
      assertEquals(new ai.djl.ndarray.types.Shape(2, 2, 3, s, s), on.getShape());
      assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, on.getDataType());
      assertArrayEquals(cpu, on.toFloatArray());
    }
    // The table really differs per channel, so a channel mix-up cannot pass.
    float[] t = sampler.normalisationTable();
    assertFalse(t[100] == t[256 + 100] || t[256 + 100] == t[512 + 100]);
  }
}
