package dev.postbackrelay.forwarding.builders;

import static dev.postbackrelay.forwarding.builders.Fixtures.IP;
import static dev.postbackrelay.forwarding.builders.Fixtures.KEY;
import static dev.postbackrelay.forwarding.builders.Fixtures.NOW;
import static dev.postbackrelay.forwarding.builders.Fixtures.TTCLID;
import static dev.postbackrelay.forwarding.builders.Fixtures.UA;
import static dev.postbackrelay.forwarding.builders.Fixtures.body;
import static dev.postbackrelay.forwarding.builders.Fixtures.click;
import static dev.postbackrelay.forwarding.builders.Fixtures.conversion;
import static dev.postbackrelay.forwarding.builders.Fixtures.platform;
import static dev.postbackrelay.forwarding.builders.Fixtures.sent;
import static dev.postbackrelay.forwarding.builders.Fixtures.skipped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.forwarding.OutboundRequest;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TikTokEventsBuilderTest {

  private static final String TOKEN = "b4c1e0f3a9d2dummytiktoktoken7e5";
  private static final Map<String, String> SETTINGS = Map.of("pixel_code", "CNQ2R8JC77U5M0PL2K4G", "access_token",
      TOKEN);

  private final TikTokEventsBuilder builder = new TikTokEventsBuilder();

  private static Destination tiktok(Map<String, String> settings) {
    return platform(Destination.Type.TIKTOK, null, settings);
  }

  @Test
  void payment_isTracked_withEventSourceIdTtclidAndValue() {
    OutboundRequest request = sent(builder.plan(tiktok(SETTINGS), conversion(), click(), KEY, NOW));

    assertEquals("POST", request.method());
    assertEquals("https://business-api.tiktok.com/open_api/v1.3/event/track/", request.url().toString());
    assertEquals("{\"event_source\":\"web\",\"event_source_id\":\"CNQ2R8JC77U5M0PL2K4G\",\"data\":[{"
        + "\"event\":\"CompletePayment\",\"event_time\":1735732800,\"event_id\":\"" + BuilderSupport.conversionEventId(conversion()) + "\","
        + "\"user\":{\"ttclid\":\"" + TTCLID + "\",\"ip\":\"" + IP + "\",\"user_agent\":\"" + UA + "\"},"
        + "\"properties\":{\"value\":50.00,\"currency\":\"EUR\"}}]}", body(request));
    assertEquals(Map.of("Access-Token", TOKEN, "Content-Type", "application/json", "Idempotency-Key", KEY,
        "User-Agent", "postback-relay/1"), request.headers());
  }

  @Test
  void aClickWithoutTtclid_isStillSent_withoutIt() {
    String body = body(sent(builder.plan(tiktok(SETTINGS), conversion(), click(Map.of(), Map.of()), KEY, NOW)));

    assertTrue(body.contains("\"user\":{\"ip\":\"" + IP + "\",\"user_agent\":\"" + UA + "\"}"), body);
  }

  @ParameterizedTest
  @CsvSource({"sale,CompletePayment", "PURCHASE,CompletePayment", "deposit,CompletePayment",
      "registration,CompleteRegistration", "trial_start,trial_start"})
  void ourEvent_isMappedToTikToksStandardEvent_orSentAsItIs(String event, String tiktokEvent) {
    String body = body(sent(builder.plan(tiktok(SETTINGS), conversion(event, new BigDecimal("19.90"), null, Map.of()),
        click(), KEY, NOW)));

    assertTrue(body.contains("\"event\":\"" + tiktokEvent + "\""), body);
  }

  @Test
  void configuredEventName_winsOverTheMapping() {
    Map<String, String> settings = new HashMap<>(SETTINGS);
    settings.put("event_name", "PlaceAnOrder");

    assertTrue(body(sent(builder.plan(tiktok(settings), conversion(), click(), KEY, NOW)))
        .contains("\"event\":\"PlaceAnOrder\""));
  }

  @Test
  void missingPixelCodeOrToken_isSkipped_namingTheSetting() {
    assertEquals("missing_setting: pixel_code",
        skipped(builder.plan(tiktok(Map.of("access_token", TOKEN)), conversion(), click(), KEY, NOW)));
    assertEquals("missing_setting: access_token",
        skipped(builder.plan(tiktok(Map.of("pixel_code", "CNQ2R8JC77U5M0PL2K4G")), conversion(), click(), KEY, NOW)));
  }

  @Test
  void anInvalidEndpointOverride_isSkipped() {
    Destination broken = platform(Destination.Type.TIKTOK, "file:///etc/passwd", SETTINGS);

    assertEquals("invalid_url: not an absolute http(s) URL",
        skipped(builder.plan(broken, conversion(), click(), KEY, NOW)));
  }
}
