package org.cropmae.trainer.checkpoint;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Python-like, bounded text for unpickled values. The bounds (nesting depth, items per container,
 * total values) keep it cheap and finite on hostile input: shared or cyclic structures are never
 * expanded beyond the budget.
 */
final class PickleText {
  private static final int MAX_DEPTH = 4;
  private static final int MAX_ITEMS = 16;
  private static final int MAX_VALUES = 100;
  private static final int MAX_STRING = 80;

  private final StringBuilder out = new StringBuilder();
  private int budget = MAX_VALUES;

  private PickleText() {}

  static String render(Object value) {
    PickleText t = new PickleText();
    t.write(value, 0);
    return t.out.toString();
  }

  private void write(Object v, int depth) {
    if (--budget < 0) {
      out.append("...");
      return;
    }
    if (v == null) {
      out.append("None");
    } else if (v instanceof Boolean b) {
      out.append(b ? "True" : "False");
    } else if (v instanceof String s) {
      out.append('\'').append(PickleStrings.printable(s.length() > MAX_STRING ? s.substring(0, MAX_STRING) + "..." : s))
          .append('\'');
    } else if (v instanceof BigInteger b) {
      out.append(b.bitLength() > 256 ? "<int of " + b.bitLength() + " bits>" : b.toString());
    } else if (v instanceof ByteBuffer b) {
      out.append("b<").append(b.remaining()).append(" bytes>");
    } else if (v instanceof PickleObject o) {
      writeObject(o, depth);
    } else if (v instanceof Map<?, ?> m) {
      writeMap(m, depth);
    } else if (v instanceof PickleTuple t) {
      writeItems(t, "(", t.size() == 1 ? ",)" : ")", depth);
    } else if (v instanceof List<?> l) {
      writeItems(l, "[", "]", depth);
    } else if (v instanceof Collection<?> c) {
      writeItems(c, "{", "}", depth);
    } else {
      out.append(v);
    }
  }

  private void writeObject(PickleObject o, int depth) {
    out.append(o.type()).append('(');
    if (depth >= MAX_DEPTH) {
      out.append("...)");
      return;
    }
    Map<String, Object> fields = o.fields();
    if (!fields.isEmpty()) {
      int i = 0;
      for (Map.Entry<String, Object> e : fields.entrySet()) {
        if (i > 0) out.append(", ");
        if (i++ == MAX_ITEMS || budget <= 0) {
          out.append("...");
          break;
        }
        out.append(e.getKey()).append('=');
        write(e.getValue(), depth + 1);
      }
    } else {
      int i = 0;
      for (Object a : o.args()) {
        if (i > 0) out.append(", ");
        if (i++ == MAX_ITEMS || budget <= 0) {
          out.append("...");
          break;
        }
        write(a, depth + 1);
      }
    }
    out.append(')');
  }

  private void writeMap(Map<?, ?> m, int depth) {
    if (depth >= MAX_DEPTH && !m.isEmpty()) {
      out.append("{<").append(m.size()).append(" items>}");
      return;
    }
    out.append('{');
    int i = 0;
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (i > 0) out.append(", ");
      if (i++ == MAX_ITEMS || budget <= 0) {
        out.append("... <").append(m.size()).append(" items>");
        break;
      }
      write(e.getKey(), depth + 1);
      out.append(": ");
      write(e.getValue(), depth + 1);
    }
    out.append('}');
  }

  private void writeItems(Collection<?> c, String open, String close, int depth) {
    if (depth >= MAX_DEPTH && !c.isEmpty()) {
      out.append(open).append('<').append(c.size()).append(" items>").append(close);
      return;
    }
    out.append(open);
    int i = 0;
    for (Object o : c) {
      if (i > 0) out.append(", ");
      if (i++ == MAX_ITEMS || budget <= 0) {
        out.append("... <").append(c.size()).append(" items>");
        break;
      }
      write(o, depth + 1);
    }
    out.append(close);
  }
}
