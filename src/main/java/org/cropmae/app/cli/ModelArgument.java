package org.cropmae.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cropmae.runtime.io.NpyArray;
import org.cropmae.runtime.io.Sha256;
import org.cropmae.runtime.model.ModelRegistry;
import org.cropmae.runtime.onnx.EncoderContract;
import org.cropmae.runtime.onnx.EncoderOptions;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.cropmae.trainer.checkpoint.TorchCheckpoint;
import org.cropmae.trainer.export.EncoderArchitecture;
import org.cropmae.trainer.export.OnnxEncoderExporter;
import org.cropmae.trainer.export.OnnxWriter;

/**
 * Opens the encoder a {@code --model} argument names, the same way in every command: an ONNX file, a registry name, an
 * {@code https://...#sha256=} address, or a PyTorch checkpoint (official or ours), which is read
 * with the safe checkpoint reader (nothing in it is executed) and converted to ONNX in memory.
 */
public final class ModelArgument {
  private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

  private ModelArgument() {}

  /** An open encoder and what identifies its weights. */
  public record Opened(OnnxEncoder encoder, String description, String sha256) implements AutoCloseable {
    @Override
    public void close() {
      encoder.close();
    }
  }

  /**
   * Opens {@code spec}.
   *
   * @throws IOException naming {@code spec} when it cannot be found, read or converted
   * @throws IllegalArgumentException when a registry name is unknown or a checkpoint's tensors do
   *     not form an encoder
   */
  public static Opened open(String spec, EncoderOptions options) throws IOException {
    Path file = Path.of(spec);
    if (Files.isRegularFile(file) && isZip(file)) {
      TorchCheckpoint ckpt = TorchCheckpoint.read(file);
      Map<String, NpyArray> stateDict = ckpt.stateDictFloat32();
      String sha = Sha256.of(file);
      byte[] onnx;
      EncoderArchitecture arch;
      try {
        arch = EncoderArchitecture.infer(stateDict);
        onnx = OnnxWriter.toByteArray(OnnxEncoderExporter.buildModel(stateDict, arch,
            Map.of(EncoderContract.SOURCE_SHA256, sha)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
      }
      OnnxEncoder encoder = OnnxEncoder.open(onnx, file, options);
      return new Opened(encoder, file + " (checkpoint, " + arch.name() + ", converted in memory)", sha);
    }
    Path model = ModelRegistry.bundled().resolve(spec);
    OnnxEncoder encoder = OnnxEncoder.open(model, options);
    return new Opened(encoder, spec.equals(model.toString()) ? spec : spec + " (" + model + ")", Sha256.of(model));
  }

  private static boolean isZip(Path file) throws IOException {
    byte[] head = new byte[4];
    try (InputStream in = Files.newInputStream(file)) {
      if (in.readNBytes(head, 0, 4) < 4) {
        return false;
      }
    }
    return java.util.Arrays.equals(head, ZIP_MAGIC);
  }
}
