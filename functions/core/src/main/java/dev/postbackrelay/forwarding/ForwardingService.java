package dev.postbackrelay.forwarding;

import dev.postbackrelay.RejectedException;
import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.attribution.ConversionStore;
import dev.postbackrelay.attribution.DeliveryAttempt;
import dev.postbackrelay.campaign.Affiliate;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.click.Click;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Relays a conversion to the affiliate's postback URL with the macros filled.
 *
 * <p>Each (conversion, target, status) is delivered until one attempt succeeds; a target that
 * already succeeded for the status is never called again. Every attempt is logged on the
 * conversion. The {@code Idempotency-Key} is derived from the conversion, target and status, so
 * it is the same on every retry.
 */
public final class ForwardingService {

  /** Macros a postback URL template may use. */
  public static final Set<String> MACROS = Set.of("click_id", "sub1", "sub2", "sub3", "sub4", "sub5", "sub6",
      "sub7", "sub8", "sub9", "sub10", "event", "status", "payout", "amount", "currency", "txid", "campaign_id",
      "affiliate_id", "external_id");

  private final ConversionStore conversions;
  private final PostbackSender sender;
  private final OutboundGuard guard;
  private final Clock clock;

  public ForwardingService(ConversionStore conversions, PostbackSender sender, OutboundGuard guard, Clock clock) {
    this.conversions = conversions;
    this.sender = sender;
    this.guard = guard;
    this.clock = clock;
  }

  /**
   * Delivers {@code conversion} (stored under {@code key}) to every target that fires for it and
   * has not yet received it.
   *
   * @return true when every such target has now received it
   */
  public boolean forward(String key, Conversion conversion, Click click, Campaign campaign) {
    Affiliate affiliate = campaign.affiliate(conversion.affiliateId()).orElse(null);
    if (affiliate == null || !affiliate.fires(conversion.event(), conversion.status())) {
      return true;
    }
    String target = "affiliate:" + conversion.affiliateId();
    if (conversion.deliveredFor(target, conversion.status())) {
      return true;
    }
    DeliveryAttempt attempt = attempt(target, conversion, click, affiliate);
    conversions.recordDelivery(conversion.clickId(), key, attempt);
    return attempt.ok();
  }

  private DeliveryAttempt attempt(String target, Conversion conversion, Click click, Affiliate affiliate) {
    Instant at = clock.instant();
    URI url;
    InetAddress address;
    try {
      // a partner's own placeholders ({aff_sub2}) survive filling; braces are not legal in a URI
      url = URI.create(UrlTemplate.fill(affiliate.postbackUrl(), values(conversion, click), MACROS)
          .replace("{", "%7B").replace("}", "%7D"));
      address = guard.checkAndResolve(url);
    } catch (RejectedException | IllegalArgumentException e) {
      return new DeliveryAttempt(target, conversion.status(), at, 0, 0, "forbidden_destination: " + e.getMessage());
    }
    String idempotencyKey = idempotencyKey(conversion, target);
    PostbackSender.Response response = sender.send(affiliate.method(), url, address, idempotencyKey);
    return new DeliveryAttempt(target, conversion.status(), at, response.httpStatus(), response.latencyMillis(),
        response.error());
  }

  /** Stable across retries of the same delivery; differs per target and per status announced. */
  static String idempotencyKey(Conversion conversion, String target) {
    return java.util.UUID.nameUUIDFromBytes((conversion.clickId() + "|" + conversion.event() + "|"
        + conversion.txid() + "|" + target + "|" + conversion.status().code())
        .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
  }

  static Map<String, String> values(Conversion conversion, Click click) {
    Map<String, String> values = new HashMap<>(click.subs());
    values.put("click_id", conversion.clickId());
    values.put("event", conversion.event());
    values.put("status", conversion.status().code());
    values.put("txid", conversion.txid());
    values.put("campaign_id", conversion.campaignId());
    values.put("affiliate_id", conversion.affiliateId());
    if (conversion.payout() != null) {
      values.put("payout", conversion.payout().toPlainString());
    }
    if (conversion.amount() != null) {
      values.put("amount", conversion.amount().toPlainString());
    }
    if (conversion.currency() != null) {
      values.put("currency", conversion.currency());
    }
    String external = conversion.extra().getOrDefault("customer_id", conversion.txid());
    values.put("external_id", external);
    return values;
  }
}
