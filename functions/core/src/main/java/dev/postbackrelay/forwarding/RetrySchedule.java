package dev.postbackrelay.forwarding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * When to try a failed delivery again: after the first failure wait {@code delays[0]}, after the
 * second {@code delays[1]}, and so on; after the last one the delivery is dead (dead-letter queue).
 * The default, as the best open trackers do: 1 min, 5 min, 30 min, 2 h, 24 h.
 */
public record RetrySchedule(List<Duration> delays) {

  public static final RetrySchedule DEFAULT = parse("1m,5m,30m,2h,24h");

  public RetrySchedule {
    delays = List.copyOf(delays);
  }

  /** Parses {@code "1m,5m,30m,2h,24h"} (units s, m, h, d) or ISO-8601 durations. */
  public static RetrySchedule parse(String spec) {
    List<Duration> delays = new ArrayList<>();
    for (String part : spec.split(",")) {
      String p = part.trim().toLowerCase(Locale.ROOT);
      if (p.isEmpty()) {
        continue;
      }
      if (p.startsWith("p")) {
        delays.add(Duration.parse(p.toUpperCase(Locale.ROOT)));
        continue;
      }
      long n = Long.parseLong(p.substring(0, p.length() - 1));
      delays.add(switch (p.charAt(p.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> throw new IllegalArgumentException("unknown unit in retry schedule: " + part);
      });
    }
    return new RetrySchedule(delays);
  }

  /** The wait after {@code failures} failed attempts, or empty when the delivery is dead. */
  public Optional<Duration> delayAfter(int failures) {
    return failures >= 1 && failures <= delays.size() ? Optional.of(delays.get(failures - 1)) : Optional.empty();
  }

  /** Attempts made in all before a delivery is dead. */
  public int maxAttempts() {
    return delays.size() + 1;
  }
}
