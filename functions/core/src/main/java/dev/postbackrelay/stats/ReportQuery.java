package dev.postbackrelay.stats;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A report's question: rows grouped by {@code groupBy} (in that order), over {@code [from, to)},
 * optionally one campaign's and one affiliate's; days and hours in {@code tz}.
 *
 * <p>Validated by {@link Reports#check}: {@code tz} a whole or half hour; {@code from} and {@code to} on
 * half hours, at most {@link #MAX_DAYS} days apart; with {@code sub1} (kept per UTC day), UTC days only.
 */
public record ReportQuery(List<Dimension> groupBy, Instant from, Instant to, String campaignId, String affiliateId,
    ZoneOffset tz) {

  public static final int MAX_DAYS = 93;

  public ReportQuery {
    groupBy = List.copyOf(groupBy);
  }

  /** The grain that answers it: sub days when grouped by {@code sub1}, half hours otherwise. */
  public StatsKey.Grain grain() {
    return groupBy.contains(Dimension.SUB1) ? StatsKey.Grain.SUB_DAY : StatsKey.Grain.HALF_HOUR;
  }
}
