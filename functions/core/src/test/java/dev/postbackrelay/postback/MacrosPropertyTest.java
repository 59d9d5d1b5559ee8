package dev.postbackrelay.postback;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Macro detection over generated values: it never throws, and what it reports is in the value. */
class MacrosPropertyTest {

  @Property(tries = 300)
  void find_neverThrows_andReportsALiteralFromTheValue(@ForAll("values") String value) {
    Optional<String> macro = Macros.find(value);
    assertTrue(macro.isEmpty() || value.contains(macro.get()), () -> value + " -> " + macro);
  }

  @Property(tries = 300)
  void findUnsubstituted_neverThrows(@ForAll("values") String a, @ForAll("values") String b) {
    Macros.findUnsubstituted(Map.of("a", a, "b", b));
  }

  @Property(tries = 300)
  void plainDecimals_areNeverMacros(@ForAll java.math.BigDecimal amount) {
    assertTrue(Macros.find(amount.toPlainString()).isEmpty());
  }

  @Provide
  Arbitrary<String> values() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(200),
        Arbitraries.strings().withChars("{}[]#$%<>7BDabcXYZ_ .:-").ofMaxLength(100),
        Arbitraries.strings().withChars("{}%7Bd").ofMinLength(1000).ofMaxLength(20_000));
  }
}
