package dev.postbackrelay.forwarding.builders;

import static dev.postbackrelay.forwarding.builders.Fixtures.NOW;
import static dev.postbackrelay.forwarding.builders.Fixtures.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Against the worked example of docs/outbound-signing.md, byte for byte. */
class OutboundSignatureTest {

  static final String DOC_GET_URL = "https://partner.example.net/postback?clickid=aff-sub-9f3a&status=approved"
      + "&payout=12.50&currency=EUR&txid=INV-2025%2F0042";
  static final String DOC_GET_SIGNATURE = "7b57a5da09cc20bf5408b32930ed463143d2874cb9bcfbc14fb2b154b7421572";
  static final String DOC_POST_URL = "https://partner.example.net/api/conversions";
  static final String DOC_POST_BODY = "{\"click_id\":\"AZOv6tq1CJ7f0bX2kQ9mL4wE8sR3\",\"campaign_id\":\"camp-1001\","
      + "\"affiliate_id\":\"aff-42\",\"event\":\"deposit\",\"status\":\"approved\",\"amount\":\"50.00\","
      + "\"payout\":\"12.50\",\"currency\":\"EUR\",\"txid\":\"INV-2025/0042\",\"external_id\":\"cust-88213\","
      + "\"sub1\":\"aff-sub-9f3a\"}";
  static final String DOC_POST_SIGNATURE = "079fc470742194d23add5704390e6326f2a1b085b4d391f36b5e162d4f4ce24f";
  private static final long TS = 1735733105L;
  private static final byte[] NO_BODY = new byte[0];

  @Test
  void documentedGetExample_signsToTheDocumentedValue() {
    assertEquals(DOC_GET_SIGNATURE, OutboundSignature.sign(SECRET, TS, "GET", DOC_GET_URL, NO_BODY));
    assertEquals("v1=" + DOC_GET_SIGNATURE, OutboundSignature.header(SECRET, TS, "get", DOC_GET_URL, null));
  }

  @Test
  void documentedPostExample_signsToTheDocumentedValue() {
    byte[] body = DOC_POST_BODY.getBytes(StandardCharsets.UTF_8);
    assertEquals(254, body.length, "the docs say 254 bytes");

    assertEquals(DOC_POST_SIGNATURE, OutboundSignature.sign(SECRET, TS, "POST", DOC_POST_URL, body));
  }

  @Test
  void verify_acceptsTheDocumentedRequests_fiveSecondsLater() {
    assertTrue(OutboundSignature.verify(SECRET, "1735733105", "v1=" + DOC_GET_SIGNATURE, "GET", DOC_GET_URL, NO_BODY,
        NOW.plusSeconds(5)));
    assertTrue(OutboundSignature.verify(SECRET, "1735733105", "v1=" + DOC_POST_SIGNATURE, "POST", DOC_POST_URL,
        DOC_POST_BODY.getBytes(StandardCharsets.UTF_8), NOW.plusSeconds(5)));
  }

  @Test
  void verify_rejectsATamperedBody() {
    byte[] tampered = DOC_POST_BODY.replace("\"12.50\"", "\"125.0\"").getBytes(StandardCharsets.UTF_8);

    assertFalse(OutboundSignature.verify(SECRET, "1735733105", "v1=" + DOC_POST_SIGNATURE, "POST", DOC_POST_URL,
        tampered, NOW));
  }

  @Test
  void verify_rejectsATamperedUrlOrMethod() {
    String v1 = "v1=" + DOC_GET_SIGNATURE;
    assertFalse(OutboundSignature.verify(SECRET, "1735733105", v1, "GET", DOC_GET_URL.replace("%2F", "/"), NO_BODY,
        NOW));
    assertFalse(OutboundSignature.verify(SECRET, "1735733105", v1, "POST", DOC_GET_URL, NO_BODY, NOW));
  }

  @Test
  void verify_toleratesFiveMinutesEitherSide_andRejectsAStaleOrFutureTimestamp() {
    String v1 = "v1=" + DOC_GET_SIGNATURE;
    assertTrue(OutboundSignature.verify(SECRET, "1735733105", v1, "GET", DOC_GET_URL, NO_BODY, NOW.plusSeconds(300)));
    assertTrue(OutboundSignature.verify(SECRET, "1735733105", v1, "GET", DOC_GET_URL, NO_BODY, NOW.minusSeconds(300)));
    assertFalse(OutboundSignature.verify(SECRET, "1735733105", v1, "GET", DOC_GET_URL, NO_BODY, NOW.plusSeconds(301)));
    assertFalse(OutboundSignature.verify(SECRET, "1735733105", v1, "GET", DOC_GET_URL, NO_BODY,
        NOW.minusSeconds(301)));
  }

  @Test
  void verify_rejectsAReplayedSignatureUnderAFreshTimestamp() {
    assertFalse(OutboundSignature.verify(SECRET, "1735733400", "v1=" + DOC_GET_SIGNATURE, "GET", DOC_GET_URL,
        NO_BODY, NOW.plusSeconds(295)));
  }

  @Test
  void verify_duringSecretRotation_acceptsAnyV1Value_andIgnoresOtherSchemes() {
    String header = "v0=" + DOC_GET_SIGNATURE + ", v1=5d1f0000000000000000000000000000000000000000000000000000deadbeef,"
        + " v1=" + DOC_GET_SIGNATURE.toUpperCase();

    assertTrue(OutboundSignature.verify(SECRET, "1735733105", header, "GET", DOC_GET_URL, NO_BODY, NOW));
    assertFalse(OutboundSignature.verify(SECRET, "1735733105", "v0=" + DOC_GET_SIGNATURE, "GET", DOC_GET_URL,
        NO_BODY, NOW));
  }

  @Test
  void verify_rejectsAWrongSecret_andMalformedOrMissingHeaders() {
    String v1 = "v1=" + DOC_GET_SIGNATURE;
    assertFalse(OutboundSignature.verify(SECRET + "x", "1735733105", v1, "GET", DOC_GET_URL, NO_BODY, NOW));
    assertFalse(OutboundSignature.verify(SECRET, "1735733105.0", v1, "GET", DOC_GET_URL, NO_BODY, NOW));
    assertFalse(OutboundSignature.verify(SECRET, "-1735733105", v1, "GET", DOC_GET_URL, NO_BODY, NOW));
    assertFalse(OutboundSignature.verify(SECRET, null, v1, "GET", DOC_GET_URL, NO_BODY, NOW));
    assertFalse(OutboundSignature.verify(SECRET, "1735733105", null, "GET", DOC_GET_URL, NO_BODY, NOW));
    assertFalse(OutboundSignature.verify(SECRET, "99999999999999999999999", v1, "GET", DOC_GET_URL, NO_BODY, NOW));
  }
}
