package org.cropmae.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pickle interpreter on its own, against pickles written by CPython. */
class PickleMachineTest {
  /**
   * {@code pickle.dumps(obj, protocol=p)} for p = 0..5 from CPython 3 (generated once during development),
   * where {@code obj = {'a': [1, 2.5, 'x', None, True, False], 'b': (1, 2, 3, 4), 'c': {7},
   * 'd': b'\x00\xff', 'big': 2**70, 'neg': -5, 'u': '\u00e9\u20ac', 't': (), 'n': -2**40, 'f': float('inf')}}.
   */
  private static final String[] PROTOCOLS = {
    "286470300a56610a70310a286c70320a49310a6146322e350a6156780a70330a614e614930310a614930300a617356620a70340a2849310a49320a49330a49340a7470350a7356630a70360a635f5f6275696c74696e5f5f0a7365740a70370a28286c70380a49370a617470390a527031300a7356640a7031310a635f636f646563730a656e636f64650a7031320a28565c7530303030ff0a7031330a566c6174696e310a7031340a747031350a527031360a73566269670a7031370a4c313138303539313632303731373431313330333432344c0a73566e65670a7031380a492d350a7356750a7031390a56e95c75323061630a7032300a7356740a7032310a287473566e0a7032320a4c2d313039393531313632373737364c0a7356660a7032330a46696e660a732e",
    "7d71002858010000006171015d7102284b0147400400000000000058010000007871034e4930310a4930300a655801000000627104284b014b024b034b047471055801000000637106635f5f6275696c74696e5f5f0a7365740a7107285d71084b076174710952710a580100000064710b635f636f646563730a656e636f64650a710c28580300000000c3bf710d58060000006c6174696e31710e74710f527110580300000062696771114c313138303539313632303731373431313330333432344c0a58030000006e656771124afbffffff58010000007571135805000000c3a9e282ac711458010000007471152958010000006e71164c2d313039393531313632373737364c0a5801000000667117477ff0000000000000752e",
    "80027d71002858010000006171015d7102284b0147400400000000000058010000007871034e8889655801000000627104284b014b024b034b047471055801000000637106635f5f6275696c74696e5f5f0a7365740a71075d71084b076185710952710a580100000064710b635f636f646563730a656e636f64650a710c580300000000c3bf710d58060000006c6174696e31710e86710f527110580300000062696771118a0900000000000000004058030000006e656771124afbffffff58010000007571135805000000c3a9e282ac711458010000007471152958010000006e71168a060000000000ff5801000000667117477ff0000000000000752e",
    "80037d71002858010000006171015d7102284b0147400400000000000058010000007871034e8889655801000000627104284b014b024b034b047471055801000000637106636275696c74696e730a7365740a71075d71084b076185710952710a580100000064710b430200ff710c5803000000626967710d8a0900000000000000004058030000006e6567710e4afbffffff580100000075710f5805000000c3a9e282ac711058010000007471112958010000006e71128a060000000000ff5801000000667113477ff0000000000000752e",
    "80049587000000000000007d94288c0161945d94284b014740040000000000008c0178944e8889658c016294284b014b024b034b0474948c0163948f94284b07908c016494430200ff948c03626967948a090000000000000000408c036e6567944afbffffff8c0175948c05c3a9e282ac948c017494298c016e948a060000000000ff8c016694477ff0000000000000752e",
    "80059587000000000000007d94288c0161945d94284b014740040000000000008c0178944e8889658c016294284b014b024b034b0474948c0163948f94284b07908c016494430200ff948c03626967948a090000000000000000408c036e6567944afbffffff8c0175948c05c3a9e282ac948c017494298c016e948a060000000000ff8c016694477ff0000000000000752e",
  };

  private static Object load(byte[] pickle) throws PickleException {
    return PickleMachine.load(pickle, pid -> {
      throw new PickleException("no persistent ids here");
    });
  }

