package dev.postbackrelay.stats;

import dev.postbackrelay.common.ConversionStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of a report: its group values and what it adds up.
 *
 * <p>Money counts pending and approved conversions only (a rejected or charged-back conversion earns
 * nothing), per currency. Derived: {@code cr} = (pending + approved) / clicks; {@code epc} = payout /
 * clicks; {@code profit} = revenue - payout; {@code approval_rate} = approved / conversions. A ratio over
 * zero is null.
 *
 * @param group the row's value per dimension ({@code null} for clicks under {@code event}; {@code sub1}
 *     {@code null} for the "other" bucket)
 */
public record ReportRow(Map<Dimension, String> group, long clicks, Map<ConversionStatus, Long> conversions,
    Map<String, Money> money) {

  /** Revenue and payout in one currency. */
  public record Money(BigDecimal revenue, BigDecimal payout) {
    public BigDecimal profit() {
      return revenue.subtract(payout);
    }

    Money plus(Money other) {
      return new Money(revenue.add(other.revenue), payout.add(other.payout));
    }
  }

  public static ReportRow empty(Map<Dimension, String> group) {
    Map<ConversionStatus, Long> byStatus = new EnumMap<>(ConversionStatus.class);
    for (ConversionStatus s : ConversionStatus.values()) {
      byStatus.put(s, 0L);
    }
    return new ReportRow(group, 0, byStatus, new TreeMap<>());
  }

  public long conversionCount() {
    return conversions.values().stream().mapToLong(Long::longValue).sum();
  }

  public BigDecimal cr() {
    return ratio(BigDecimal.valueOf(conversions.get(ConversionStatus.PENDING) + conversions.get(ConversionStatus.APPROVED)),
        clicks);
  }

  public BigDecimal approvalRate() {
    return ratio(BigDecimal.valueOf(conversions.get(ConversionStatus.APPROVED)), conversionCount());
  }

  public BigDecimal epc(String currency) {
    return ratio(money.get(currency).payout(), clicks);
  }

  private static BigDecimal ratio(BigDecimal over, long under) {
    return under == 0 ? null : over.divide(BigDecimal.valueOf(under), 4, RoundingMode.HALF_EVEN);
  }

  /** Adds the counters whose event passes ({@code event} null: all), and the clicks when {@code withClicks}. */
  ReportRow add(Counters counters, String event, boolean withClicks) {
    long clicksAdded = withClicks ? counters.get(Counters.CLICKS).longValueExact() : 0;
    Map<ConversionStatus, Long> byStatus = new EnumMap<>(conversions);
    Map<String, Money> byCurrency = new TreeMap<>(money);
    counters.asMap().forEach((name, value) -> {
      if (name.equals(Counters.CLICKS)) {
        return;
      }
      Counters.Name n = Counters.Name.parse(name);
      if (event != null && !event.equals(n.event())) {
        return;
      }
      if (n.kind().equals(Counters.COUNT)) {
        byStatus.merge(n.status(), value.longValueExact(), Long::sum);
      } else if (n.status() == ConversionStatus.PENDING || n.status() == ConversionStatus.APPROVED) {
        Money m = n.kind().equals(Counters.REVENUE) ? new Money(value, BigDecimal.ZERO) : new Money(BigDecimal.ZERO, value);
        byCurrency.merge(n.currency(), m, Money::plus);
      }
    });
    return new ReportRow(group, clicks + clicksAdded, byStatus, byCurrency);
  }
}
