package org.cropmae.app.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.function.IntConsumer;
import java.util.zip.ZipOutputStream;
import org.cropmae.app.video.FfmpegFrameSource;
import org.cropmae.app.video.FrameSelection;
import org.cropmae.app.video.VideoPropagation;
import org.cropmae.app.video.VideoWriter;
import org.cropmae.runtime.mask.IndexMask;
import org.cropmae.runtime.mask.MaskOverlay;
import org.cropmae.runtime.mask.PalettePng;
import org.cropmae.runtime.onnx.OnnxEncoder;
import org.cropmae.runtime.preprocess.ImageSize;
import org.cropmae.runtime.propagation.ComputePool;
import org.cropmae.runtime.propagation.PropagationConfig;
import org.cropmae.runtime.video.MaskPropagator;

/**
 * {@code POST /v1/propagate} with a {@code video} part: the video is decoded from memory with
 * FFmpeg, one frame at a time, after its header was checked against the limits.
 */
final class VideoRequest {
  private VideoRequest() {}

  /**
   * What the header said, checked.
   *
   * @param frameSize displayed frame size
   * @param frames upper bound of the frames propagated (for progress and limits)
   * @param fps frame rate of the output (source rate / every)
   */
  record Plan(ImageSize frameSize, long frames, double fps) {}

  /**
   * Opens the video's header (no frame is returned yet) and checks size, duration, frame count and
   * total pixels against the limits, and the mask's PNG header.
   *
   * @throws HttpError 400 (not a video, no video stream, bad mask), 413 (a limit), 415 (not decodable)
   */
  static Plan validate(NamedBytes video, NamedBytes mask, FrameSelection selection, ServerLimits limits) {
    try (FfmpegFrameSource src = open(video)) {
      long pixels = (long) src.width() * src.height();
      if (pixels > limits.maxPixelsPerFrame()) {
        throw HttpError.tooLarge(video.name() + ": frames of " + src.width() + "x" + src.height()
            + " (width x height) exceed the limit of " + limits.maxPixelsPerFrame() + " pixels per frame");
      }
      double duration = src.durationSeconds();
      if (duration > limits.maxVideoSeconds()) {
        throw HttpError.tooLarge(String.format(Locale.ROOT, "%s: the video lasts %.1f s, over the limit of %d s; send a shorter clip",
            video.name(), duration, limits.maxVideoSeconds()));
      }
      long frames = selection.estimatedFrames(src);
      if (frames < 0) {
        frames = limits.maxFrames(); // the header says nothing: decoding stops at the limit
      }
      if (frames > limits.maxFrames()) {
        throw HttpError.tooLarge(video.name() + ": about " + frames + " frames selected exceed the limit of " + limits.maxFrames()
            + " per request; send max_frames, every, start or end");
      }
      if (frames * pixels > limits.maxTotalPixels()) {
        throw HttpError.tooLarge(video.name() + ": " + frames + " frames of " + src.width() + "x" + src.height() + " exceed the limit of "
            + limits.maxTotalPixels() + " decoded pixels per request; send max_frames, every, start or end");
      }
      ImageSize m = UploadedImages.size(mask, limits);
      String misfit = VideoPropagation.sizeMismatch(m.height(), m.width(), mask.name(), src);
      if (misfit != null) {
        throw HttpError.badRequest(misfit); // from the PNG header, before any frame is decoded
      }
      double fps = selection.outputFrameRate(src);
      return new Plan(new ImageSize(src.height(), src.width()), frames, fps > 0 ? fps : 10.0 / selection.every());
    } catch (IOException e) {
      throw HttpError.badRequest(ZipUploads.oneLine(e));
    }
  }

  /**
   * What a video propagation made.
   *
   * @param masks a zip of palette PNG masks named by source frame number ({@code 00042.png}), or {@code null}
   * @param overlay the overlay video, or {@code null}
   */
  record Outputs(byte[] masks, byte[] overlay) {}

  /**
   * Propagates the mask through the selected frames.
   *
   * @param masks whether to make the zip of masks
   * @param overlay the format of the overlay video to make, or {@code null} for none
   * @param onFrame told after each frame (frames done so far)
   */
  static Outputs run(OnnxEncoder encoder, ComputePool pool, PropagationConfig config, NamedBytes video, NamedBytes maskPng,
      FrameSelection selection, ServerLimits limits, Plan plan, boolean masks, VideoWriter.Format overlay,
      WorkPool.Deadline deadline, IntConsumer onFrame) {
    IndexMask mask;
    try {
      mask = PalettePng.decode(maskPng.bytes(), maskPng.name(), null);
    } catch (IOException e) {
      throw HttpError.badRequest(ZipUploads.oneLine(e));
    }
    FrameSelection capped = selection.maxFrames() > 0 && selection.maxFrames() <= limits.maxFrames() ? selection
        : new FrameSelection(selection.start(), selection.end(), selection.every(), limits.maxFrames(), selection.maskFrame(),
            selection.maskTime());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (FfmpegFrameSource src = open(video);
        ZipOutputStream zip = masks ? new ZipOutputStream(bytes) : null;
        VideoWriter writer = overlay == null ? null
            : VideoWriter.inMemory(overlay, plan.frameSize().width(), plan.frameSize().height(), plan.fps())) {
      int[] done = {0};
      VideoPropagation.run(src, capped, mask, maskPng.name(), (first, m) -> {
        try {
          return MaskPropagator.builder(encoder, config).pool(pool).start(first, m);
        } catch (IllegalArgumentException e) {
          throw HttpError.badRequest(video.name() + ": " + e.getMessage());
        }
      }, (frame, m) -> {
        deadline.check();
        if (zip != null) {
          Propagation.put(zip, String.format(Locale.ROOT, "%05d.png", frame.sourceIndex()), PalettePng.encode(m));
        }
        if (writer != null) {
          writer.write(MaskOverlay.draw(frame.image(), m, 0.5f));
        }
        onFrame.accept(++done[0]);
      });
      byte[] overlayBytes = writer == null ? null : writer.finishBytes();
      if (zip != null) {
        zip.finish();
      }
      return new Outputs(zip == null ? null : bytes.toByteArray(), overlayBytes);
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest(ZipUploads.oneLine(e));
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(video.name())) {
        throw HttpError.badRequest(ZipUploads.oneLine(e));
      }
      throw new UncheckedIOException(e);
    }
  }

  private static FfmpegFrameSource open(NamedBytes video) throws IOException {
    try {
      return FfmpegFrameSource.open(video.bytes(), video.name());
    } catch (IOException e) {
      throw new HttpError(e.getMessage() != null && e.getMessage().contains("not a readable video") ? 415 : 400,
          ZipUploads.oneLine(e), java.util.Map.of());
    }
  }
}
