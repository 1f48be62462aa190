package org.cropmae.trainer.checkpoint;

/**
 * Why a pickle could not be read: corrupt or tampered bytes, or content the safe reader refuses.
 * The checkpoint reader turns it into an {@link java.io.IOException} naming the file.
 */
final class PickleException extends Exception {
  PickleException(String message) {
    super(message);
  }
}
