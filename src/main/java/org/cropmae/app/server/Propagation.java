package org.cropmae.app.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.cropmae.runtime.image.RgbImage;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.PalettePng;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.cropmae.runtime.preprocess.ImageSize;
import org.cropmae.runtime.propagation.ComputePool;
import org.cropmae.runtime.propagation.PropagationConfig;
import org.cropmae.runtime.video.MaskPropagator;

/**
 * The work of {@code POST /v1/propagate}: streams the frames through a {@link MaskPropagator} one
 * at a time (only the current frame is decoded at any moment) and packs the masks, as palette
 * PNGs, into a zip.
 */
final class Propagation {
  private Propagation() {}

  /**
   * What {@link #validate} found out before any pixel was decoded.
   *
   * @param frameSize the size of every frame (and of the mask)
   * @param names the output file name of each frame
   */
  record Plan(ImageSize frameSize, List<String> names) {}

  /**
   * Checks what can be checked without decoding pixels: frame count and sizes from the headers,
   * one size for all frames, output names, and the mask's size.
   *
   * @throws HttpError 400 or 413
   */
  static Plan validate(List<NamedBytes> frames, NamedBytes mask, ServerLimits limits) {
    List<ImageSize> sizes = UploadedImages.sizes(frames, limits);
    ImageSize first = sizes.get(0);
    for (int t = 1; t < sizes.size(); t++) {
      if (!sizes.get(t).equals(first)) {
        throw HttpError.badRequest(frames.get(t).name() + ": is " + sizes.get(t) + " but the first frame is " + first
            + " (height x width); all frames must have one size");
      }
    }
    UploadedImages.checkMaskHeader(mask, first);
    return new Plan(first, outputNames(frames));
  }

  /**
   * Propagates {@code firstMask} through {@code frames}.
   *
   * @param plan what {@link #validate} returned for these frames
   * @param onFrame told after each frame (the frame index), for metrics
   * @return a zip with one palette PNG per frame, in frame order; frame 0's is the given mask
   */
  static byte[] run(OnnxEncoder encoder, ComputePool pool, PropagationConfig config, List<NamedBytes> frames,
      NamedBytes firstMask, Plan plan, WorkPool.Deadline deadline, IntConsumer onFrame) {
    ImageSize size = plan.frameSize();
    List<String> names = plan.names();
    IndexMask mask = UploadedImages.mask(firstMask, size);
    RgbImage first = UploadedImages.decode(frames.get(0), size);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      put(zip, names.get(0), PalettePng.encode(mask));
      onFrame.accept(0);
      MaskPropagator video;
      try {
        video = MaskPropagator.builder(encoder, config).pool(pool).start(first, mask);
      } catch (IllegalArgumentException e) {
        throw HttpError.badRequest("frame 0 (" + frames.get(0).name() + "): " + e.getMessage());
      }
      try (video) {
        for (int t = 1; t < frames.size(); t++) {
          deadline.check();
          RgbImage frame = UploadedImages.decode(frames.get(t), size);
          IndexMask next;
          try {
            next = video.next(frame);
          } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(frames.get(t).name() + ": " + e.getMessage());
          }
          put(zip, names.get(t), PalettePng.encode(next));
          onFrame.accept(t);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory zip failed", e);
    }
    return bytes.toByteArray();
  }

  /** Stored (PNG is already compressed), with the CRC and sizes in the entry header. */
  static void put(ZipOutputStream zip, String name, byte[] png) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(png.length);
    e.setCompressedSize(png.length);
    CRC32 crc = new CRC32();
    crc.update(png);
    e.setCrc(crc.getValue());
    zip.putNextEntry(e);
    zip.write(png);
    zip.closeEntry();
  }

  /** Each frame's file name with its extension replaced by {@code .png}; {@code 00012.png} for a nameless frame 12. */
  static List<String> outputNames(List<NamedBytes> frames) {
    Set<String> seen = new HashSet<>();
    List<String> names = new java.util.ArrayList<>(frames.size());
    for (int t = 0; t < frames.size(); t++) {
      String f = frames.get(t).fileName();
      String name;
      if (f.isEmpty()) {
        name = String.format(java.util.Locale.ROOT, "%05d.png", t);
      } else {
        int dot = f.lastIndexOf('.');
        name = (dot > 0 ? f.substring(0, dot) : f) + ".png";
      }
      if (!seen.add(name)) {
        throw HttpError.badRequest(frames.get(t).name() + ": a second frame would give the mask " + name);
      }
      names.add(name);
    }
    return names;
  }
}
