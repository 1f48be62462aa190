package org.cropmae.trainer.checkpoint;

/**
 * A storage record a checkpoint's pickle refers to by persistent id
 * {@code ('storage', <storage type>, key, location, numel)}; its bytes are the zip record
 * {@code <archive>/data/<key>}.
 *
 * @param key the record name under {@code data/}
 * @param dtype element type of the storage (uint8 for an untyped storage)
 * @param numel number of elements of {@code dtype} (bytes for an untyped storage)
 * @param location the device it was saved from, e.g. {@code cpu} or {@code cuda:0} (informational)
 * @param untyped whether it is a {@code torch.UntypedStorage}, whose bytes a tensor may view as any dtype
 */
record StorageRef(String key, TorchDType dtype, long numel, String location, boolean untyped) {

  /** Size of the storage in bytes. */
  long byteSize() {
    return Math.multiplyExact(numel, (long) dtype.bytes());
  }
}
