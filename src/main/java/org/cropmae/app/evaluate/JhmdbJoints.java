package org.cropmae.app.evaluate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Matrix;

/**
 * A JHMDB {@code joint_positions.mat}: its {@code pos_img} array {@code [2, J, T]} (row 0 x, row 1
 * y, MATLAB 1-based pixels of the original frames; J = 15 in JHMDB), read with the MAT-file
 * library mfl-core.
 */
final class JhmdbJoints {
  /** JHMDB files are a few kB; anything this large is not one. */
  static final long MAX_FILE_BYTES = 64L << 20;

  private JhmdbJoints() {}

  /**
   * @return {@code [2][J][T]} as stored
   * @throws IOException naming the file when it is missing, too large, not a MAT file, or has no
   *     {@code pos_img} of shape {@code [2, J, T]}
   */
  static double[][][] read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file + ": joint positions file not found");
    }
    long size = Files.size(file);
    if (size > MAX_FILE_BYTES) {
      throw new IOException(file + ": " + size + " bytes is too large for a joint_positions.mat (limit " + MAX_FILE_BYTES + ")");
    }
    Matrix pos;
    try (Mat5File mat = Mat5.readFromFile(file.toFile())) {
      pos = mat.getMatrix("pos_img");
      return toArray(file, pos);
    } catch (IOException | RuntimeException e) {
      if (e instanceof IOException io && io.getMessage() != null && io.getMessage().startsWith(file.toString())) {
        throw io;
      }
      throw new IOException(file + ": not a readable JHMDB joint_positions.mat (" + EvaluationRunner.firstLine(e) + ")", e);
    }
  }

  private static double[][][] toArray(Path file, Matrix pos) throws IOException {
    int[] dims = pos.getDimensions();
    if (dims.length == 2) {
      dims = new int[] {dims[0], dims[1], 1}; // MATLAB drops a trailing singleton dimension
    }
    if (dims.length != 3 || dims[0] != 2 || dims[1] < 1 || dims[2] < 1) {
      throw new IOException(file + ": pos_img must be [2, joints, frames], found " + Arrays.toString(pos.getDimensions()));
    }
    double[][][] out = new double[2][dims[1]][dims[2]];
    int[] idx = new int[pos.getDimensions().length];
    for (int r = 0; r < 2; r++) {
      for (int j = 0; j < dims[1]; j++) {
        for (int t = 0; t < dims[2]; t++) {
          idx[0] = r;
          idx[1] = j;
          if (idx.length > 2) {
            idx[2] = t;
          }
          out[r][j][t] = pos.getDouble(idx);
        }
      }
    }
    return out;
  }
}