  private static Object load(String hex) throws PickleException {
    return load(HexFormat.of().parseHex(hex));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5})
  void readsCPythonPicklesOfEveryProtocol(int protocol) throws PickleException {
    Map<?, ?> m = assertInstanceOf(Map.class, load(PROTOCOLS[protocol]));
    assertEquals(List.of("a", "b", "c", "d", "big", "neg", "u", "t", "n", "f"), List.copyOf(m.keySet()));
    assertEquals(Arrays.asList(1L, 2.5, "x", null, true, false), m.get("a"));
    assertEquals(List.of(1L, 2L, 3L, 4L), m.get("b"));
    assertEquals(Set.of(7L), m.get("c"));
    assertEquals(ByteBuffer.wrap(new byte[] {0, (byte) 0xff}), m.get("d"));
    assertEquals(BigInteger.TWO.pow(70), m.get("big"));
    assertEquals(-5L, m.get("neg"));
    assertEquals("\u00e9\u20ac", m.get("u"));
    assertEquals(List.of(), m.get("t"));
    assertEquals(-(1L << 40), m.get("n"));
    assertEquals(Double.POSITIVE_INFINITY, m.get("f"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void containersAreReadOnly() throws PickleException {
    Map<?, ?> m = (Map<?, ?>) load(PROTOCOLS[2]);
    assertThrows(UnsupportedOperationException.class, () -> ((Map<Object, Object>) m).put("x", 1));
    assertThrows(UnsupportedOperationException.class, () -> ((List<Object>) m.get("a")).add(1));
    assertThrows(UnsupportedOperationException.class, () -> ((List<Object>) m.get("b")).set(0, 1));
    assertThrows(UnsupportedOperationException.class, () -> ((Set<Object>) m.get("c")).add(1));
  }

  /**
   * {@code pickle.dumps(v, protocol=2)} of NumPy 2.4 scalars (generated once during development):
   * np.float64(0.5), np.int64(-7), np.float32(1.25), np.bool_(True).
   */
  @Test
  void numpyScalarsDecodeInertly() throws PickleException {
    String prefix = "8002636e756d70792e5f636f72652e6d756c746961727261790a7363616c61720a7100636e756d70790a64747970650a710158020000";
    String dtypeState = "71028988877103527104284b0358010000003c71054e4e4e4affffffff4affffffff4b0074710662635f636f646563730a656e636f64650a7107";
    String suffix = "710858060000006c6174696e31710986710a52710b86710c52710d2e";
    assertEquals(0.5, load(prefix + "006638" + dtypeState + "5809000000000000000000c3a03f" + suffix));
    assertEquals(-7L, load(prefix + "006938" + dtypeState + "5810000000c3b9c3bfc3bfc3bfc3bfc3bfc3bfc3bf" + suffix));
    assertEquals(1.25, load(prefix + "006634" + dtypeState + "58050000000000c2a03f" + suffix));
    String boolState = dtypeState.replace("3c71054e", "7c71054e"); // byte order '|' for a 1-byte type
    assertEquals(Boolean.TRUE, load(prefix + "006231" + boolState + "580100000001" + suffix));
  }

  @Test
  void stackAndMemoOpcodes() throws PickleException {
    // [1, 1, (2,)] built with DUP, BINPUT/BINGET, POP and POP_MARK.
    byte[] p = PickleBytes.proto2().op(']').integer(1).op('2').op('q').raw(0).op('0').op('a')
        .mark().integer(9).integer(9).op('1')
        .op('h').raw(0).op('a').integer(2).op(0x85).op('a').stop().toByteArray();
    assertEquals(List.of(1L, 1L, List.of(2L)), load(p));
    // Protocol 0 text forms: INT, LONG, FLOAT, STRING with escapes, PUT/GET, DICT.
    String text = "(dp0\nS'a\\'b\\n\\x41'\np1\nI-3\nsS\"q\"\nL5L\nsVk\np2\nF-0.25\nsg2\nNs.";
    Map<?, ?> d = (Map<?, ?>) load(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertEquals(-3L, d.get("a'b\nA"));
    assertEquals(5L, d.get("q"));
    assertNull(d.get("k"));
    assertTrue(d.containsKey("k"));
  }

  @Test
  void unsupportedOrMalformedInputFailsWithOffsetAndOpcode() {
    assertEquals("at byte 0 (PROTO): unsupported pickle protocol 6 (0-5 are supported)",
        assertThrows(PickleException.class, () -> load(new byte[] {(byte) 0x80, 6, '.'})).getMessage());
    assertEquals("at byte 2 (EXT1): copyreg extension codes are not supported",
        assertThrows(PickleException.class, () -> load(new byte[] {(byte) 0x80, 2, (byte) 0x82, 1, '.'})).getMessage());
    assertEquals("at byte 2 (SETITEMS): no MARK on the stack (corrupt or tampered pickle)",
        assertThrows(PickleException.class, () -> load(new byte[] {(byte) 0x80, 2, 'u', '.'})).getMessage());
    assertEquals("at byte 4 (REDUCE): cannot call a list (only globals are callable)",
        assertThrows(PickleException.class, () -> load(new byte[] {(byte) 0x80, 2, ']', ')', 'R', '.'})).getMessage());
    assertEquals("at byte 2 (STOP): stack underflow (corrupt or tampered pickle)",
        assertThrows(PickleException.class, () -> load(new byte[] {(byte) 0x80, 2, '.'})).getMessage());
  }
}
