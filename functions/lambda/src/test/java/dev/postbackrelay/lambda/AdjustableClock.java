package dev.postbackrelay.lambda;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The application's clock in the delivery profiles: system UTC time plus an offset a test moves
 * forward, so that a retry comes due without waiting for it. Enabled per profile
 * ({@code getEnabledAlternatives}), not globally; a test that advances it resets it afterwards.
 */
@Alternative
@Singleton
public class AdjustableClock extends Clock {

  private volatile Duration offset = Duration.ZERO;

  /** Moves the application's time forward by {@code by}. */
  public void advance(Duration by) {
    offset = offset.plus(by);
  }

  /** Back to system time. */
  public void reset() {
    offset = Duration.ZERO;
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the application clock is UTC");
  }
}
