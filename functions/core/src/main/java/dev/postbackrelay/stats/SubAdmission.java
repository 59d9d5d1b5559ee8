package dev.postbackrelay.stats;

import java.time.LocalDate;

/**
 * Which {@code sub1} values a campaign's day counts by name: the first {@link StatsKey#MAX_SUBS_PER_DAY}
 * distinct ones seen. The answer for a sub never changes once given (admitted subs stay admitted, and
 * a day that refused one is full for good), so a stream record replayed later lands in the same item.
 */
public interface SubAdmission {

  /** Whether {@code sub1} is counted by name on {@code campaignId}'s UTC {@code day}; admits it if there is room. */
  boolean admit(String campaignId, LocalDate day, String sub1);
}
