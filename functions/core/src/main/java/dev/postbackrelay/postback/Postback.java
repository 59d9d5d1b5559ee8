package dev.postbackrelay.postback;

import dev.postbackrelay.common.ConversionStatus;
import java.math.BigDecimal;
import java.time.Instant;
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
    Set<Authentication> authenticatedBy) {

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
  }

  /** Whether the sender proved any credential of the campaign. */
  public boolean authenticated() {
    return !authenticatedBy.isEmpty();
  }

  public Postback withClickId(String resolvedClickId) {
    return new Postback(postbackId, receivedAt, sourceIp, resolvedClickId, campaignId, affiliateId, event, txid,
        amount, payout, currency, conversionRate, status, statusWord, customerId, newCustomer, extra, authenticatedBy);
  }
}
