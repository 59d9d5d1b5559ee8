package dev.postbackrelay.forwarding.builders;

import static dev.postbackrelay.forwarding.builders.Fixtures.CONVERTED_AT;
import static dev.postbackrelay.forwarding.builders.Fixtures.FBCLID;
import static dev.postbackrelay.forwarding.builders.Fixtures.IP;
import static dev.postbackrelay.forwarding.builders.Fixtures.KEY;
import static dev.postbackrelay.forwarding.builders.Fixtures.NOW;
import static dev.postbackrelay.forwarding.builders.Fixtures.UA;
import static dev.postbackrelay.forwarding.builders.Fixtures.body;
import static dev.postbackrelay.forwarding.builders.Fixtures.click;
import static dev.postbackrelay.forwarding.builders.Fixtures.conversion;
import static dev.postbackrelay.forwarding.builders.Fixtures.convertedAt;
import static dev.postbackrelay.forwarding.builders.Fixtures.platform;
import static dev.postbackrelay.forwarding.builders.Fixtures.sent;
import static dev.postbackrelay.forwarding.builders.Fixtures.skipped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.forwarding.OutboundRequest;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetaConversionsApiBuilderTest {

  private static final String TOKEN = "EAAGm0PX4ZCpsBAKZBq8dummyTokenZDZD";
  private static final Map<String, String> SETTINGS = Map.of("pixel_id", "1234567890123456", "access_token", TOKEN);

  private final MetaConversionsApiBuilder builder = new MetaConversionsApiBuilder();

  private static Destination meta(Map<String, String> settings) {
    return platform(Destination.Type.META_CAPI, null, settings);
  }

  private static Map<String, String> settingsWith(String name, String value) {
    Map<String, String> settings = new HashMap<>(SETTINGS);
    settings.put(name, value);
    return settings;
  }

  @Test
  void purchase_isPostedToThePixel_withFbcUserDataValueAndDeterministicEventId() {
    OutboundRequest request = sent(builder.plan(meta(SETTINGS), conversion(), click(), KEY, NOW));

    assertEquals("POST", request.method());
    assertEquals("https://graph.facebook.com/v25.0/1234567890123456/events", request.url().toString());
    assertEquals("{\"data\":[{\"event_name\":\"Purchase\",\"event_time\":1735732800,\"action_source\":\"website\","
        + "\"event_id\":\"" + BuilderSupport.conversionEventId(conversion()) + "\",\"user_data\":{\"fbc\":\"fb.1.1735731737250." + FBCLID + "\","
        + "\"client_ip_address\":\"" + IP + "\",\"client_user_agent\":\"" + UA + "\"},"
        + "\"custom_data\":{\"value\":50.00,\"currency\":\"EUR\"}}]}", body(request));
    assertEquals(Map.of("Authorization", "Bearer " + TOKEN, "Content-Type", "application/json", "Idempotency-Key", KEY,
        "User-Agent", "postback-relay/1"), request.headers());
  }

  @Test
  void accessToken_isNeverInTheUrlOrBody() {
    OutboundRequest request = sent(builder.plan(meta(SETTINGS), conversion(), click(), KEY, NOW));

    assertFalse(request.url().toString().contains(TOKEN));
    assertFalse(body(request).contains(TOKEN));
  }

  @ParameterizedTest
  @CsvSource({"sale,Purchase", "Deposit,Purchase", "conversion,Purchase", "registration,CompleteRegistration",
      "signup,CompleteRegistration", "lead,Lead", "level_up,level_up"})
  void ourEvent_isMappedToMetasStandardEvent_orSentAsCustom(String event, String eventName) {
    OutboundRequest request = sent(builder.plan(meta(SETTINGS), conversion(event, new BigDecimal("9.99"), null,
        Map.of()), click(), KEY, NOW));

    assertTrue(body(request).contains("\"event_name\":\"" + eventName + "\""), body(request));
  }

  @Test
  void configuredEventName_winsOverTheMapping_andActionSourceAndTestCodeApply() {
    Map<String, String> settings = settingsWith("event_name", "Subscribe");
    settings.put("action_source", "app");
    settings.put("test_event_code", "TEST48213");

    String body = body(sent(builder.plan(meta(settings), conversion(), click(), KEY, NOW)));

    assertTrue(body.startsWith("{\"data\":[{\"event_name\":\"Subscribe\",\"event_time\":1735732800,"
        + "\"action_source\":\"app\","), body);
    assertTrue(body.endsWith("\"currency\":\"EUR\"}}],\"test_event_code\":\"TEST48213\"}"), body);
  }

  @Test
  void anEventExactlySevenDaysOld_isSkipped_oneSecondYounger_isSent() {
    assertEquals("event_too_old: Meta refuses events older than 7 days",
        skipped(builder.plan(meta(SETTINGS), conversion(), click(), KEY, CONVERTED_AT.plus(Duration.ofDays(7)))));
    sent(builder.plan(meta(SETTINGS), convertedAt(NOW.minus(Duration.ofDays(7)).plusSeconds(1)), click(), KEY, NOW));
  }

  @Test
  void withoutAnAmount_thePayoutIsTheValue_inThePayoutsCurrency() {
    Conversion payoutOnly = Conversion.builder().clickId(Fixtures.CLICK_ID).event("lead").txid("")
        .campaignId("camp-1001").affiliateId("aff-42").status(ConversionStatus.PENDING).currency("BRL")
        .payout(new BigDecimal("3")).payoutCurrency("USD").createdAt(CONVERTED_AT).postbackId("pb-1").build();

    assertTrue(body(sent(builder.plan(meta(SETTINGS), payoutOnly, click(), KEY, NOW)))
        .contains("\"custom_data\":{\"value\":3.00,\"currency\":\"USD\"}"));
  }

  @Test
  void aClickWithoutFbclid_hasNoFbc_butStillIpAndUserAgent() {
    Click noFbclid = click(Map.of(), Map.of("gclid", Fixtures.GCLID));

    assertTrue(body(sent(builder.plan(meta(SETTINGS), conversion(), noFbclid, KEY, NOW)))
        .contains("\"user_data\":{\"client_ip_address\":\"" + IP + "\",\"client_user_agent\":\"" + UA + "\"}"));
  }

  @Test
  void nothingToMatchOn_isSkipped_ratherThanRetriedAgainstARefusal() {
    assertTrue(skipped(builder.plan(meta(SETTINGS), conversion(), null, KEY, NOW)).startsWith("no_user_data: "));
  }

  @Test
  void missingPixelOrToken_isSkipped_namingTheSetting() {
    assertEquals("missing_setting: pixel_id",
        skipped(builder.plan(meta(Map.of("access_token", TOKEN)), conversion(), click(), KEY, NOW)));
    assertEquals("missing_setting: access_token",
        skipped(builder.plan(meta(settingsWith("access_token", " ")), conversion(), click(), KEY, NOW)));
    assertEquals("invalid_setting: access_token",
        skipped(builder.plan(meta(settingsWith("access_token", "EAAG\r\nX-Evil: 1")), conversion(), click(), KEY,
            NOW)));
  }

  @Test
  void endpointOverride_pointsAtALocalServer() {
    Destination local = platform(Destination.Type.META_CAPI, "http://127.0.0.1:18080/meta/v25.0/", SETTINGS);

    assertEquals("http://127.0.0.1:18080/meta/v25.0/1234567890123456/events",
        sent(builder.plan(local, conversion(), click(), KEY, NOW)).url().toString());
  }
}
