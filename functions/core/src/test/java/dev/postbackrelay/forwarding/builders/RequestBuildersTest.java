package dev.postbackrelay.forwarding.builders;

import static dev.postbackrelay.forwarding.builders.Fixtures.KEY;
import static dev.postbackrelay.forwarding.builders.Fixtures.NOW;
import static dev.postbackrelay.forwarding.builders.Fixtures.click;
import static dev.postbackrelay.forwarding.builders.Fixtures.conversion;
import static dev.postbackrelay.forwarding.builders.Fixtures.platform;
import static dev.postbackrelay.forwarding.builders.Fixtures.sent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.forwarding.OutboundRequest;
import dev.postbackrelay.forwarding.RequestBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestBuildersTest {

  @Test
  void eachDestinationType_hasItsBuilder() {
    assertInstanceOf(PostbackRequestBuilder.class, RequestBuilders.forType(Destination.Type.POSTBACK));
    assertInstanceOf(MetaConversionsApiBuilder.class, RequestBuilders.forType(Destination.Type.META_CAPI));
    assertInstanceOf(GoogleAdsConversionsBuilder.class, RequestBuilders.forType(Destination.Type.GOOGLE_ADS));
    assertInstanceOf(TikTokEventsBuilder.class, RequestBuilders.forType(Destination.Type.TIKTOK));
  }

  @Test
  void adPlatformRequests_areSignedToo_whenTheDestinationHasASecret() {
    Destination signed = new Destination("ads-tiktok", Destination.Type.TIKTOK, null, null, null, null, true, null,
        null, null, Fixtures.SECRET, Map.of("pixel_code", "CNQ2R8JC77U5M0PL2K4G", "access_token", "tok"));
    RequestBuilder builder = RequestBuilders.forType(signed.type());

    OutboundRequest request = sent(builder.plan(signed, conversion(), click(), KEY, NOW));

    assertEquals("1735733105", request.headers().get("X-Relay-Timestamp"));
    assertTrue(OutboundSignature.verify(Fixtures.SECRET, request.headers().get("X-Relay-Timestamp"),
        request.headers().get("X-Relay-Signature"), "POST", request.url().toString(), request.body(), NOW));
  }

  @Test
  void everyBuilder_setsTheIdempotencyKey() {
    Map<Destination.Type, Map<String, String>> settings = Map.of(
        Destination.Type.META_CAPI, Map.of("pixel_id", "1234567890123456", "access_token", "t"),
        Destination.Type.GOOGLE_ADS, Map.of("customer_id", "1234567890", "conversion_action", "1",
            "developer_token", "d", "access_token", "t"),
        Destination.Type.TIKTOK, Map.of("pixel_code", "CNQ2R8JC77U5M0PL2K4G", "access_token", "t"));
    settings.forEach((type, s) -> assertEquals(KEY, sent(RequestBuilders.forType(type)
        .plan(platform(type, null, s), conversion(), click(), KEY, NOW)).headers().get("Idempotency-Key")));
  }
}
