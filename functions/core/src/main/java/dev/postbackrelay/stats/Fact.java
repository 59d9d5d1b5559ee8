package dev.postbackrelay.stats;

import dev.postbackrelay.common.ConversionStatus;
import java.math.BigDecimal;
import java.time.Instant;

/** What a tracking-table item counts for in the reports: a click, or a conversion in its current state. */
public sealed interface Fact {

  String campaignId();

  String affiliateId();

  /** The click's {@code sub1}; empty when it had none. */
  String sub1();

  /** When it counts: a click's time, a conversion's creation (a status change stays in that bucket). */
  Instant at();

  /** A click, counted once when it is stored. */
  record Clicked(String campaignId, String affiliateId, String sub1, Instant at) implements Fact {
    public Clicked {
      sub1 = sub1 == null ? "" : sub1;
    }
  }

  /**
   * A conversion as stored.
   *
   * @param revenue the sale amount in {@code revenueCurrency} (the campaign's currency when attribution
   *     had a rate for it); null when the postback sent none
   * @param payout the commission in {@code payoutCurrency}; null when none
   */
  record Converted(String campaignId, String affiliateId, String sub1, String event, ConversionStatus status,
      Instant at, BigDecimal revenue, String revenueCurrency, BigDecimal payout, String payoutCurrency)
      implements Fact {
    public Converted {
      sub1 = sub1 == null ? "" : sub1;
    }
  }
}
