package dev.postbackrelay.forwarding.builders;

import static dev.postbackrelay.forwarding.builders.Fixtures.CLICK_ID;
import static dev.postbackrelay.forwarding.builders.Fixtures.KEY;
import static dev.postbackrelay.forwarding.builders.Fixtures.NOW;
import static dev.postbackrelay.forwarding.builders.Fixtures.SECRET;
import static dev.postbackrelay.forwarding.builders.Fixtures.body;
import static dev.postbackrelay.forwarding.builders.Fixtures.click;
import static dev.postbackrelay.forwarding.builders.Fixtures.conversion;
import static dev.postbackrelay.forwarding.builders.Fixtures.postback;
import static dev.postbackrelay.forwarding.builders.Fixtures.sent;
import static dev.postbackrelay.forwarding.builders.Fixtures.skipped;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.campaign.Destination.BodyFormat;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.forwarding.OutboundRequest;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PostbackRequestBuilderTest {

  private static final String DOC_TEMPLATE = "https://partner.example.net/postback?clickid={sub1}&status={status}"
      + "&payout={payout}&currency={currency}&txid={txid}";
  private static final String EVERY_MACRO = "https://tracker.example.com/pb?cid={click_id}&s1={sub1}&s2={sub2}"
      + "&s10={sub10}&e={event}&st={status}&p={payout}&a={amount}&cur={currency}&tx={txid}&camp={campaign_id}"
      + "&aff={affiliate_id}&ext={external_id}";

  private final PostbackRequestBuilder builder = new PostbackRequestBuilder();

  private OutboundRequest get(String template, boolean urlEncode, Conversion conversion, Click click) {
    return sent(builder.plan(postback(template, "GET", null, urlEncode, null), conversion, click, KEY, NOW));
  }

  @Test
  void documentedGetExample_isReproducedByteForByte() {
    OutboundRequest request = sent(builder.plan(postback(DOC_TEMPLATE, "GET", null, true, SECRET), conversion(),
        click(), KEY, NOW));

    assertEquals("GET", request.method());
    assertEquals(OutboundSignatureTest.DOC_GET_URL, request.url().toString());
    assertEquals(0, request.body().length);
    assertEquals(Map.of("Idempotency-Key", KEY, "User-Agent", "postback-relay/1", "X-Relay-Timestamp", "1735733105",
        "X-Relay-Signature", "v1=" + OutboundSignatureTest.DOC_GET_SIGNATURE), request.headers());
  }

  @Test
  void documentedJsonExample_isReproducedByteForByte() {
    OutboundRequest request = sent(builder.plan(postback(OutboundSignatureTest.DOC_POST_URL, "POST", BodyFormat.JSON,
        true, SECRET), conversion(), click(), KEY, NOW));

    assertEquals("POST", request.method());
    assertEquals(OutboundSignatureTest.DOC_POST_URL, request.url().toString());
    assertEquals(OutboundSignatureTest.DOC_POST_BODY, body(request));
    assertEquals("application/json", request.headers().get("Content-Type"));
    assertEquals("v1=" + OutboundSignatureTest.DOC_POST_SIGNATURE, request.headers().get("X-Relay-Signature"));
  }

  @Test
  void everyMacro_isFilled_urlEncoded() {
    Click click = click(Map.of("sub1", "fb ads/Q1", "sub2", "a&b=c", "sub10", "ü"), Map.of());

    assertEquals("https://tracker.example.com/pb?cid=" + CLICK_ID + "&s1=fb%20ads%2FQ1&s2=a%26b%3Dc&s10=%C3%BC"
            + "&e=deposit&st=approved&p=12.50&a=50.00&cur=EUR&tx=INV-2025%2F0042&camp=camp-1001&aff=aff-42"
            + "&ext=cust-88213",
        get(EVERY_MACRO, true, conversion(), click).url().toString());
  }

  @Test
  void externalId_isEmpty_withoutACustomer_andMissingValuesFillEmpty() {
    Conversion noCustomer = conversion("deposit", null, new BigDecimal("12.5"), Map.of());

    assertEquals("https://tracker.example.com/pb?ext=&a=&s3=",
        get("https://tracker.example.com/pb?ext={external_id}&a={amount}&s3={sub3}", true, noCustomer, click())
            .url().toString());
  }

  @Test
  void moneyMacros_havePlainDecimals_withAtLeastTwo() {
    Conversion c = conversion("sale", new BigDecimal("1E+2"), new BigDecimal("0.1250"), Map.of());

    assertEquals("https://tracker.example.com/pb?a=100.00&p=0.125",
        get("https://tracker.example.com/pb?a={amount}&p={payout}", true, c, click()).url().toString());
  }

  @Test
  void rawMode_insertsValuesAsTheyAre_butNeverCrLfSpaceFragmentOrAnythingThatChangesTheShape() {
    Click click = click(Map.of("sub1", "a/b&c=d", "sub2", "x y\r\nX-Injected: 1", "sub3", "50%off",
        "sub4", "already%20encoded", "sub5", "ü#frag", "sub6", "a,b!(c)*~$'"), Map.of());

    assertEquals("https://tracker.example.com/pb?s1=a%2Fb%26c%3Dd&s2=x%20y%0D%0AX-Injected%3A%201&s3=50%25off"
            + "&s4=already%20encoded&s5=%C3%BC%23frag&s6=a,b!(c)*~$'&tx=INV-2025%2F0042",
        get("https://tracker.example.com/pb?s1={sub1}&s2={sub2}&s3={sub3}&s4={sub4}&s5={sub5}&s6={sub6}&tx={txid}", false,
            conversion(), click).url().toString());
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void valueCannotAddAQueryParameter(boolean urlEncode) {
    Click click = click(Map.of("sub1", "x&payout=9999"), Map.of());

    OutboundRequest request = get("https://tracker.example.com/pb?s1={sub1}&p={payout}", urlEncode, conversion(), click);

    assertEquals("s1=x%26payout%3D9999&p=12.50", request.url().getRawQuery());
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void valueCannotChangeThePath(boolean urlEncode) {
    for (String value : new String[] {"../../admin?", "..", ".", "a/../../admin;x=1"}) {
      Click click = click(Map.of("sub1", value), Map.of());

      OutboundRequest request = get("https://tracker.example.com/t/{sub1}/pb?c={click_id}", urlEncode, conversion(), click);

      String path = request.url().getRawPath();
      assertTrue(path.startsWith("/t/") && path.endsWith("/pb") && path.chars().filter(c -> c == '/').count() == 3,
          value + " -> " + request.url());
      assertFalse(path.contains("/../") || path.contains("/./") || path.contains("?") || path.contains(";"),
          value + " -> " + request.url());
      assertEquals("c=" + CLICK_ID, request.url().getRawQuery(), value + " -> " + request.url());
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void macroInTheAuthority_ofAStoredTemplate_isSkipped_neverSentToAnotherHost(boolean urlEncode) {
    for (String template : new String[] {"https://{sub1}/pb", "https://{sub1}.tracker.example.com/pb",
        "https://tracker.example.com{sub1}/pb", "https://u{sub1}@tracker.example.com/pb"}) {
      Click click = click(Map.of("sub1", "evil.example"), Map.of());

      String reason = skipped(builder.plan(postback(template, "GET", null, urlEncode, null), conversion(), click, KEY, NOW));

      assertTrue(reason.startsWith("invalid_url"), template + " -> " + reason);
    }
  }

  @Test
  void partnersOwnPlaceholders_survive_percentEncoded() {
    assertEquals("https://tracker.example.com/pb?cid=" + CLICK_ID + "&mine=%7Baff_sub%7D",
        get("https://tracker.example.com/pb?cid={click_id}&mine={aff_sub}", true, conversion(), click())
            .url().toString());
  }

  @Test
  void url_isNormalisedToWhatGoesOnTheWire() {
    assertEquals("https://partner.example.net/?cid=" + CLICK_ID,
        get("  HTTPS://Partner.Example.NET?cid={click_id}#section  ", true, conversion(), click()).url().toString());
    assertEquals("http://partner.example.net:8080/pb",
        get("http://partner.example.net:8080/pb?{sub3}", true, conversion(), click()).url().toString());
  }

  @Test
  void postForm_movesTheFilledQueryIntoTheBody_andSignsTheUrlWithoutIt() {
    OutboundRequest request = sent(builder.plan(postback(DOC_TEMPLATE, "post", BodyFormat.FORM, true, SECRET),
        conversion(), click(), KEY, NOW));

    assertEquals("POST", request.method());
    assertEquals("https://partner.example.net/postback", request.url().toString());
    assertEquals("clickid=aff-sub-9f3a&status=approved&payout=12.50&currency=EUR&txid=INV-2025%2F0042", body(request));
    assertEquals("application/x-www-form-urlencoded", request.headers().get("Content-Type"));
    assertTrue(OutboundSignature.verify(SECRET, request.headers().get("X-Relay-Timestamp"),
        request.headers().get("X-Relay-Signature"), "POST", "https://partner.example.net/postback", request.body(),
        NOW));
  }

  @Test
  void postJson_keepsTheUrlsQuery_andLeavesOutAbsentFields() {
    Conversion noAmountNoCustomer = conversion("registration", null, new BigDecimal("2"), Map.of());
    Click click = click(Map.of("sub1", "fb-campaign-7", "sub3", "ad \"12\"", "sub4", ""), Map.of());

    OutboundRequest request = sent(builder.plan(postback("https://api.partner.example.net/v2/conv?key=pk_81c2&cid="
        + "{click_id}", "POST", BodyFormat.JSON, true, null), noAmountNoCustomer, click, KEY, NOW));

    assertEquals("https://api.partner.example.net/v2/conv?key=pk_81c2&cid=" + CLICK_ID, request.url().toString());
    assertEquals("{\"click_id\":\"" + CLICK_ID + "\",\"campaign_id\":\"camp-1001\",\"affiliate_id\":\"aff-42\","
        + "\"event\":\"registration\",\"status\":\"approved\",\"payout\":\"2.00\",\"currency\":\"EUR\","
        + "\"txid\":\"INV-2025/0042\",\"sub1\":\"fb-campaign-7\",\"sub3\":\"ad \\\"12\\\"\"}", body(request));
  }

  @Test
  void idempotencyKeyAndUserAgent_areAlwaysSet_andNothingIsSignedWithoutASecret() {
    for (Destination d : new Destination[] {postback(DOC_TEMPLATE, "GET", null, true, null),
        postback(DOC_TEMPLATE, "POST", BodyFormat.FORM, false, null),
        postback(DOC_TEMPLATE, "POST", BodyFormat.JSON, true, "")}) {
      Map<String, String> headers = sent(builder.plan(d, conversion(), click(), KEY, NOW)).headers();
      assertEquals(KEY, headers.get("Idempotency-Key"));
      assertEquals("postback-relay/1", headers.get("User-Agent"));
      assertFalse(headers.containsKey("X-Relay-Signature"));
      assertFalse(headers.containsKey("X-Relay-Timestamp"));
    }
  }

  @Test
  void aRetryLater_hasTheSameRequest_butItsOwnTimestampAndSignature() {
    Destination d = postback(DOC_TEMPLATE, "POST", BodyFormat.FORM, true, SECRET);
    OutboundRequest first = sent(builder.plan(d, conversion(), click(), KEY, NOW));
    OutboundRequest retry = sent(builder.plan(d, conversion(), click(), KEY, NOW.plusSeconds(300)));

    assertEquals(first.url(), retry.url());
    assertArrayEquals(first.body(), retry.body());
    assertEquals(first.headers().get("Idempotency-Key"), retry.headers().get("Idempotency-Key"));
    assertEquals("1735733405", retry.headers().get("X-Relay-Timestamp"));
    assertNotEquals(first.headers().get("X-Relay-Signature"), retry.headers().get("X-Relay-Signature"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://partner.example.net/pb?c={click_id}", "partner.example.net/pb?c={click_id}",
      "/pb?c={click_id}", "javascript:alert(1)", "https:///pb?key=pk_secret", "https://user:pk_secret@partner.example.net/",
      "https://bad host.example/pb?key=pk_secret", "https://part_ner.example.net/pb?key=pk_secret", "{sub1}"})
  void aTemplateThatIsNoHttpUrl_isSkipped_withoutEchoingIt(String template) {
    String reason = skipped(builder.plan(postback(template, "GET", null, true, null), conversion(), click(), KEY, NOW));

    assertTrue(reason.startsWith("invalid_url: "), reason);
    assertFalse(reason.contains("pk_secret") || reason.contains("partner"), reason);
  }

  @Test
  void noTemplate_orAnUnsupportedMethod_isSkipped() {
    assertEquals("invalid_url: no URL template",
        skipped(builder.plan(postback(" ", "GET", null, true, null), conversion(), click(), KEY, NOW)));
    assertEquals("unsupported_method",
        skipped(builder.plan(postback(DOC_TEMPLATE, "PUT", null, true, null), conversion(), click(), KEY, NOW)));
  }

  @Test
  void withoutAClick_subsAreEmpty_andTheRestIsFilled() {
    assertEquals("https://tracker.example.com/pb?s1=&cid=" + CLICK_ID + "&ext=cust-88213",
        get("https://tracker.example.com/pb?s1={sub1}&cid={click_id}&ext={external_id}", true, conversion(), null)
            .url().toString());
  }
}
