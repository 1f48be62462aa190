package org.cropmae.app.video;

import org.bytedeco.ffmpeg.global.avutil;

/**
 * FFmpeg's own logging, off by default: bad input is reported in one line by the callers, not by
 * FFmpeg's multi-line stderr chatter. {@code -Dcropmae.ffmpeg.log=true} turns it back on (level info).
 */
final class FfmpegLog {
  private static volatile boolean done;

  private FfmpegLog() {}

  static void quiet() {
    if (done) {
      return;
    }
    done = true;
    avutil.av_log_set_level(Boolean.getBoolean("cropmae.ffmpeg.log") ? avutil.AV_LOG_INFO : avutil.AV_LOG_QUIET);
  }
}
