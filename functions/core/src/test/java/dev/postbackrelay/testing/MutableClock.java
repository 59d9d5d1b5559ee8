package dev.postbackrelay.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that stands still until a test moves it. Copies made by {@link #withZone} move with it. */
public final class MutableClock extends Clock {

  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  public MutableClock(Instant start) {
    this(new AtomicReference<>(Objects.requireNonNull(start)), ZoneOffset.UTC);
  }

  private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** A clock at 2025-01-01T12:00:00Z, a fixed point every test can reason from. */
  public static MutableClock atNewYear2025() {
    return new MutableClock(Instant.parse("2025-01-01T12:00:00Z"));
  }

  public MutableClock advance(Duration by) {
    now.updateAndGet(t -> t.plus(by));
    return this;
  }

  public MutableClock set(Instant to) {
    now.set(Objects.requireNonNull(to));
    return this;
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new MutableClock(now, zone);
  }
}
