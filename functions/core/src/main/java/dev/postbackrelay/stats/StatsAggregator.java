package dev.postbackrelay.stats;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns stream records into what they add to each stats item. A click counts once, when it is
 * inserted. A conversion counts when inserted; a change of status moves its count and money from
 * the old status to the new one (in its creation's buckets); a change that leaves what it counts
 * alone (a delivery attempt recorded, a claim) adds nothing. Removals never subtract: reports keep
 * what happened after the table forgets it (time to live).
 */
public final class StatsAggregator {

  private StatsAggregator() {}

  /** What one change adds, as counters per fact: the new state minus the old, or nothing. */
  static List<Map.Entry<Fact, Counters>> delta(StreamChange change) {
    List<Map.Entry<Fact, Counters>> out = new ArrayList<>();
    switch (change.kind()) {
      case INSERT -> {
        if (change.after() != null) {
          out.add(Map.entry(change.after(), plus(change.after())));
        }
      }
      case MODIFY -> {
        if (change.before() instanceof Fact.Converted before && change.after() instanceof Fact.Converted after
            && !counted(before).equals(counted(after))) {
          out.add(Map.entry(before, new Counters().conversion(before, -1)));
          out.add(Map.entry(after, new Counters().conversion(after, 1)));
        } else if (change.before() == null && change.after() != null) {
          out.add(Map.entry(change.after(), plus(change.after())));
        }
      }
      case REMOVE, EXPIRED -> { }
      default -> throw new IllegalArgumentException("unknown change " + change.kind());
    }
    return out;
  }

  /**
   * The deltas of a batch by stats item, each record's apart (a replay applies only the records an
   * item has not seen), in the batch's order. Every fact counts in its half-hour, sub-day and
   * campaign-day items; records that add nothing are left out.
   */
  public static Map<StatsKey, List<RecordDelta>> deltas(List<StreamChange> batch, SubAdmission subs) {
    Map<StatsKey, List<RecordDelta>> out = new LinkedHashMap<>();
    for (StreamChange change : batch) {
      Map<StatsKey, Counters> perItem = new LinkedHashMap<>();
      for (var entry : delta(change)) {
        Fact f = entry.getKey();
        String sub = f.sub1().isEmpty() || subs.admit(f.campaignId(), StatsKey.subDay(f.campaignId(),
            f.affiliateId(), "", f.at()).utcDay(), f.sub1()) ? f.sub1() : null;
        for (StatsKey key : List.of(StatsKey.halfHour(f.campaignId(), f.affiliateId(), f.at()),
            StatsKey.subDay(f.campaignId(), f.affiliateId(), sub, f.at()), StatsKey.campaignDay(f.campaignId(), f.at()))) {
          perItem.computeIfAbsent(key, k -> new Counters()).addAll(entry.getValue());
        }
      }
      perItem.forEach((key, counters) -> {
        if (!counters.isEmpty()) {
          out.computeIfAbsent(key, k -> new ArrayList<>()).add(new RecordDelta(change.seq(), counters));
        }
      });
    }
    return out;
  }

  private static Counters plus(Fact f) {
    return f instanceof Fact.Converted c ? new Counters().conversion(c, 1)
        : new Counters().add(Counters.CLICKS, BigDecimal.ONE);
  }

  /** What of a conversion the counters see: a change elsewhere (deliveries, claims) is no change. */
  private static List<Object> counted(Fact.Converted c) {
    return Arrays.asList(c.campaignId(), c.affiliateId(), c.sub1(), c.event(), c.status(), c.at(),
        c.revenue(), c.revenueCurrency(), c.payout(), c.payoutCurrency());
  }
}
