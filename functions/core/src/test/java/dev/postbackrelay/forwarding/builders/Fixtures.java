package dev.postbackrelay.forwarding.builders;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.forwarding.DeliveryPlan;
import dev.postbackrelay.forwarding.OutboundRequest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/** The worked example of docs/outbound-signing.md, as domain objects. */
final class Fixtures {

  /** 2025-01-01T12:05:05Z, the send time of the documented examples. */
  static final Instant NOW = Instant.ofEpochSecond(1735733105);
  static final Instant CONVERTED_AT = Instant.parse("2025-01-01T12:00:00Z");
  static final Instant CLICKED_AT = Instant.parse("2025-01-01T11:42:17.250Z");
  static final String SECRET = "whsec_4d8f2a9c1e7b3f6a0d5c8e2b9f1a4c7d";
  static final String KEY = "3f9c2a7e-8d41-5b6e-9f0a-1c2d3e4f5a6b";
  static final String CLICK_ID = "AZOv6tq1CJ7f0bX2kQ9mL4wE8sR3";
  static final String FBCLID = "IwAR2F4-Ng7Kx0vQeQ0lE8t3mJk9cPq5ZrT1bY6uWd";
  static final String GCLID = "Cj0KCQiA4-y8BhC3ARIsAHmjC_FxJk1fR2pUe8nQ9Wm0aB";
  static final String TTCLID = "E.C.P.v2kL9mQ3xT8rB5nW1yZ0aF4hJ6";
  static final String IP = "203.0.113.45";
  static final String UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
      + "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

  private Fixtures() {}

  static Conversion conversion() {
    return conversion("deposit", new BigDecimal("50.00"), new BigDecimal("12.5"), Map.of("customer_id", "cust-88213"));
  }

  static Conversion conversion(String event, BigDecimal amount, BigDecimal payout, Map<String, String> extra) {
    return Conversion.builder().clickId(CLICK_ID).event(event).txid("INV-2025/0042").campaignId("camp-1001")
        .affiliateId("aff-42").status(ConversionStatus.APPROVED).amount(amount).currency("EUR").payout(payout)
        .payoutCurrency("EUR").createdAt(CONVERTED_AT).postbackId("pb-01JGQ8ZC3T5W").extra(extra).build();
  }

  static Conversion convertedAt(Instant at) {
    return conversion().toBuilder().createdAt(at).build();
  }

  static Click click() {
    return click(Map.of("sub1", "aff-sub-9f3a"), Map.of("fbclid", FBCLID, "gclid", GCLID, "ttclid", TTCLID));
  }

  static Click click(Map<String, String> subs, Map<String, String> platformIds) {
    return Click.builder().clickId(CLICK_ID).campaignId("camp-1001").affiliateId("aff-42").createdAt(CLICKED_AT)
        .subs(subs).platformIds(platformIds).extra(Map.of("utm_source", "fb")).ip(IP).userAgent(UA)
        .referer("https://news.example.org/").country("DE").expiresAt(CLICKED_AT.plusSeconds(90L * 86400)).build();
  }

  static Destination postback(String url, String method, Destination.BodyFormat format, boolean urlEncode,
      String secret) {
    return new Destination("tsrc-propeller", Destination.Type.POSTBACK, null, url, method, format, urlEncode, null, null,
        null, secret, null);
  }

  static Destination platform(Destination.Type type, String endpoint, Map<String, String> settings) {
    return new Destination("ads-" + type.id(), type, null, endpoint, null, null, true, null, null, null,
        null, settings);
  }

  static OutboundRequest sent(DeliveryPlan plan) {
    return assertInstanceOf(DeliveryPlan.Send.class, plan).request();
  }

  static String skipped(DeliveryPlan plan) {
    return assertInstanceOf(DeliveryPlan.Skip.class, plan).reason();
  }

  static String body(OutboundRequest request) {
    return new String(request.body(), StandardCharsets.UTF_8);
  }
}
