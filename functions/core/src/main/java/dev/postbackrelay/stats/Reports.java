package dev.postbackrelay.stats;

import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reports from stats items: the checks on a question, and the rows and totals that answer it. */
public final class Reports {

  private Reports() {}

  /** A report: its rows, ordered by their group values, and the totals over all of them. */
  public record Report(List<ReportRow> rows, ReportRow totals) {}

  /** Refuses a question the stats items cannot answer exactly, with the parameter at fault. */
  public static void check(ReportQuery q) {
    if (q.tz().getTotalSeconds() % StatsKey.HALF_HOUR.toSeconds() != 0) {
      throw new RejectedException(Reason.INVALID_PARAMETER, "tz must be a whole- or half-hour offset such as +05:30"
          + " or -03:00: stats are kept per half hour.", "tz", q.tz().getId());
    }
    for (var t : List.of(Map.entry("from", q.from()), Map.entry("to", q.to()))) {
      if (t.getValue().getEpochSecond() % StatsKey.HALF_HOUR.toSeconds() != 0 || t.getValue().getNano() != 0) {
        throw new RejectedException(Reason.INVALID_PARAMETER, t.getKey() + " must fall on a whole or half hour:"
            + " stats are kept per half hour.", t.getKey(), t.getValue().toString());
      }
    }
    if (!q.to().isAfter(q.from())) {
      throw new RejectedException(Reason.INVALID_PARAMETER, "to must be later than from.", "to", q.to().toString());
    }
    if (Duration.between(q.from(), q.to()).compareTo(Duration.ofDays(ReportQuery.MAX_DAYS)) > 0) {
      throw new RejectedException(Reason.INVALID_PARAMETER, "A report spans at most " + ReportQuery.MAX_DAYS
          + " days: narrow from and to.", "to", q.to().toString());
    }
    if (new LinkedHashSet<>(q.groupBy()).size() != q.groupBy().size()) {
      throw new RejectedException(Reason.INVALID_PARAMETER, "group_by names a dimension twice.", "group_by", null);
    }
    if (q.grain() == StatsKey.Grain.SUB_DAY) {
      boolean utcDays = q.tz().getTotalSeconds() == 0 && q.from().getEpochSecond() % 86_400 == 0
          && q.to().getEpochSecond() % 86_400 == 0;
      if (!utcDays || q.groupBy().contains(Dimension.HOUR)) {
        throw new RejectedException(Reason.INVALID_PARAMETER, "sub1 is counted per UTC day: group by sub1 with"
            + " tz=+00:00, from and to on UTC midnights, and not by hour.", "group_by", "sub1");
      }
    }
  }

  /** The report over {@code items} (of the query's grain, range and filters). */
  public static Report build(ReportQuery q, List<StatsRow> items) {
    Map<List<String>, ReportRow> rows = new LinkedHashMap<>();
    ReportRow totals = ReportRow.empty(Map.of());
    boolean byEvent = q.groupBy().contains(Dimension.EVENT);
    for (StatsRow item : items) {
      totals = totals.add(item.counters(), null, true);
      if (!byEvent) {
        addTo(rows, q, item, null, null, true);
        continue;
      }
      BigDecimal clicks = item.counters().get(Counters.CLICKS);
      if (clicks.signum() != 0) {
        addTo(rows, q, new StatsRow(item.key(), new Counters().add(Counters.CLICKS, clicks)), null, null, true);
      }
      for (String event : events(item.counters())) {
        addTo(rows, q, item, event, event, false);
      }
    }
    List<ReportRow> ordered = new ArrayList<>(rows.values());
    ordered.sort(Comparator.comparing(r -> sortKey(q, r)));
    return new Report(ordered, totals);
  }

  private static void addTo(Map<List<String>, ReportRow> rows, ReportQuery q, StatsRow item, String event,
      String onlyEvent, boolean withClicks) {
    Map<Dimension, String> group = new EnumMap<>(Dimension.class);
    List<String> key = new ArrayList<>();
    for (Dimension d : q.groupBy()) {
      String value = value(d, item.key(), event, q.tz());
      group.put(d, value);
      key.add(value == null ? "\u0000" : value);
    }
    rows.compute(key, (k, row) -> (row == null ? ReportRow.empty(group) : row).add(item.counters(), onlyEvent,
        withClicks));
  }

  private static String value(Dimension d, StatsKey key, String event, ZoneOffset tz) {
    LocalDateTime local = LocalDateTime.ofInstant(key.start(), tz);
    return switch (d) {
      case CAMPAIGN -> key.campaignId();
      case AFFILIATE -> key.affiliateId();
      case SUB1 -> key.sub1();
      case EVENT -> event;
      case DAY -> local.toLocalDate().toString();
      case HOUR -> local.truncatedTo(ChronoUnit.HOURS).toString();
    };
  }

  private static Set<String> events(Counters counters) {
    Set<String> events = new LinkedHashSet<>();
    counters.asMap().keySet().stream().filter(n -> !n.equals(Counters.CLICKS))
        .forEach(n -> events.add(Counters.Name.parse(n).event()));
    return events;
  }

  private static String sortKey(ReportQuery q, ReportRow row) {
    StringBuilder b = new StringBuilder();
    for (Dimension d : q.groupBy()) {
      String v = row.group().get(d);
      b.append(v == null ? "" : "\u0001" + v).append('\u0000');
    }
    return b.toString();
  }
}
