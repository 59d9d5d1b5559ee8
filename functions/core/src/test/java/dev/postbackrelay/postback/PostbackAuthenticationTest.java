package dev.postbackrelay.postback;

import static dev.postbackrelay.testing.CampaignBuilder.campaign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.postbackrelay.common.Params;
import dev.postbackrelay.postback.Postback.Authentication;
import dev.postbackrelay.testing.CoreFixture;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a postback proved at the edge travels with it to attribution, which decides whether its payout counts. */
class PostbackAuthenticationTest {

  private static final String SECRET = "sign-secret-0123456789";

  private final CoreFixture core = new CoreFixture()
      .with(campaign("tok").token("tok-secret-1").affiliate("a1", (String) null).build())
      .with(campaign("all").token("tok-secret-2").ipAllowlist("198.51.100.0/24").signingSecret(SECRET)
          .affiliate("a1", (String) null).build())
      .with(campaign("open").affiliate("a1", (String) null).build());

  @Test
  void tokenCampaign_postbackCarriesToken() {
    Postback p = core.postback("campaign_id", "tok", "click_id", core.click("tok", "a1"), "token", "tok-secret-1");

    assertEquals(Set.of(Authentication.TOKEN), p.authenticatedBy());
  }

  @Test
  void everyCredentialProved_isCarried() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("campaign_id", "all");
    params.put("click_id", core.click("all", "a1"));
    params.put("token", "tok-secret-2");
    params.put("ts", Long.toString(core.clock.instant().getEpochSecond()));
    params.put("sig", PostbackSignature.sign(SECRET, PostbackSignature.stringToSign("GET", Params.of(params).pairs())));

    Postback p = core.postbackService.accept(new InboundPostback(Params.of(params), "GET", "/postback", "198.51.100.20"));

    assertEquals(Set.of(Authentication.TOKEN, Authentication.IP_ALLOWLIST, Authentication.SIGNATURE), p.authenticatedBy());
  }

  @Test
  void campaignWithoutAuthentication_postbackIsUnauthenticated() {
    Postback p = core.postback("campaign_id", "open", "click_id", core.click("open", "a1"));

    assertFalse(p.authenticated());
    assertEquals(Set.of(), p.authenticatedBy());
  }
}
