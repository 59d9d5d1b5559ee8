package dev.postbackrelay.forwarding.builders;

import static dev.postbackrelay.forwarding.builders.Fixtures.GCLID;
import static dev.postbackrelay.forwarding.builders.Fixtures.KEY;
import static dev.postbackrelay.forwarding.builders.Fixtures.NOW;
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
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.forwarding.OutboundRequest;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoogleAdsConversionsBuilderTest {

  private static final String ACCESS_TOKEN = "ya29.a0AfB_byC4dummyAccessToken";
  private static final String DEVELOPER_TOKEN = "Zx9dEvT0kEn-AbCdEf123";
  private static final Map<String, String> SETTINGS = Map.of("customer_id", "123-456-7890", "conversion_action",
      "987654321", "developer_token", DEVELOPER_TOKEN, "access_token", ACCESS_TOKEN);
  private static final String GBRAID = "0AAAAADh2kP0x7mQ3fR9uLcWq5Ys8nVbE1";
  private static final String WBRAID = "CjkKCAjw0ZW4BhB_EiYAnUwq9wbraidExample";

  private final GoogleAdsConversionsBuilder builder = new GoogleAdsConversionsBuilder();

  private static Destination google(Map<String, String> settings) {
    return platform(Destination.Type.GOOGLE_ADS, null, settings);
  }

  @Test
  void clickConversion_isUploaded_withGclidActionDateTimeValueAndOrderId_inPartialFailureMode() {
    OutboundRequest request = sent(builder.plan(google(SETTINGS), conversion(), click(), KEY, NOW));

    assertEquals("POST", request.method());
    assertEquals("https://googleads.googleapis.com/v26/customers/1234567890:uploadClickConversions",
        request.url().toString());
    assertEquals("{\"conversions\":[{\"gclid\":\"" + GCLID + "\",\"conversionAction\":\"customers/1234567890/"
        + "conversionActions/987654321\",\"conversionDateTime\":\"2025-01-01 12:00:00+00:00\",\"conversionValue\":50.00,"
        + "\"currencyCode\":\"EUR\",\"orderId\":\"INV-2025/0042\"}],\"partialFailure\":true}", body(request));
    assertEquals(Map.of("Authorization", "Bearer " + ACCESS_TOKEN, "developer-token", DEVELOPER_TOKEN,
        "Content-Type", "application/json", "Idempotency-Key", KEY, "User-Agent", "postback-relay/1"),
        request.headers());
  }

  @Test
  void withoutGclid_gbraidIsUsed_thenWbraid() {
    String gbraidBody = body(sent(builder.plan(google(SETTINGS), conversion(),
        click(Map.of(), Map.of("gbraid", GBRAID, "wbraid", WBRAID)), KEY, NOW)));
    String wbraidBody = body(sent(builder.plan(google(SETTINGS), conversion(),
        click(Map.of(), Map.of("wbraid", WBRAID, "fbclid", Fixtures.FBCLID)), KEY, NOW)));

    assertTrue(gbraidBody.startsWith("{\"conversions\":[{\"gbraid\":\"" + GBRAID + "\",\"conversionAction\""),
        gbraidBody);
    assertFalse(gbraidBody.contains("wbraid"));
    assertTrue(wbraidBody.startsWith("{\"conversions\":[{\"wbraid\":\"" + WBRAID + "\",\"conversionAction\""),
        wbraidBody);
  }

  @Test
  void aClickWithoutAnyGoogleClickId_isSkipped() {
    assertEquals("no_google_click_id", skipped(builder.plan(google(SETTINGS), conversion(),
        click(Map.of(), Map.of("fbclid", Fixtures.FBCLID, "gclid", " ")), KEY, NOW)));
    assertEquals("no_google_click_id", skipped(builder.plan(google(SETTINGS), conversion(), null, KEY, NOW)));
  }

  @Test
  void conversionDateTime_isUtc_toTheSecond_withAnExplicitOffset() {
    String body = body(sent(builder.plan(google(SETTINGS), convertedAt(Instant.parse("2024-12-31T23:59:59.987Z")),
        click(), KEY, NOW)));

    assertTrue(body.contains("\"conversionDateTime\":\"2024-12-31 23:59:59+00:00\""), body);
  }

  @Test
  void withoutATxid_orderIdIsLeftOut_andThePayoutIsTheValue() {
    Conversion noTxidNoAmount = Conversion.builder().clickId(Fixtures.CLICK_ID).event("lead").txid("")
        .campaignId("camp-1001").affiliateId("aff-42").status(ConversionStatus.APPROVED).currency("EUR")
        .payout(new BigDecimal("4.5")).payoutCurrency("USD").createdAt(Fixtures.CONVERTED_AT).postbackId("pb-2")
        .build();

    String body = body(sent(builder.plan(google(SETTINGS), noTxidNoAmount, click(), KEY, NOW)));

    assertTrue(body.endsWith("\"conversionValue\":4.50,\"currencyCode\":\"USD\"}],\"partialFailure\":true}"), body);
    assertFalse(body.contains("orderId"));
  }

  @Test
  void managerAccount_isSentAsLoginCustomerId_andAFullActionResourceNameIsKept() {
    Map<String, String> settings = new HashMap<>(SETTINGS);
    settings.put("login_customer_id", "111-222-3333");
    settings.put("conversion_action", "customers/1234567890/conversionActions/555");

    OutboundRequest request = sent(builder.plan(google(settings), conversion(), click(), KEY, NOW));

    assertEquals("1112223333", request.headers().get("login-customer-id"));
    assertTrue(body(request).contains("\"conversionAction\":\"customers/1234567890/conversionActions/555\""));
  }

  @Test
  void missingSettings_areSkipped_namingTheFirst() {
    Map<String, String> settings = new HashMap<>(SETTINGS);
    settings.remove("developer_token");

    assertEquals("missing_setting: developer_token", skipped(builder.plan(google(settings), conversion(), click(), KEY,
        NOW)));
    assertEquals("missing_setting: customer_id", skipped(builder.plan(google(Map.of()), conversion(), click(), KEY,
        NOW)));
  }

  @Test
  void endpointOverride_pointsAtALocalServer() {
    Destination local = platform(Destination.Type.GOOGLE_ADS, "http://127.0.0.1:18081/gads/v26", SETTINGS);

    assertEquals("http://127.0.0.1:18081/gads/v26/customers/1234567890:uploadClickConversions",
        sent(builder.plan(local, conversion(), click(), KEY, NOW)).url().toString());
  }
}
