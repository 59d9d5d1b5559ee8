package dev.postbackrelay.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.common.RejectedException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportsTest {

  private static final ZoneOffset IST = ZoneOffset.of("+05:30");

  private static StatsRow item(String affiliate, String start, Map<String, String> counters) {
    Counters c = new Counters();
    counters.forEach((k, v) -> c.add(k, new BigDecimal(v)));
    return new StatsRow(StatsKey.halfHour("c1", affiliate, Instant.parse(start)), c);
  }

  private static ReportQuery query(List<Dimension> groupBy, String from, String to, ZoneOffset tz) {
    return new ReportQuery(groupBy, Instant.parse(from), Instant.parse(to), "c1", null, tz);
  }

  @Test
  void daysFollowTheHalfHourTimeZone() {
    // 18:00Z and 18:30Z are 23:30 and 00:00 in India: two local days
    var items = List.of(item("a1", "2025-03-01T18:00:00Z", Map.of("clicks", "2")),
        item("a1", "2025-03-01T18:30:00Z", Map.of("clicks", "3")));

    var report = Reports.build(query(List.of(Dimension.DAY), "2025-03-01T18:00:00Z", "2025-03-01T19:00:00Z", IST),
        items);

    assertEquals(List.of("2025-03-01", "2025-03-02"), report.rows().stream().map(r -> r.group().get(Dimension.DAY))
        .toList());
    assertEquals(List.of(2L, 3L), report.rows().stream().map(ReportRow::clicks).toList());
    assertEquals(5, report.totals().clicks());
  }

  @Test
  void figuresAreDerivedFromCountsAndMoneyOfPendingAndApprovedConversions() {
    var items = List.of(item("a1", "2025-03-01T10:00:00Z", Map.of("clicks", "10", "n#approved#sale", "2",
        "n#pending#lead", "1", "n#rejected#sale", "1", "r#approved#sale#USD", "150.50", "p#approved#sale#USD", "20",
        "r#rejected#sale#USD", "99", "p#pending#lead#USD", "1.25")));

    ReportRow totals = Reports.build(query(List.of(), "2025-03-01T00:00:00Z", "2025-03-02T00:00:00Z",
        ZoneOffset.UTC), items).totals();

    assertEquals(4, totals.conversionCount());
    assertEquals(new BigDecimal("0.3000"), totals.cr());
    assertEquals(new BigDecimal("0.5000"), totals.approvalRate());
    assertEquals(new BigDecimal("150.5"), totals.money().get("USD").revenue());
    assertEquals(new BigDecimal("21.25"), totals.money().get("USD").payout());
    assertEquals(new BigDecimal("129.25"), totals.money().get("USD").profit());
    assertEquals(new BigDecimal("2.1250"), totals.epc("USD"));
  }

  @Test
  void groupedByEventClicksStandInARowWithoutEvent() {
    var items = List.of(item("a1", "2025-03-01T10:00:00Z", Map.of("clicks", "4", "n#approved#sale", "1",
        "n#approved#lead", "2")));

    var rows = Reports.build(query(List.of(Dimension.EVENT), "2025-03-01T00:00:00Z", "2025-03-02T00:00:00Z",
        ZoneOffset.UTC), items).rows();

    assertEquals(3, rows.size());
    assertNull(rows.get(0).group().get(Dimension.EVENT));
    assertEquals(4, rows.get(0).clicks());
    assertEquals(0, rows.get(0).conversionCount());
    assertEquals("lead", rows.get(1).group().get(Dimension.EVENT));
    assertEquals(2L, rows.get(1).conversions().get(ConversionStatus.APPROVED));
  }

  @Test
  void questionsTheItemsCannotAnswerExactlyAreRefused() {
    String day = "2025-03-01T00:00:00Z";
    String next = "2025-03-02T00:00:00Z";
    assertThrows(RejectedException.class, () -> Reports.check(query(List.of(), day, next, ZoneOffset.of("+05:45"))));
    assertThrows(RejectedException.class, () -> Reports.check(query(List.of(), "2025-03-01T00:10:00Z", next, IST)));
    assertThrows(RejectedException.class, () -> Reports.check(query(List.of(), next, day, IST)));
    assertThrows(RejectedException.class, () -> Reports.check(query(List.of(Dimension.SUB1), day, next, IST)));
    assertThrows(RejectedException.class, () -> Reports.check(query(List.of(Dimension.SUB1, Dimension.HOUR), day,
        next, ZoneOffset.UTC)));
    assertThrows(RejectedException.class, () -> Reports.check(query(List.of(), day, "2025-07-01T00:00:00Z", IST)));
    Reports.check(query(List.of(Dimension.SUB1, Dimension.DAY), day, next, ZoneOffset.UTC));
    Reports.check(query(List.of(Dimension.HOUR), "2025-03-01T18:30:00Z", next, IST));
  }
}
