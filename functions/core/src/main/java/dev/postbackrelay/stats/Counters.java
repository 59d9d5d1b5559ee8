package dev.postbackrelay.stats;

import dev.postbackrelay.common.ConversionStatus;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named counters of one stats item (or a delta to add to them): {@code clicks};
 * {@code n#<status>#<event>}, conversions; {@code r#<status>#<event>#<currency>} and
 * {@code p#<status>#<event>#<currency>}, revenue and payout. Values are exact decimals; names are the
 * stored attribute names, defined here only.
 */
public final class Counters {

  public static final String CLICKS = "clicks";
  static final String COUNT = "n";
  static final String REVENUE = "r";
  static final String PAYOUT = "p";

  private final TreeMap<String, BigDecimal> values = new TreeMap<>();

  public Counters() {}

  public Counters(Map<String, BigDecimal> values) {
    values.forEach(this::add);
  }

  /** Whether {@code name} is a counter's name (and not another attribute of a stats item). */
  public static boolean isCounter(String name) {
    return name.equals(CLICKS) || name.startsWith(COUNT + "#") || name.startsWith(REVENUE + "#")
        || name.startsWith(PAYOUT + "#");
  }

  /** Adds {@code delta} to counter {@code name}; a counter back at zero is dropped. */
  public Counters add(String name, BigDecimal delta) {
    BigDecimal sum = values.getOrDefault(name, BigDecimal.ZERO).add(delta);
    if (sum.signum() == 0) {
      values.remove(name);
    } else {
      values.put(name, sum.stripTrailingZeros());
    }
    return this;
  }

  public Counters addAll(Counters other) {
    other.values.forEach(this::add);
    return this;
  }

  /** Adds one conversion ({@code sign} 1) or takes it away ({@code sign} -1), with its money. */
  Counters conversion(Fact.Converted c, int sign) {
    BigDecimal s = BigDecimal.valueOf(sign);
    String suffix = c.status().code() + "#" + c.event();
    add(COUNT + "#" + suffix, s);
    if (c.revenue() != null && c.revenueCurrency() != null) {
      add(REVENUE + "#" + suffix + "#" + c.revenueCurrency(), c.revenue().multiply(s));
    }
    if (c.payout() != null && c.payoutCurrency() != null) {
      add(PAYOUT + "#" + suffix + "#" + c.payoutCurrency(), c.payout().multiply(s));
    }
    return this;
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  public BigDecimal get(String name) {
    return values.getOrDefault(name, BigDecimal.ZERO);
  }

  /** Every non-zero counter, by name. */
  public Map<String, BigDecimal> asMap() {
    return Collections.unmodifiableMap(values);
  }

  /** One counter's name split: kind ({@code n}, {@code r}, {@code p}), status, event and currency (null for counts). */
  record Name(String kind, ConversionStatus status, String event, String currency) {
    static Name parse(String name) {
      String[] parts = name.split("#", 3);
      String kind = parts[0];
      ConversionStatus status = ConversionStatus.fromCode(parts[1]);
      if (kind.equals(COUNT)) {
        return new Name(kind, status, parts[2], null);
      }
      int last = parts[2].lastIndexOf('#');
      return new Name(kind, status, parts[2].substring(0, last), parts[2].substring(last + 1));
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Counters c && c.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
