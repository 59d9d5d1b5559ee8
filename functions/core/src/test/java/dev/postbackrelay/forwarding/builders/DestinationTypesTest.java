package dev.postbackrelay.forwarding.builders;

import static dev.postbackrelay.forwarding.builders.Fixtures.KEY;
import static dev.postbackrelay.forwarding.builders.Fixtures.NOW;
import static dev.postbackrelay.forwarding.builders.Fixtures.click;
import static dev.postbackrelay.forwarding.builders.Fixtures.conversion;
import static dev.postbackrelay.forwarding.builders.Fixtures.platform;
import static dev.postbackrelay.forwarding.builders.Fixtures.sent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.forwarding.OutboundRequest;
import dev.postbackrelay.forwarding.RequestBuilder;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DestinationTypesTest {

  @Test
  void eachBuiltInDestinationType_isItsBuilder() {
    assertInstanceOf(PostbackRequestBuilder.class, DestinationTypes.BUILT_IN.get(Destination.Type.POSTBACK));
    assertInstanceOf(MetaConversionsApiBuilder.class, DestinationTypes.BUILT_IN.get(Destination.Type.META_CAPI));
    assertInstanceOf(GoogleAdsConversionsBuilder.class, DestinationTypes.BUILT_IN.get(Destination.Type.GOOGLE_ADS));
    assertInstanceOf(TikTokEventsBuilder.class, DestinationTypes.BUILT_IN.get(Destination.Type.TIKTOK));
  }

  @Test
  void adPlatformRequests_areSignedToo_whenTheDestinationHasASecret() {
    Destination signed = new Destination("ads-tiktok", Destination.Type.TIKTOK, null, null, null, null, true, null,
        null, null, Fixtures.SECRET, Map.of("pixel_code", "CNQ2R8JC77U5M0PL2K4G", "access_token", "tok"));
    RequestBuilder builder = DestinationTypes.BUILT_IN.get(signed.type());

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
    settings.forEach((type, s) -> assertEquals(KEY, sent(DestinationTypes.BUILT_IN.get(type)
        .plan(platform(type, null, s), conversion(), click(), KEY, NOW)).headers().get("Idempotency-Key")));
  }

  @Test
  void typesAreFoundByTheirWireIdInAnyCase_andListedInRegistryOrder() {
    assertEquals(Optional.of(Destination.Type.META_CAPI), DestinationTypes.BUILT_IN.byId("META_capi"));
    assertEquals(Optional.empty(), DestinationTypes.BUILT_IN.byId("webhook"));
    assertEquals("postback, meta_capi, google_ads or tiktok", DestinationTypes.BUILT_IN.listed());
  }

  @Test
  void twoTypesWithOneId_areRefused() {
    assertThrows(IllegalArgumentException.class, () -> DestinationTypes.BUILT_IN.with(new TikTokEventsBuilder()));
  }

  @Test
  void anUnregisteredType_isNoType() {
    Destination.Type unknown = new Destination.Type("webhook");
    assertEquals(Optional.empty(), DestinationTypes.BUILT_IN.spec(unknown));
    assertThrows(IllegalArgumentException.class, () -> DestinationTypes.BUILT_IN.get(unknown));
  }

  @Test
  void theSecretsToMask_areEveryTypesSecretSettings() {
    assertEquals(Set.of("access_token", "developer_token", "client_secret", "refresh_token"),
        DestinationTypes.BUILT_IN.secretSettings());
  }
}
