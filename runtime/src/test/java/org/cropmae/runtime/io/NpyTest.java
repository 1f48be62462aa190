package org.cropmae.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
  @TempDir Path tmp;

  private static final int[][] SHAPES = {{}, {5}, {2, 3}, {2, 3, 4}, {2, 1, 3, 2}, {0, 3}};

  /** An array of {@code dtype} and {@code shape} whose values use the type's range (signs, extremes). */
  private static NpyArray sample(NpyDType dtype, int[] shape) {
    int n = (int) NpyArray.sizeOf(shape);
    return switch (dtype) {
      case FLOAT32 -> {
        float[] v = new float[n];
        float[] special = {-0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, Float.NaN, 1e-30f};
        for (int i = 0; i < n; i++) v[i] = i < special.length ? special[i] : (i - n / 2f) * 0.37f;
        yield NpyArray.ofFloat32(shape, v);
      }
      case FLOAT64 -> {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = i == 0 ? -Double.MAX_VALUE : Math.PI * (i - n / 2.0) * 1e-200;
        yield NpyArray.ofFloat64(shape, v);
      }
      case UINT8 -> {
        byte[] v = new byte[n];
        for (int i = 0; i < n; i++) v[i] = (byte) (i * 37 + 250);
        yield NpyArray.ofUint8(shape, v);
      }
      case INT32 -> {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = i == 0 ? Integer.MIN_VALUE : i * -1_000_003;
        yield NpyArray.ofInt32(shape, v);
      }
      case INT64 -> {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = i == 0 ? Long.MAX_VALUE : i * -1_000_000_000_007L;
        yield NpyArray.ofInt64(shape, v);
      }
    };
  }

  @Test
  void roundTripsEveryDtypeAndRankZeroToFour() throws IOException {
    for (NpyDType dtype : NpyDType.values()) {
      for (int[] shape : SHAPES) {
        NpyArray a = sample(dtype, shape);
        Path f = tmp.resolve(dtype + "_" + shape.length + "_" + Arrays.toString(shape).hashCode() + ".npy");
        Npy.write(f, a);
        NpyArray back = Npy.read(f);
        String what = dtype + " " + Arrays.toString(shape);
        assertEquals(a, back, what);
        assertEquals(dtype, back.dtype(), what);
        assertArrayEquals(shape, back.shape(), what);
        byte[] bytes = Files.readAllBytes(f);
        int headerLen = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        assertEquals(0, (10 + headerLen) % 64, what + ": data starts on a 64-byte boundary as NumPy writes it");
        assertEquals(10 + headerLen + (long) a.size() * dtype.bytes(), bytes.length, what);
      }
    }
  }

  @Test
  void writesTheHeaderNumpyWrites() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, NpyArray.ofFloat32(new int[] {3}, new float[] {1, 2, 3}));
    String header = new String(out.toByteArray(), 10, 118, StandardCharsets.ISO_8859_1);
    assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", header.strip());
    out.reset();
    Npy.write(out, NpyArray.ofUint8(new int[] {}, new byte[] {7}));
    assertTrue(new String(out.toByteArray(), StandardCharsets.ISO_8859_1).contains("'descr': '|u1', 'fortran_order': False, 'shape': ()"));
  }

  @Test
  void readsTheReferenceFixtures() {
    NpyArray in = ReferenceResources.npy("resize_in.npy");
    assertEquals(NpyDType.FLOAT32, in.dtype());
    assertArrayEquals(new int[] {17, 29, 5}, in.shape());
    float[] v = in.toFloatArray();
    float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
    for (float x : v) {
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    assertEquals(0.00017687726f, min); // from numpy: a.min(), a.max()
    assertEquals(0.9999649f, max);
    assertArrayEquals(new int[] {53, 91, 5}, ReferenceResources.npy("resize_up_53x91.npy").shape());
    assertArrayEquals(new int[] {7, 11, 5}, ReferenceResources.npy("resize_down_7x11.npy").shape());
    assertArrayEquals(new int[] {20, 30, 3}, ReferenceResources.npy("prop_label0.npy").shape());
    assertArrayEquals(new int[] {12, 20, 30, 3}, ReferenceResources.npy("prop_expected_soft.npy").shape());
    NpyArray masks = ReferenceResources.npy("prop_masks_true.npy");
    assertEquals(NpyDType.UINT8, masks.dtype());
    assertArrayEquals(new int[] {12, 320, 480}, masks.shape());
    assertEquals(NpyDType.UINT8, ReferenceResources.npy("prop_expected_masks.npy").dtype());
  }

  /** A version 1.0 file with a hand-written header dict and data. */
  private static byte[] handMade(String dict, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    String header = dict + " ".repeat(63 - (10 + dict.length()) % 64) + "\n";
    out.write(header.length() & 0xFF);
    out.write(header.length() >>> 8);
    out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(data);
    return out.toByteArray();
  }

  @Test
  void readsBigEndianData() throws IOException {
    byte[] file = handMade("{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }", new byte[] {0, 0, 1, 2, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE});
    NpyArray a = Npy.read(new ByteArrayInputStream(file));
    assertArrayEquals(new long[] {258, -2}, a.toLongArray());
  }

  private IOException readFails(String name, byte[] bytes) throws IOException {
    Path f = tmp.resolve(name);
    Files.write(f, bytes);
    IOException e = assertThrows(IOException.class, () -> Npy.read(f));
    assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
    return e;
  }

  @Test
  void truncatedFilesFailNamingTheFile() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, sample(NpyDType.FLOAT32, new int[] {4, 4}));
    byte[] good = out.toByteArray();
    for (int len : new int[] {3, 9, 40, good.length - 1}) {
      IOException e = readFails("cut" + len + ".npy", Arrays.copyOf(good, len));
      assertTrue(e.getMessage().contains("truncated"), len + ": " + e.getMessage());
    }
    // The same through a stream, where the size is not known in advance.
    IOException e = assertThrows(IOException.class,
        () -> Npy.read(new ByteArrayInputStream(Arrays.copyOf(good, good.length - 5))));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void refusesBadMagicFortranOrderAndUnknownTypes() throws IOException {
    IOException e = readFails("magic.npy", "PK\3\4 this is a zip".getBytes(StandardCharsets.ISO_8859_1));
    assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
    e = readFails("fortran.npy", handMade("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new byte[16]));
    assertTrue(e.getMessage().contains("Fortran-order arrays are not supported"), e.getMessage());
    e = readFails("complex.npy", handMade("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8]));
    assertTrue(e.getMessage().contains("unsupported dtype '<c8'"), e.getMessage());
    e = readFails("header.npy", handMade("{'shape': (1,), }", new byte[4]));
    assertTrue(e.getMessage().contains("malformed header"), e.getMessage());
    Path missing = tmp.resolve("none.npy");
    e = assertThrows(IOException.class, () -> Npy.read(missing));
    assertEquals(missing + ": no such file", e.getMessage());
  }
}
