package org.cropmae.runtime.eval;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * What {@code DataFrame.to_csv(index=False, float_format="%.3f")} writes: comma-separated, minimal
 * quoting, {@code \n} line ends, floats printed like C's {@code %.3f}, NaN as an empty field.
 */
final class PandasCsv {
  private PandasCsv() {}

  /**
   * {@code "%.3f" % v}: the exact binary value rounded half-to-even to 3 decimals (as glibc
   * printf and CPython do, unlike {@link String#format}, which rounds the shortest decimal
   * representation half-up), keeping the sign of negative values that round to zero.
   */
  static String format3(double v) {
    if (Double.isNaN(v)) {
      return "";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    String s = new BigDecimal(v).setScale(3, RoundingMode.HALF_EVEN).toPlainString();
    boolean negative = v < 0 || (v == 0 && 1 / v < 0);
    return negative && !s.startsWith("-") ? "-" + s : s;
  }

  /** A text field quoted only when it holds a comma, a quote or a line break. */
  static String field(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  /** One line, fields already formatted, joined by commas and ended by {@code \n}. */
  static void line(StringBuilder out, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(fields.get(i));
    }
    out.append('\n');
  }
}
