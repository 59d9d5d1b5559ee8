package dev.postbackrelay.relay;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them: {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}. */
final class Durations {

  private static final Pattern SHAPE = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private Durations() {}

  static Duration parse(String text, String option) throws RelayException {
    Matcher m = SHAPE.matcher(text.trim());
    if (!m.matches()) {
      throw new RelayException(RelayException.INVALID, option + " must look like 500ms, 2s, 5m or 1h, not " + text);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}
