package dev.postbackrelay.forwarding.builders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void objectsAndArrays_areCompact_inInsertionOrder() {
    Json.Obj obj = Json.object()
        .put("z_last_name_first", "a")
        .put("nested", Json.object().put("list", Json.array("x", 1L, true)))
        .put("empty", Json.object())
        .put("none", Json.array())
        .put("z_last_name_first", "replaced in place");

    assertEquals("{\"z_last_name_first\":\"replaced in place\",\"nested\":{\"list\":[\"x\",1,true]},\"empty\":{},"
        + "\"none\":[]}", obj.toString());
  }

  @Test
  void quotesBackslashesAndControlCharacters_areEscaped() {
    assertEquals("\"say \\\"hi\\\" C:\\\\tmp\\b\\f\\n\\r\\t\\u0000\\u001f" + (char) 0x7f + "\"",
        Json.quote("say \"hi\" C:\\tmp\b\f\n\r\t\u0000\u001f\u007f"));
  }

  @Test
  void slash_isNotEscaped() {
    assertEquals("\"INV-2025/0042\"", Json.quote("INV-2025/0042"));
  }

  @Test
  void nonAscii_isWrittenAsUtf8_lineSeparatorsEscaped() {
    Json.Obj obj = Json.object().put("s", "ü€中😀\u2028\u2029");

    assertEquals("{\"s\":\"ü€中😀\\u2028\\u2029\"}", obj.toString());
    assertArrayEquals(("{\"s\":\"\u00fc\u20ac\u4e2d\ud83d\ude00\\u2028\\u2029\"}").getBytes(StandardCharsets.UTF_8),
        obj.toUtf8());
  }

  @Test
  void unpairedSurrogates_areEscaped_notLostAsQuestionMarks() {
    assertEquals("\"a\\ud83db\\ude00\"", Json.quote("a\ud83db\ude00"));
  }

  @Test
  void numbers_arePlainDecimals() {
    assertEquals("[12.50,1000,0.00001,-3,42]", Json.array(new BigDecimal("12.50"), new BigDecimal("1E+3"),
        new BigDecimal("1E-5"), -3, 42L).toString());
  }

  @Test
  void booleansAndNull() {
    assertEquals("{\"t\":true,\"f\":false,\"n\":null}",
        Json.object().put("t", true).put("f", false).put("n", null).toString());
  }

  @Test
  void mapsAndLists_areWrittenLikeObjectsAndArrays() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("ids", List.of("a", "b"));
    map.put("value", new BigDecimal("9.99"));

    assertEquals("{\"ids\":[\"a\",\"b\"],\"value\":9.99}", Json.write(map));
  }

  @Test
  void putIfPresent_leavesOutNullAndEmptyStrings() {
    assertEquals("{\"kept\":\"v\",\"zero\":0}", Json.object().putIfPresent("null", null).putIfPresent("empty", "")
        .putIfPresent("kept", "v").putIfPresent("zero", 0L).toString());
  }

  @Test
  void doublesAndOtherTypes_areRefusedWhenAdded() {
    assertThrows(IllegalArgumentException.class, () -> Json.object().put("v", 0.1));
    assertThrows(IllegalArgumentException.class, () -> Json.array().add(Float.NaN));
    assertThrows(IllegalArgumentException.class, () -> Json.object().put("v", new Object()));
  }

  @Test
  void everyBmpCharacter_roundTripsThroughAStringLiteral() {
    for (char c = 0; c < Character.MAX_VALUE; c++) {
      String s = "<" + c + ">";
      String literal = Json.quote(s);
      assertTrue(literal.chars().noneMatch(ch -> ch < 0x20), () -> "raw control character for " + (int) s.charAt(1));
      assertEquals(s, unquote(literal), () -> "U+" + Integer.toHexString(s.charAt(1)));
    }
  }

  /** A JSON string literal decoder, enough to check {@link Json#quote} independently. */
  private static String unquote(String literal) {
    assertTrue(literal.startsWith("\"") && literal.endsWith("\""));
    StringBuilder out = new StringBuilder();
    for (int i = 1; i < literal.length() - 1; i++) {
      char c = literal.charAt(i);
      if (c == '"') {
        throw new AssertionError("unescaped quote at " + i);
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = literal.charAt(++i);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          out.append((char) Integer.parseInt(literal.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> throw new AssertionError("bad escape \\" + e);
      }
    }
    return out.toString();
  }
}
