package dev.postbackrelay.postback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MacrosTest {

  @ParameterizedTest
  @ValueSource(strings = {"{clickid}", "%7Bclickid%7D", "%7bclickid%7d", "{{clickid}}", "[CLICK_ID]", "#s2#",
      "${SUBID}", "%%CLICKID%%", "{click_id}", "{ clickid }", "<CLICK_ID>", "{transaction.id}"})
  void macroAsTheWholeValue_isDetected(String value) {
    assertEquals(Optional.of(value), Macros.find(value));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{clickid}", "%7Bclickid%7D", "{{clickid}}", "${SUBID}"})
  void macroInsideAValue_isDetected_andTheLiteralReported(String macro) {
    assertEquals(Optional.of(macro), Macros.find("abc-" + macro + "-def"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "10.50", "a[b]c", "#1 deal", "#", "[]", "{}", "{\"a\":1}", "100%", "50%%",
      "a#b#c", "x [y] z", "https://shop.example/p?q=1#frag", "AZOv6tq1CJ7f0bX2kQ9mL4wE8sR3", "C++", "<>", "a < b > c",
      "email@example.com", "  ", "%41%42", "é€中"})
  void ordinaryValue_isNotAMacro(String value) {
    assertEquals(Optional.empty(), Macros.find(value));
  }

  @Test
  void nullOrEmpty_isNotAMacro() {
    assertEquals(Optional.empty(), Macros.find(null));
    assertEquals(Optional.empty(), Macros.find(""));
  }

  @Test
  void findUnsubstituted_namesTheFirstParameterHoldingAMacro() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("event", "sale");
    params.put("click_id", "%7Bclickid%7D");
    params.put("sub1", "[SUB1]");
    assertEquals(Optional.of(Map.entry("click_id", "%7Bclickid%7D")), Macros.findUnsubstituted(params));
  }

  @Test
  void findUnsubstituted_ofCleanParameters_isEmpty() {
    assertEquals(Optional.empty(), Macros.findUnsubstituted(Map.of("click_id", "abc", "amount", "10.50")));
  }
}
