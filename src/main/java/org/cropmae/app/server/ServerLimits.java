package org.cropmae.app.server;

/**
 * What one request may ask of the server. Every limit is checked before the work it guards: the
 * request size from {@code Content-Length} before the body is read, image sizes from their headers
 * before any pixel is decoded, zip sizes while entries are inflated in memory.
 *
 * @param maxRequestBytes largest request body in bytes (413 above)
 * @param maxFrames most frames (or images) in one request (413 above)
 * @param maxPixelsPerFrame most pixels (height x width) of one image (413 above)
 * @param maxTotalPixels most pixels of all images of one request together (413 above)
 * @param maxZipEntries most entries, folders included, in an uploaded zip (413 above)
 * @param maxUncompressedBytes most bytes all entries of an uploaded zip inflate to together (413 above)
 * @param maxCompressionRatio largest uncompressed/compressed ratio of one zip entry; image files
 *     hardly compress, so a high ratio is a zip bomb (413 above)
 * @param maxResponseBytes largest feature array {@code /v1/embed} computes (N x tokens x D x 4
 *     bytes), checked before encoding (413 above)
 * @param maxVideoSeconds longest uploaded video, in seconds, from its container header (413 above);
 *     its frames also count against {@code maxFrames} and {@code maxTotalPixels}, estimated from the
 *     header before decoding
 */
public record ServerLimits(
    long maxRequestBytes,
    int maxFrames,
    long maxPixelsPerFrame,
    long maxTotalPixels,
    int maxZipEntries,
    long maxUncompressedBytes,
    int maxCompressionRatio,
    long maxResponseBytes,
    int maxVideoSeconds) {

  public ServerLimits {
    positive(maxRequestBytes, "maxRequestBytes");
    positive(maxFrames, "maxFrames");
    positive(maxPixelsPerFrame, "maxPixelsPerFrame");
    positive(maxTotalPixels, "maxTotalPixels");
    positive(maxZipEntries, "maxZipEntries");
    positive(maxUncompressedBytes, "maxUncompressedBytes");
    positive(maxCompressionRatio, "maxCompressionRatio");
    positive(maxResponseBytes, "maxResponseBytes");
    positive(maxVideoSeconds, "maxVideoSeconds");
    if (maxRequestBytes > Integer.MAX_VALUE - 8) {
      // Bodies are held in memory as byte arrays.
      throw new IllegalArgumentException("maxRequestBytes must be below 2 GiB, got " + maxRequestBytes);
    }
  }

  /**
   * 64 MiB requests, 500 frames of at most 4096x4096 pixels and 500 DAVIS frames (480x880) worth of
   * pixels in all, zips of at most 1000 entries inflating to at most 256 MiB with a ratio of at most
   * 100, feature arrays of at most 256 MiB, videos of at most 600 s.
   */
  public static ServerLimits defaults() {
    return new ServerLimits(64L << 20, 500, 4096L * 4096, 500L * 480 * 880, 1000, 256L << 20, 100, 256L << 20, 600);
  }

  public ServerLimits withMaxRequestBytes(long value) {
    return new ServerLimits(value, maxFrames, maxPixelsPerFrame, maxTotalPixels, maxZipEntries, maxUncompressedBytes,
        maxCompressionRatio, maxResponseBytes, maxVideoSeconds);
  }

  public ServerLimits withMaxFrames(int value) {
    return new ServerLimits(maxRequestBytes, value, maxPixelsPerFrame, maxTotalPixels, maxZipEntries, maxUncompressedBytes,
        maxCompressionRatio, maxResponseBytes, maxVideoSeconds);
  }

  public ServerLimits withMaxPixelsPerFrame(long value) {
    return new ServerLimits(maxRequestBytes, maxFrames, value, maxTotalPixels, maxZipEntries, maxUncompressedBytes,
        maxCompressionRatio, maxResponseBytes, maxVideoSeconds);
  }

  public ServerLimits withMaxTotalPixels(long value) {
    return new ServerLimits(maxRequestBytes, maxFrames, maxPixelsPerFrame, value, maxZipEntries, maxUncompressedBytes,
        maxCompressionRatio, maxResponseBytes, maxVideoSeconds);
  }

  public ServerLimits withMaxZipEntries(int value) {
    return new ServerLimits(maxRequestBytes, maxFrames, maxPixelsPerFrame, maxTotalPixels, value, maxUncompressedBytes,
        maxCompressionRatio, maxResponseBytes, maxVideoSeconds);
  }

  public ServerLimits withMaxUncompressedBytes(long value) {
    return new ServerLimits(maxRequestBytes, maxFrames, maxPixelsPerFrame, maxTotalPixels, maxZipEntries, value,
        maxCompressionRatio, maxResponseBytes, maxVideoSeconds);
  }

  public ServerLimits withMaxCompressionRatio(int value) {
    return new ServerLimits(maxRequestBytes, maxFrames, maxPixelsPerFrame, maxTotalPixels, maxZipEntries, maxUncompressedBytes,
        value, maxResponseBytes, maxVideoSeconds);
  }

  public ServerLimits withMaxResponseBytes(long value) {
    return new ServerLimits(maxRequestBytes, maxFrames, maxPixelsPerFrame, maxTotalPixels, maxZipEntries, maxUncompressedBytes,
        maxCompressionRatio, value, maxVideoSeconds);
  }

  public ServerLimits withMaxVideoSeconds(int value) {
    return new ServerLimits(maxRequestBytes, maxFrames, maxPixelsPerFrame, maxTotalPixels, maxZipEntries, maxUncompressedBytes,
        maxCompressionRatio, maxResponseBytes, value);
  }

  private static void positive(long v, String name) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + v);
    }
  }
}
