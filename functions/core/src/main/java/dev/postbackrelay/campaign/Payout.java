package dev.postbackrelay.campaign;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** How much an affiliate earns for an event: a fixed sum, or a percentage of the sale amount. */
public record Payout(Type type, BigDecimal value) {

  public enum Type { FIXED, PERCENT }

  /** The commission for a sale of {@code amount} (ignored for fixed payouts). */
  public BigDecimal commissionFor(BigDecimal amount) {
    return switch (type) {
      case FIXED -> value;
      case PERCENT -> amount.multiply(value).divide(BigDecimal.valueOf(100), 4, RoundingMode.HALF_UP).stripTrailingZeros();
    };
  }
}
