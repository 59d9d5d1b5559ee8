package dev.postbackrelay.stats;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * One stats item: what it counts ({@link Grain}), for which campaign and affiliate, from when.
 *
 * @param sub1 for {@link Grain#SUB_DAY} only: the sub, empty for clicks without one, null for the
 *     campaign day's "other" bucket (subs past {@link #MAX_SUBS_PER_DAY}); null for the other grains
 * @param start the bucket's start: a half hour (UTC) or a UTC day
 */
public record StatsKey(Grain grain, String campaignId, String affiliateId, String sub1, Instant start) {

  /** Distinct {@code sub1} values counted by name per campaign and UTC day; later ones go to "other". */
  public static final int MAX_SUBS_PER_DAY = 1000;

  /**
   * The grains kept. Half hours are the finest: every whole- and half-hour UTC offset starts its days
   * and hours on one, so a report in such a time zone is exact.
   */
  public enum Grain {
    /** Campaign x affiliate per half hour (UTC). */
    HALF_HOUR,
    /** Campaign x affiliate x sub1 per UTC day. */
    SUB_DAY,
    /** One per campaign and UTC day that has anything: lists the campaigns of a day. */
    CAMPAIGN_DAY
  }

  public static final Duration HALF_HOUR = Duration.ofMinutes(30);

  public static StatsKey halfHour(String campaignId, String affiliateId, Instant at) {
    long step = HALF_HOUR.toSeconds();
    return new StatsKey(Grain.HALF_HOUR, campaignId, affiliateId, null,
        Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), step) * step));
  }

  public static StatsKey subDay(String campaignId, String affiliateId, String sub1, Instant at) {
    return new StatsKey(Grain.SUB_DAY, campaignId, affiliateId, sub1, dayStart(at));
  }

  public static StatsKey campaignDay(String campaignId, Instant at) {
    return new StatsKey(Grain.CAMPAIGN_DAY, campaignId, null, null, dayStart(at));
  }

  public LocalDate utcDay() {
    return LocalDate.ofInstant(start, ZoneOffset.UTC);
  }

  /** Whether this is a campaign day's "other" sub bucket. */
  public boolean otherSubs() {
    return grain == Grain.SUB_DAY && sub1 == null;
  }

  private static Instant dayStart(Instant at) {
    return LocalDate.ofInstant(at, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
