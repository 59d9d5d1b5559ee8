package dev.postbackrelay.attribution;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Exchange rates into campaign currencies, as "units of {@code to} per one {@code from}".
 * Built from a fixed table (configuration); a {@code conversion_rate} parameter overrides it.
 */
public final class RateTable {

  private final Map<String, BigDecimal> perUsd;

  /** @param perUsd units of each currency per one US dollar, e.g. {@code EUR -> 0.92} */
  public RateTable(Map<String, BigDecimal> perUsd) {
    this.perUsd = Map.copyOf(perUsd);
  }

  public static RateTable empty() {
    return new RateTable(Map.of());
  }

  /** Parses {@code "EUR=0.92,GBP=0.79"}; USD is implied as 1. */
  public static RateTable parse(String spec) {
    HashMap<String, BigDecimal> rates = new HashMap<>();
    if (spec != null) {
      for (String part : spec.split(",")) {
        String[] kv = part.trim().split("=");
        if (kv.length == 2) {
          rates.put(kv[0].trim().toUpperCase(Locale.ROOT), new BigDecimal(kv[1].trim()));
        }
      }
    }
    return new RateTable(rates);
  }

  public Optional<BigDecimal> rate(String from, String to) {
    if (from.equals(to)) {
      return Optional.of(BigDecimal.ONE);
    }
    BigDecimal f = "USD".equals(from) ? BigDecimal.ONE : perUsd.get(from);
    BigDecimal t = "USD".equals(to) ? BigDecimal.ONE : perUsd.get(to);
    if (f == null || t == null) {
      return Optional.empty();
    }
    return Optional.of(t.divide(f, 10, RoundingMode.HALF_EVEN));
  }
}
