package dev.postbackrelay.forwarding.builders;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON writer for request bodies, so the core needs no JSON library.
 *
 * <p>Output is compact (no whitespace) and keeps insertion order, so a body is byte-for-byte
 * predictable: that matters because receivers verify signatures over the raw bytes. Strings escape
 * {@code "} and {@code \}, every control character (as {@code \b \f \n \r \t} or <code>&#92;u00XX</code>),
 * U+2028/U+2029 and unpaired surrogates; other characters, including non-ASCII, are written as
 * they are and encoded as UTF-8. Numbers are integers or {@link BigDecimal} written with
 * {@link BigDecimal#toPlainString()}; {@code double} and {@code float} are refused, since money
 * must stay exact and NaN has no JSON form.
 */
public final class Json {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Json() {}

  public static Obj object() {
    return new Obj();
  }

  public static Arr array(Object... values) {
    Arr arr = new Arr();
    for (Object value : values) {
      arr.add(value);
    }
    return arr;
  }

  /**
   * Writes {@code value}: null, a String, a Boolean, an integer type, a BigDecimal, an
   * {@link Obj} or {@link Arr}, or a Map with String keys or a List of any of these.
   *
   * @throws IllegalArgumentException for any other type (including Double and Float)
   */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder(128);
    write(value, out);
    return out.toString();
  }

  /** {@code value} as a JSON string literal, quotes included. */
  public static String quote(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2);
    quote(value, out);
    return out.toString();
  }

  /** Fails at the call that adds an unsupported value, not later when the body is written. */
  private static Object checked(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof BigDecimal
        || value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
        || value instanceof BigInteger || value instanceof Obj || value instanceof Arr || value instanceof Map<?, ?>
        || value instanceof List<?>) {
      return value;
    }
    throw new IllegalArgumentException("not writable as JSON: " + value.getClass().getName());
  }

  private static void write(Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      quote(s, out);
    } else if (value instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (value instanceof BigDecimal d) {
      out.append(d.toPlainString());
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
        || value instanceof BigInteger) {
      out.append(value);
    } else if (value instanceof Obj o) {
      writeMap(o.fields, out);
    } else if (value instanceof Arr a) {
      writeList(a.values, out);
    } else if (value instanceof Map<?, ?> m) {
      writeMap(m, out);
    } else if (value instanceof List<?> l) {
      writeList(l, out);
    } else {
      throw new IllegalArgumentException("not writable as JSON: " + value.getClass().getName());
    }
  }

  private static void writeMap(Map<?, ?> map, StringBuilder out) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String name)) {
        throw new IllegalArgumentException("JSON object keys must be strings");
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      quote(name, out);
      out.append(':');
      write(e.getValue(), out);
    }
    out.append('}');
  }

  private static void writeList(List<?> list, StringBuilder out) {
    out.append('[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      write(list.get(i), out);
    }
    out.append(']');
  }

  private static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029' || isLoneSurrogate(s, i)) {
            unicodeEscape(c, out);
          } else {
            out.append(c);
            if (Character.isHighSurrogate(c)) {
              out.append(s.charAt(++i)); // its low surrogate, checked by isLoneSurrogate
            }
          }
        }
      }
    }
    out.append('"');
  }

  private static boolean isLoneSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    return Character.isLowSurrogate(c); // a low surrogate reached here has no high one before it
  }

  private static void unicodeEscape(char c, StringBuilder out) {
    out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF])
        .append(HEX[c & 0xF]);
  }

  /** A JSON object under construction; fields keep the order they were first put in. */
  public static final class Obj {

    private final Map<String, Object> fields = new LinkedHashMap<>();

    private Obj() {}

    /** Sets {@code name} (replacing an earlier value in place); see {@link Json#write} for the types. */
    public Obj put(String name, Object value) {
      fields.put(name, checked(value));
      return this;
    }

    /** Sets {@code name} unless {@code value} is null or an empty string. */
    public Obj putIfPresent(String name, Object value) {
      if (value == null || value instanceof String s && s.isEmpty()) {
        return this;
      }
      return put(name, value);
    }

    public boolean isEmpty() {
      return fields.isEmpty();
    }

    public byte[] toUtf8() {
      return toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return write(this);
    }
  }

  /** A JSON array under construction. */
  public static final class Arr {

    private final List<Object> values = new ArrayList<>();

    private Arr() {}

    public Arr add(Object value) {
      values.add(checked(value));
      return this;
    }

    @Override
    public String toString() {
      return write(this);
    }
  }
}
