package org.cropmae.trainer.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Decoding of the text arguments of protocol-0 string opcodes. */
final class PickleStrings {
  private PickleStrings() {}

  /** A short excerpt of untrusted text for error messages. */
  static String clip(String s) {
    return printable(s.length() > 40 ? s.substring(0, 40) + "..." : s);
  }

  /**
   * {@code s} with control and line-separator characters escaped as Python does ({@code \n}, {@code \x01},
   * {@code \u2028}), so that untrusted text can never break a one-line message.
   */
  static String printable(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
      if (control && b == null) {
        b = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (b != null) {
        if (!control) {
          b.append(c);
        } else if (c == '\n') {
          b.append("\\n");
        } else if (c == '\r') {
          b.append("\\r");
        } else if (c == '\t') {
          b.append("\\t");
        } else if (c <= 0xff) {
          b.append(String.format("\\x%02x", (int) c));
        } else {
          b.append(String.format("\\u%04x", (int) c));
        }
      }
    }
    return b == null ? s : b.toString();
  }

  /**
   * The STRING argument: a quoted Python 2 str literal with backslash escapes, decoded as UTF-8
   * (the encoding torch.load passes to the unpickler).
   */
  static String unquote(String literal) throws PickleException {
    String s = literal.strip();
    if (s.length() < 2 || (s.charAt(0) != '\'' && s.charAt(0) != '"') || s.charAt(s.length() - 1) != s.charAt(0)) {
      throw new PickleException("STRING argument is not a quoted literal: '" + clip(literal) + "'");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    int end = s.length() - 1;
    for (int i = 1; i < end; i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 >= end) {
        writeChar(out, c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case '\\', '\'', '"' -> out.write(e);
        case 'a' -> out.write(7);
        case 'b' -> out.write(8);
        case 'f' -> out.write(12);
        case 'n' -> out.write(10);
        case 'r' -> out.write(13);
        case 't' -> out.write(9);
        case 'v' -> out.write(11);
        case '\n' -> { } // line continuation
        case 'x' -> {
          if (i + 2 >= end || !isHex(s, i + 1, 2)) {
            throw new PickleException("invalid \\x escape in STRING argument");
          }
          out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
          i += 2;
        }
        default -> {
          if (e >= '0' && e <= '7') {
            int v = e - '0';
            for (int k = 0; k < 2 && i + 1 < end && s.charAt(i + 1) >= '0' && s.charAt(i + 1) <= '7'; k++) {
              v = v * 8 + (s.charAt(++i) - '0');
            }
            out.write(v & 0xFF);
          } else {
            out.write('\\');
            writeChar(out, e);
          }
        }
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The UNICODE argument: raw-unicode-escape (Latin-1 text with backslash-u escapes). */
  static String rawUnicodeEscape(String text) throws PickleException {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == 'u' || text.charAt(i + 1) == 'U')) {
        int digits = text.charAt(i + 1) == 'u' ? 4 : 8;
        if (i + 2 + digits > text.length() || !isHex(text, i + 2, digits)) {
          throw new PickleException("invalid \\" + text.charAt(i + 1) + " escape in UNICODE argument");
        }
        int cp = (int) Long.parseLong(text.substring(i + 2, i + 2 + digits), 16);
        if (!Character.isValidCodePoint(cp)) {
          throw new PickleException("invalid code point in UNICODE argument");
        }
        sb.appendCodePoint(cp);
        i += 1 + digits;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean isHex(String s, int from, int n) {
    if (from + n > s.length()) {
      return false;
    }
    for (int i = from; i < from + n; i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private static void writeChar(ByteArrayOutputStream out, char c) {
    byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
    out.write(b, 0, b.length);
  }
}
