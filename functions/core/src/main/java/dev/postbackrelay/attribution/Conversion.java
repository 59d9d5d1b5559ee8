package dev.postbackrelay.attribution;

import dev.postbackrelay.click.Click;
import dev.postbackrelay.common.ConversionStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
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
 * @param revenue the sale value counted in reports: {@code amount} converted into the campaign's currency
 *     by the same rate as the payout, or {@code amount} itself where attribution had no rate; null with no amount
 * @param revenueCurrency the currency of {@code revenue}
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
    String payoutNote,
    BigDecimal revenue,
    String revenueCurrency) {

  /** This conversion with another status, all else equal. */
  public Conversion withStatus(ConversionStatus newStatus) {
    return toBuilder().status(newStatus).build();
  }

  /** This conversion with another status history and delivery list, all else equal. */
  public Conversion withHistory(List<StatusChange> newHistory, List<DeliveryAttempt> newDeliveries) {
    return toBuilder().history(newHistory).deliveries(newDeliveries).build();
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

  /**
   * The click as this conversion remembers it, for when the click itself has expired from the
   * store (status changes and deliveries often come months after the click): its ids, the sub ids
   * and other parameters it passed on, and nothing of the visitor.
   */
  public Click rememberedClick() {
    Map<String, String> subs = new LinkedHashMap<>();
    extra.forEach((k, v) -> {
      if (Click.isSubId(k)) {
        subs.put(k, v);
      }
    });
    return Click.builder().clickId(clickId).campaignId(campaignId).affiliateId(affiliateId).createdAt(createdAt)
        .subs(subs).extra(extra).expiresAt(createdAt).build();
  }

  /** Whether a delivery to {@code target} succeeded for {@code status}. */
  public boolean deliveredFor(String target, ConversionStatus status) {
    return deliveries.stream().anyMatch(d -> d.ok() && d.target().equals(target) && d.status() == status);
  }

  /** A builder with every component unset: null, or the constructor's default where it has one. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this conversion's components, to change some by name. */
  public Builder toBuilder() {
    return new Builder()
        .clickId(clickId).event(event).txid(txid).campaignId(campaignId).affiliateId(affiliateId).status(status)
        .amount(amount).currency(currency).payout(payout).payoutCurrency(payoutCurrency).createdAt(createdAt)
        .postbackId(postbackId).extra(extra).history(history).deliveries(deliveries).payoutNote(payoutNote)
        .revenue(revenue).revenueCurrency(revenueCurrency);
  }

  /** Names each component of a {@link Conversion}; the only caller of its canonical constructor. */
  public static final class Builder {
    private String clickId;
    private String event;
    private String txid;
    private String campaignId;
    private String affiliateId;
    private ConversionStatus status;
    private BigDecimal amount;
    private String currency;
    private BigDecimal payout;
    private String payoutCurrency;
    private Instant createdAt;
    private String postbackId;
    private Map<String, String> extra;
    private List<StatusChange> history;
    private List<DeliveryAttempt> deliveries;
    private String payoutNote;
    private BigDecimal revenue;
    private String revenueCurrency;

    private Builder() {}

    public Builder clickId(String clickId) {
      this.clickId = clickId;
      return this;
    }

    public Builder event(String event) {
      this.event = event;
      return this;
    }

    public Builder txid(String txid) {
      this.txid = txid;
      return this;
    }

    public Builder campaignId(String campaignId) {
      this.campaignId = campaignId;
      return this;
    }

    public Builder affiliateId(String affiliateId) {
      this.affiliateId = affiliateId;
      return this;
    }

    public Builder status(ConversionStatus status) {
      this.status = status;
      return this;
    }

    public Builder amount(BigDecimal amount) {
      this.amount = amount;
      return this;
    }

    public Builder currency(String currency) {
      this.currency = currency;
      return this;
    }

    public Builder payout(BigDecimal payout) {
      this.payout = payout;
      return this;
    }

    public Builder payoutCurrency(String payoutCurrency) {
      this.payoutCurrency = payoutCurrency;
      return this;
    }

    public Builder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    public Builder postbackId(String postbackId) {
      this.postbackId = postbackId;
      return this;
    }

    public Builder extra(Map<String, String> extra) {
      this.extra = extra;
      return this;
    }

    public Builder history(List<StatusChange> history) {
      this.history = history;
      return this;
    }

    public Builder deliveries(List<DeliveryAttempt> deliveries) {
      this.deliveries = deliveries;
      return this;
    }

    public Builder payoutNote(String payoutNote) {
      this.payoutNote = payoutNote;
      return this;
    }

    public Builder revenue(BigDecimal revenue) {
      this.revenue = revenue;
      return this;
    }

    public Builder revenueCurrency(String revenueCurrency) {
      this.revenueCurrency = revenueCurrency;
      return this;
    }

    public Conversion build() {
      return new Conversion(clickId, event, txid, campaignId, affiliateId, status, amount, currency, payout,
          payoutCurrency, createdAt, postbackId, extra, history, deliveries, payoutNote, revenue, revenueCurrency);
    }
  }
}
