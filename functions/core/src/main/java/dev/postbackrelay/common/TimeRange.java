package dev.postbackrelay.common;

import java.time.Duration;
import java.time.Instant;

/**
 * The {@code from}/{@code to} of a list: either may be absent ({@code to} is then now, {@code from}
 * {@link #DEFAULT_RANGE} before {@code to}); together at most {@link #MAX_RANGE} apart, the
 * longest anything listed is kept.
 */
public record TimeRange(Instant from, Instant to) {

  public static final Duration MAX_RANGE = Duration.ofDays(92);
  public static final Duration DEFAULT_RANGE = Duration.ofDays(7);

  public TimeRange {
    if (from != null && to != null && from.isAfter(to)) {
      throw new RejectedException(Reason.INVALID_PARAMETER, "from must not be after to.", "from", null);
    }
    if (from != null && to != null && Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
      throw new RejectedException(Reason.INVALID_PARAMETER, "from and to may be at most 92 days apart.", "from", null);
    }
  }

  /** {@code to}, or now. */
  public Instant end(Instant now) {
    return to != null ? to : now;
  }

  /** {@code from}, or {@link #DEFAULT_RANGE} before the end; never more than {@link #MAX_RANGE} before it. */
  public Instant start(Instant now) {
    Instant start = from != null ? from : end(now).minus(DEFAULT_RANGE);
    return start.isBefore(end(now).minus(MAX_RANGE)) ? end(now).minus(MAX_RANGE) : start;
  }

  public boolean contains(Instant at, Instant now) {
    return !at.isBefore(start(now)) && !at.isAfter(end(now));
  }
}
