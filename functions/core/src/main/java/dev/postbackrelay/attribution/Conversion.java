package dev.postbackrelay.attribution;

import dev.postbackrelay.common.ConversionStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A counted conversion: one per (click, event, txid), or per (click, event) on campaigns that do
 * not allow repeat sales (see {@link #key}).
 *
 * @param amount the sale value, in {@code currency} as sent
 * @param payout the affiliate's commission, in the campaign's currency
 * @param postbackId the postback that created it
 * @param history every status it has had, oldest first, each with the postback that set it
 * @param deliveries every forwarding attempt, oldest first
 * @param payoutNote why the payout is not what the postback said, when it sent one that the
 *     campaign's {@code postback_payout} does not let count (e.g. an unauthenticated postback); null
 *     otherwise
 */
public record Conversion(
    String clickId,
    String event,
    String txid,
    String campaignId,
    String affiliateId,
    ConversionStatus status,
    BigDecimal amount,
    String currency,
    BigDecimal payout,
    String payoutCurrency,
    Instant createdAt,
    String postbackId,
    Map<String, String> extra,
    List<StatusChange> history,
    List<DeliveryAttempt> deliveries,
    String payoutNote) {

  /** Without a payout note. */
  public Conversion(String clickId, String event, String txid, String campaignId, String affiliateId,
      ConversionStatus status, BigDecimal amount, String currency, BigDecimal payout, String payoutCurrency,
      Instant createdAt, String postbackId, Map<String, String> extra, List<StatusChange> history,
      List<DeliveryAttempt> deliveries) {
    this(clickId, event, txid, campaignId, affiliateId, status, amount, currency, payout, payoutCurrency, createdAt,
        postbackId, extra, history, deliveries, null);
  }

  /** This conversion with another status, all else equal. */
  public Conversion withStatus(ConversionStatus newStatus) {
    return new Conversion(clickId, event, txid, campaignId, affiliateId, newStatus, amount, currency, payout,
        payoutCurrency, createdAt, postbackId, extra, history, deliveries, payoutNote);
  }

  /** This conversion with another status history and delivery list, all else equal. */
  public Conversion withHistory(List<StatusChange> newHistory, List<DeliveryAttempt> newDeliveries) {
    return new Conversion(clickId, event, txid, campaignId, affiliateId, status, amount, currency, payout,
        payoutCurrency, createdAt, postbackId, extra, newHistory, newDeliveries, payoutNote);
  }

  public Conversion {
    extra = extra == null ? Map.of() : Map.copyOf(extra);
    history = history == null ? List.of() : List.copyOf(history);
    deliveries = deliveries == null ? List.of() : List.copyOf(deliveries);
  }

  /**
   * The dedupe key within the click: {@code event#txid}, or {@code event} alone when repeat sales
   * are not allowed, so that a second txid collides with the first.
   */
  public static String key(String event, String txid, boolean allowRepeatSales) {
    return allowRepeatSales ? event + "#" + txid : event;
  }

  /** Whether the postback {@code postbackId} created this conversion or changed its status. */
  public boolean touchedBy(String postbackId) {
    return history.stream().anyMatch(h -> h.postbackId().equals(postbackId));
  }

  /** Whether a delivery to {@code target} succeeded for {@code status}. */
  public boolean deliveredFor(String target, ConversionStatus status) {
    return deliveries.stream().anyMatch(d -> d.ok() && d.target().equals(target) && d.status() == status);
  }
}
