package dev.postbackrelay.stats;

import java.time.Instant;
import java.util.List;

/**
 * The stats items.
 *
 * <p>Contract of {@link #add}: atomic per item, and exactly once per record. The item remembers, per
 * {@code lane} (a stream shard), the highest sequence number it has applied; a call applies exactly
 * the {@code records} above it, in one write, and then remembers the highest of those. A record at or
 * below it was applied before and is skipped. Sequence numbers are compared as numbers.
 */
public interface StatsStore {

  /** Adds the counters of those {@code records} (all of one lane) that {@code key} has not applied yet. */
  void add(String lane, StatsKey key, List<RecordDelta> records);

  /** Every stored item of {@code grain} for {@code campaignId} in {@code [from, to)} (bucket starts), optionally one affiliate's. */
  List<StatsRow> read(StatsKey.Grain grain, String campaignId, String affiliateId, Instant from,
      Instant to);

  /** The campaigns that have a {@link StatsKey.Grain#CAMPAIGN_DAY} item on a UTC day in {@code [from, to)}. */
  List<String> campaigns(Instant from, Instant to);
}
