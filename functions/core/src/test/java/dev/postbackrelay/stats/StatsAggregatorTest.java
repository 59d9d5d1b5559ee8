package dev.postbackrelay.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.common.ConversionStatus;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatsAggregatorTest {

  private static final Instant T0 = Instant.parse("2025-03-01T12:40:00Z");
  private static final SubAdmission ALL = (c, d, s) -> true;

  static Fact.Clicked click(String sub1, Instant at) {
    return new Fact.Clicked("c1", "a1", sub1, at);
  }

  static Fact.Converted conversion(ConversionStatus status, String revenue, String payout) {
    return new Fact.Converted("c1", "a1", "s1", "sale", status, T0, new BigDecimal(revenue), "USD",
        new BigDecimal(payout), "USD");
  }

  static StreamChange change(long seq, StreamChange.Kind kind, Fact before, Fact after) {
    return new StreamChange(BigInteger.valueOf(seq), kind, before, after);
  }

  @Test
  void aClickCountsInItsHalfHourItsSubDayAndItsCampaignDay() {
    var deltas = StatsAggregator.deltas(List.of(change(1, StreamChange.Kind.INSERT, null, click("s1", T0))), ALL);

    assertEquals(Set.of(StatsKey.halfHour("c1", "a1", Instant.parse("2025-03-01T12:30:00Z")),
        StatsKey.subDay("c1", "a1", "s1", T0), StatsKey.campaignDay("c1", T0)), deltas.keySet());
    deltas.values().forEach(d -> assertEquals(BigDecimal.ONE, d.get(0).counters().get(Counters.CLICKS)));
  }

  @Test
  void aStatusChangeMovesCountAndMoneyFromTheOldStatusToTheNew() {
    var pending = conversion(ConversionStatus.PENDING, "100", "10");
    var approved = conversion(ConversionStatus.APPROVED, "100", "10");

    var delta = StatsAggregator.deltas(List.of(change(7, StreamChange.Kind.MODIFY, pending, approved)), ALL)
        .get(StatsKey.halfHour("c1", "a1", T0)).get(0).counters();

    assertEquals(Map.of("n#pending#sale", new BigDecimal("-1"), "n#approved#sale", BigDecimal.ONE,
        "r#pending#sale#USD", new BigDecimal("-1E+2"), "r#approved#sale#USD", new BigDecimal("1E+2"),
        "p#pending#sale#USD", new BigDecimal("-1E+1"), "p#approved#sale#USD", new BigDecimal("1E+1")),
        delta.asMap());
  }

  @Test
  void aModifyThatLeavesTheCountedStateAloneAndRemovalsAddNothing() {
    var approved = conversion(ConversionStatus.APPROVED, "5", "1");
    var batch = List.of(change(1, StreamChange.Kind.MODIFY, approved, approved),
        change(2, StreamChange.Kind.EXPIRED, click("s1", T0), null),
        change(3, StreamChange.Kind.REMOVE, approved, null),
        change(4, StreamChange.Kind.INSERT, null, null));

    assertTrue(StatsAggregator.deltas(batch, ALL).isEmpty());
  }

  @Test
  void subsPastTheDaysLimitGoToTheOtherBucket() {
    Set<String> admitted = new HashSet<>();
    SubAdmission two = (c, d, s) -> admitted.contains(s) || admitted.size() < 2 && admitted.add(s);
    var batch = List.of(change(1, StreamChange.Kind.INSERT, null, click("x", T0)),
        change(2, StreamChange.Kind.INSERT, null, click("y", T0)),
        change(3, StreamChange.Kind.INSERT, null, click("z", T0)),
        change(4, StreamChange.Kind.INSERT, null, click("x", T0)),
        change(5, StreamChange.Kind.INSERT, null, click("", T0)));

    var deltas = StatsAggregator.deltas(batch, two);

    assertEquals(2, deltas.get(StatsKey.subDay("c1", "a1", "x", T0)).size());
    assertEquals(1, deltas.get(StatsKey.subDay("c1", "a1", null, T0)).size());
    assertEquals(1, deltas.get(StatsKey.subDay("c1", "a1", "", T0)).size());
    assertNull(deltas.get(StatsKey.subDay("c1", "a1", "z", T0)));
    assertEquals(LocalDate.parse("2025-03-01"), StatsKey.subDay("c1", "a1", "x", T0).utcDay());
  }
}
