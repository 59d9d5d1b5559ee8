package dev.postbackrelay.click;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The click-id check over generated input: it never throws, and only issued ids pass. */
class ClickIdsPropertyTest {

  private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
  private final ClickIds ids = new ClickIds(List.of("property-click-key-0123456789".getBytes(StandardCharsets.UTF_8)));

  @Property(tries = 300)
  void anyString_isNotAClickId(@ForAll String candidate) {
    assertFalse(ids.verify(candidate));
  }

  @Property(tries = 300)
  void anyStringOfTheRightShape_isNotAClickId(@ForAll("shaped") String candidate) {
    assertFalse(ids.verify(candidate));
  }

  @Property(tries = 300)
  void everyIssuedId_verifies_andCarriesItsTime(@ForAll("instants") Instant at) {
    String id = ids.issue(at);
    assertTrue(ids.verify(id));
    assertEquals(at, ClickIds.issuedAt(id));
  }

  @Property(tries = 300)
  void anIssuedIdWithOneCharacterChanged_isNotAClickId(@ForAll("instants") Instant at,
      @ForAll @IntRange(min = 0, max = 31) int position, @ForAll char replacement) {
    String id = ids.issue(at);
    if (id.charAt(position) == replacement) {
      return;
    }
    assertFalse(ids.verify(id.substring(0, position) + replacement + id.substring(position + 1)));
  }

  @Property(tries = 300)
  void idsIssuedInTimeOrder_sortInTimeOrder(@ForAll("instants") Instant a, @ForAll("instants") Instant b) {
    int byTime = a.compareTo(b);
    int byId = ids.issue(a).compareTo(ids.issue(b));
    if (byTime != 0) {
      assertEquals(Integer.signum(byTime), Integer.signum(byId));
    }
  }

  @Provide
  Arbitrary<String> shaped() {
    return Arbitraries.strings().withChars(ALPHABET.toCharArray()).ofLength(ClickIds.LENGTH);
  }

  @Provide
  Arbitrary<Instant> instants() {
    return Arbitraries.longs().between(0, (1L << 48) - 1).map(Instant::ofEpochMilli);
  }
}
