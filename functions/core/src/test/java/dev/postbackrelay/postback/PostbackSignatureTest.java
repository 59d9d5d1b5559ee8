package dev.postbackrelay.postback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.common.Params;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The signature as {@code docs/postback-signing.md} documents it to networks. */
class PostbackSignatureTest {

  private static final String SECRET = "cs_live_7Hq2VbN9xK4mR8tW3yZ6pL1d";
  private static final Instant NOW = Instant.ofEpochSecond(1735732800); // 2025-01-01T12:00:00Z

  /** The worked example of the signing guide. */
  private static Map<String, String> example() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("click_id", "AZOv6tq1CJ7f0bX2kQ9mL4wE8sR3");
    p.put("event", "deposit");
    p.put("amount", "50.00");
    p.put("currency", "EUR");
    p.put("txid", "INV-2025/0042");
    p.put("status", "approved");
    p.put("customer_id", "cust-88213");
    p.put("token", "pt_5f1c9a7e3b2d");
    p.put("ts", "1735732800");
    return p;
  }

  private static InboundPostback inbound(String method, Map<String, String> params) {
    return new InboundPostback(Params.of(List.copyOf(params.entrySet())), method, "/postback", "198.51.100.20");
  }

  private static Map<String, String> signed(String method, Map<String, String> params) {
    Map<String, String> out = new LinkedHashMap<>(params);
    out.put("sig", PostbackSignature.sign(SECRET, PostbackSignature.stringToSign(method, Params.of(params).pairs())));
    return out;
  }

  @Test
  void workedExample_ofTheSigningGuide_givesTheDocumentedCanonicalStringAndSignatures() {
    assertEquals("GET\n/postback\namount=50.00&click_id=AZOv6tq1CJ7f0bX2kQ9mL4wE8sR3&currency=EUR"
            + "&customer_id=cust-88213&event=deposit&status=approved&token=pt_5f1c9a7e3b2d&ts=1735732800"
            + "&txid=INV-2025%2F0042",
        PostbackSignature.stringToSign("GET", Params.of(example()).pairs()));
    Map<String, String> get = new LinkedHashMap<>(example());
    get.put("sig", "80d7451492438c022445c75fc0290cfeed25a2ba0ae0c34283a45cdbcbe5abd4");
    assertTrue(PostbackSignature.verify(SECRET, inbound("GET", get), NOW));
    Map<String, String> post = new LinkedHashMap<>(example());
    post.put("sig", "a78db11e4c68d6ef6b1d07eac71ba07c6fd4948ef32450122f817b4a788077fe");
    assertTrue(PostbackSignature.verify(SECRET, inbound("POST", post), NOW));
  }

  @Test
  void signedPostback_verifies_whateverTheParameterOrderOrNameCase() {
    Map<String, String> params = signed("GET", example());
    List<Map.Entry<String, String>> reversed = new ArrayList<>(params.entrySet());
    java.util.Collections.reverse(reversed);
    List<Map.Entry<String, String>> upper = reversed.stream()
        .map(e -> Map.entry(e.getKey().toUpperCase(Locale.ROOT), e.getValue())).toList();
    assertTrue(PostbackSignature.verify(SECRET,
        new InboundPostback(Params.of(upper), "GET", "/postback", "198.51.100.20"), NOW));
  }

  @Test
  void signature_inUpperCaseHex_isAccepted() {
    Map<String, String> params = signed("GET", example());
    params.put("sig", params.get("sig").toUpperCase(Locale.ROOT));
    assertTrue(PostbackSignature.verify(SECRET, inbound("GET", params), NOW));
  }

  @Test
  void timestamp_atTheEdgeOfTheWindow_isAccepted_eitherWay() {
    Map<String, String> params = signed("GET", example());
    assertTrue(PostbackSignature.verify(SECRET, inbound("GET", params), NOW.plusSeconds(300)));
    assertTrue(PostbackSignature.verify(SECRET, inbound("GET", params), NOW.minusSeconds(300)));
  }

  @Test
  void staleOrFutureTimestamp_isRefused() {
    Map<String, String> params = signed("GET", example());
    assertFalse(PostbackSignature.verify(SECRET, inbound("GET", params), NOW.plusSeconds(301)));
    assertFalse(PostbackSignature.verify(SECRET, inbound("GET", params), NOW.minusSeconds(301)));
  }

  @Test
  void missingOrNonNumericTimestamp_isRefused() {
    Map<String, String> noTs = new LinkedHashMap<>(example());
    noTs.remove("ts");
    assertFalse(PostbackSignature.verify(SECRET, inbound("GET", signed("GET", noTs)), NOW));
    Map<String, String> textTs = new LinkedHashMap<>(example());
    textTs.put("ts", "2025-01-01T12:00:00Z");
    assertFalse(PostbackSignature.verify(SECRET, inbound("GET", signed("GET", textTs)), NOW));
  }

  @Test
  void missingSignature_isRefused() {
    assertFalse(PostbackSignature.verify(SECRET, inbound("GET", example()), NOW));
  }

  @Test
  void tamperedParameter_isRefused() {
    Map<String, String> params = signed("GET", example());
    params.put("amount", "5000.00");
    assertFalse(PostbackSignature.verify(SECRET, inbound("GET", params), NOW));
  }

  @Test
  void addedOrRemovedParameter_isRefused() {
    Map<String, String> added = signed("GET", example());
    added.put("payout", "100");
    assertFalse(PostbackSignature.verify(SECRET, inbound("GET", added), NOW));
    Map<String, String> removed = signed("GET", example());
    removed.remove("customer_id");
    assertFalse(PostbackSignature.verify(SECRET, inbound("GET", removed), NOW));
  }

  @Test
  void otherMethodOrSecret_isRefused() {
    Map<String, String> params = signed("GET", example());
    assertFalse(PostbackSignature.verify(SECRET, inbound("POST", params), NOW));
    assertFalse(PostbackSignature.verify("another-secret-of-16+", inbound("GET", params), NOW));
  }

  @Test
  void emptyValue_signsAsNameEquals() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("b", "");
    params.put("a", "x y");
    assertEquals("GET\n/postback\na=x%20y&b=", PostbackSignature.stringToSign("GET", Params.of(params).pairs()));
  }

  @Test
  void canonicalEncoding_isRfc3986_asTheSigningGuideSays() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("sub1", "~user*1");
    assertEquals("GET\n/postback\nsub1=~user%2A1", PostbackSignature.stringToSign("GET", Params.of(params).pairs()));
  }

  @Test
  void canonicalOrder_isByEncodedName_asTheSigningGuideSays() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("sub1", "a");
    params.put("sub[1]", "b");
    // the guide's Python: sorted((rfc3986(k), rfc3986(v)) ...) puts "sub%5B1%5D" before "sub1"
    assertEquals("GET\n/postback\nsub%5B1%5D=b&sub1=a", PostbackSignature.stringToSign("GET", Params.of(params).pairs()));
  }

  @Test
  void absurdTimestamp_isRefused_evenWhenSigned() {
    Map<String, String> params = new LinkedHashMap<>(example());
    params.put("ts", Long.toString(NOW.getEpochSecond() + Long.MIN_VALUE));
    assertFalse(PostbackSignature.verify(SECRET, inbound("GET", signed("GET", params)), NOW));
  }
}
