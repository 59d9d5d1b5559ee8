package dev.postbackrelay.postback;

import dev.postbackrelay.common.ConversionStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An accepted postback: validated, authenticated, normalised to canonical names, and queued for
 * attribution. This is the message body on the conversion queue.
 *
 * @param clickId our click id, or null for a lifetime postback that names a customer instead
 * @param campaignId the campaign it was authenticated against
 * @param event the event name, lower-cased ({@code conversion} when the sender named none)
 * @param txid the advertiser's transaction id (the dedupe key), or empty when none was sent
 * @param status the status mapped to ours, or null when the sender sent none
 * @param statusWord the sender's own status word, kept for the log
 * @param extra parameters we have no canonical name for, kept on the conversion
 * @param authenticatedBy the campaign credentials this postback proved at the edge; empty when the
 *     campaign asks for none ({@code postback_auth: none}). Whether its own {@code payout} counts
 *     depends on it (the campaign's {@code postback_payout})
 * @param sent the parameters as they arrived, in order, credentials masked and bounded
 *     ({@code Masking.asSent}): what the received-postbacks log shows
 */
public record Postback(
    String postbackId,
    Instant receivedAt,
    String sourceIp,
    String clickId,
    String campaignId,
    String affiliateId,
    String event,
    String txid,
    BigDecimal amount,
    BigDecimal payout,
    String currency,
    BigDecimal conversionRate,
    ConversionStatus status,
    String statusWord,
    String customerId,
    boolean newCustomer,
    Map<String, String> extra,
    Set<Authentication> authenticatedBy,
    List<Map.Entry<String, String>> sent) {

  /** A credential a postback proved: each counts as authentication on its own. */
  public enum Authentication {
    /** The campaign's postback token matched (constant-time comparison). */
    TOKEN,
    /** The HMAC signature over the request was valid and fresh. */
    SIGNATURE,
    /**
     * The source address (the TCP peer API Gateway saw, not a header the sender writes) was on the
     * campaign's IP allowlist.
     */
    IP_ALLOWLIST;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Authentication fromCode(String code) {
      return valueOf(code.toUpperCase(Locale.ROOT));
    }
  }

  public Postback {
    txid = txid == null ? "" : txid;
    extra = extra == null ? Map.of() : Map.copyOf(extra);
    authenticatedBy = authenticatedBy == null ? Set.of() : Set.copyOf(authenticatedBy);
    sent = sent == null ? List.of() : List.copyOf(sent);
  }

  /** Whether the sender proved any credential of the campaign. */
  public boolean authenticated() {
    return !authenticatedBy.isEmpty();
  }

  /** This postback with another click id (the one a lifetime customer resolved to), all else equal. */
  public Postback withClickId(String resolvedClickId) {
    return toBuilder().clickId(resolvedClickId).build();
  }

  /** A builder with every component unset: null (the constructor's default, where it has one) or false. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this postback's components, to change some by name. */
  public Builder toBuilder() {
    return new Builder()
        .postbackId(postbackId).receivedAt(receivedAt).sourceIp(sourceIp).clickId(clickId).campaignId(campaignId)
        .affiliateId(affiliateId).event(event).txid(txid).amount(amount).payout(payout).currency(currency)
        .conversionRate(conversionRate).status(status).statusWord(statusWord).customerId(customerId)
        .newCustomer(newCustomer).extra(extra).authenticatedBy(authenticatedBy).sent(sent);
  }

  /** Names each component of a {@link Postback}; the only caller of its canonical constructor. */
  public static final class Builder {
    private String postbackId;
    private Instant receivedAt;
    private String sourceIp;
    private String clickId;
    private String campaignId;
    private String affiliateId;
    private String event;
    private String txid;
    private BigDecimal amount;
    private BigDecimal payout;
    private String currency;
    private BigDecimal conversionRate;
    private ConversionStatus status;
    private String statusWord;
    private String customerId;
    private boolean newCustomer;
    private Map<String, String> extra;
    private Set<Authentication> authenticatedBy;
    private List<Map.Entry<String, String>> sent;

    private Builder() {}

    public Builder postbackId(String postbackId) {
      this.postbackId = postbackId;
      return this;
    }

    public Builder receivedAt(Instant receivedAt) {
      this.receivedAt = receivedAt;
      return this;
    }

    public Builder sourceIp(String sourceIp) {
      this.sourceIp = sourceIp;
      return this;
    }

    public Builder clickId(String clickId) {
      this.clickId = clickId;
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

    public Builder event(String event) {
      this.event = event;
      return this;
    }

    public Builder txid(String txid) {
      this.txid = txid;
      return this;
    }

    public Builder amount(BigDecimal amount) {
      this.amount = amount;
      return this;
    }

    public Builder payout(BigDecimal payout) {
      this.payout = payout;
      return this;
    }

    public Builder currency(String currency) {
      this.currency = currency;
      return this;
    }

    public Builder conversionRate(BigDecimal conversionRate) {
      this.conversionRate = conversionRate;
      return this;
    }

    public Builder status(ConversionStatus status) {
      this.status = status;
      return this;
    }

    public Builder statusWord(String statusWord) {
      this.statusWord = statusWord;
      return this;
    }

    public Builder customerId(String customerId) {
      this.customerId = customerId;
      return this;
    }

    public Builder newCustomer(boolean newCustomer) {
      this.newCustomer = newCustomer;
      return this;
    }

    public Builder extra(Map<String, String> extra) {
      this.extra = extra;
      return this;
    }

    public Builder authenticatedBy(Set<Authentication> authenticatedBy) {
      this.authenticatedBy = authenticatedBy;
      return this;
    }

    public Builder sent(List<Map.Entry<String, String>> sent) {
      this.sent = sent;
      return this;
    }

    public Postback build() {
      return new Postback(postbackId, receivedAt, sourceIp, clickId, campaignId, affiliateId, event, txid, amount,
          payout, currency, conversionRate, status, statusWord, customerId, newCustomer, extra, authenticatedBy, sent);
    }
  }
}
