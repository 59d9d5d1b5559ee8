package dev.postbackrelay.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.postbackrelay.common.Masking;
import dev.postbackrelay.common.Params;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RefusedPostbackTest {

  private static final Instant AT = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void keepsWhatArrived_inOrder_withCredentialsMasked_andWhatEachFieldWasReadAs() {
    Params params = Params.of(List.of(Map.entry("ClickID", "abc"), Map.entry("Security_Token", "s3cret"),
        Map.entry("sig", "deadbeef"), Map.entry("sum", "12,5"), Map.entry("sum", "13"), Map.entry("user_email", "a@b.c"),
        Map.entry("campaign_id", "c9")));
    RefusedPostback r = RefusedPostback.of("id1", AT, "GET", "192.0.2.1", params,
        new RejectedException(Reason.MALFORMED_CLICK_ID));

    assertEquals(List.of(Map.entry("ClickID", "abc"), Map.entry("Security_Token", Masking.MASK),
        Map.entry("sig", Masking.MASK), Map.entry("sum", "12,5"), Map.entry("sum", "13"),
        Map.entry("user_email", Masking.MASK), Map.entry("campaign_id", "c9")), r.params());
    assertEquals(Map.of("click_id", "abc", "token", Masking.MASK, "sig", Masking.MASK, "amount", "12,5",
        "campaign_id", "c9"), r.fields());
    assertEquals("clickid", r.fieldNames().get("click_id"));
    assertEquals("sum", r.fieldNames().get("amount"));
    assertEquals("security_token", r.fieldNames().get("token"));
    assertEquals("c9", r.campaignId(), "the campaign the postback named");
    assertEquals("malformed_click_id", r.reason());
    assertEquals(Reason.MALFORMED_CLICK_ID.sentence(), r.message());
  }

  @Test
  void theCampaignTheEdgeResolved_winsOverNone() {
    Params params = Params.of(List.of(Map.entry("click_id", "abc"), Map.entry("token", "wrong")));
    RefusedPostback r = RefusedPostback.of("id2", AT, "POST", "192.0.2.1", params,
        new RejectedException(Reason.BAD_TOKEN).forCampaign("c1"));
    assertEquals("c1", r.campaignId());
  }

  @Test
  void aRequestThatCouldNotBeRead_keepsNoParameters_andNamesNoCampaign() {
    RefusedPostback r = RefusedPostback.of("id3", AT, "POST", "192.0.2.1", null,
        new RejectedException(Reason.UNSUPPORTED_MEDIA_TYPE));
    assertEquals(List.of(), r.params());
    assertNull(r.campaignId());
  }

  @Test
  void valuesAreCut_andAtMostSoManyParametersAreKept() {
    List<Map.Entry<String, String>> many = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      many.add(Map.entry("p" + i, "x".repeat(1000)));
    }
    RefusedPostback r = RefusedPostback.of("id4", AT, "GET", "192.0.2.1", Params.of(many),
        new RejectedException(Reason.MISSING_CLICK_ID));
    assertEquals(RefusedPostback.MAX_PARAMS, r.params().size());
    assertEquals(RefusedPostback.MAX_VALUE, r.params().get(0).getValue().length());
  }
}
