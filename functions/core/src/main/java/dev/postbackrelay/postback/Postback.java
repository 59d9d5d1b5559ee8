package dev.postbackrelay.postback;

import dev.postbackrelay.attribution.ConversionStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

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
    Map<String, String> extra) {

  public Postback {
    txid = txid == null ? "" : txid;
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }

  public Postback withClickId(String resolvedClickId) {
    return new Postback(postbackId, receivedAt, sourceIp, resolvedClickId, campaignId, affiliateId, event, txid,
        amount, payout, currency, conversionRate, status, statusWord, customerId, newCustomer, extra);
  }
}
