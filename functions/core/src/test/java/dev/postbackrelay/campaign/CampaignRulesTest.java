package dev.postbackrelay.campaign;

import static dev.postbackrelay.testing.CampaignBuilder.campaign;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.forwarding.builders.DestinationTypes;
import dev.postbackrelay.net.OutboundGuard;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a campaign must hold before it is stored: the rules of {@link CampaignRules}. */
class CampaignRulesTest {

  private static final OutboundGuard GUARD = new OutboundGuard(false, host -> {
    throw new UnknownHostException(host); // shape checks never resolve
  });
  private static final DestinationSpecs TYPES = DestinationTypes.BUILT_IN;
  private static final String TOKEN = "s3cret-token";

  private static RejectedException refused(Campaign c) {
    return assertThrows(RejectedException.class, () -> CampaignRules.validate(c, GUARD, TYPES));
  }

  @Test
  void campaignWithoutAnyPostbackCredential_isRefused_namingTheCredentials() {
    Campaign open = Campaign.builder().id("c1").landingUrl("https://shop.example/lp").active(true)
        .affiliates(Map.of("a1", Affiliate.withPostbackUrl(null))).build();

    RejectedException e = refused(open);

    assertEquals(Reason.INVALID_CAMPAIGN, e.reason());
    assertTrue(e.getMessage().contains("postback_token") && e.getMessage().contains("signing_secret")
        && e.getMessage().contains("ip_allowlist") && e.getMessage().contains("postback_auth"), e.getMessage());
  }

  @Test
  void tokenOfWhiteSpaceOnly_isRefused() {
    RejectedException e = refused(campaign("c1").token("          ").affiliate("a1", (String) null).build());

    assertEquals(Reason.INVALID_CAMPAIGN, e.reason());
    assertTrue(e.getMessage().contains("postback_token"), e.getMessage());
  }

  @Test
  void campaignWithAToken_isAccepted() {
    assertDoesNotThrow(() -> CampaignRules.validate(campaign("c1").token(TOKEN).affiliate("a1", (String) null).build(), GUARD,
        TYPES));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://{sub1}/lp",
      "https://{campaign_id}.shop.example/lp",
      "https://shop.example.{affiliate_id}/lp",
      "https://shop.example{sub1}/lp",
      "http{sub1}://shop.example/lp",
      "https://{sub1}@shop.example/lp",
      "https://shop.example:{sub1}/lp",
      "https://{sub1}"})
  void landingUrlWithAMacroInItsAuthority_isRefused(String landing) {
    RejectedException e = refused(campaign("c1").token(TOKEN).landing(landing).affiliate("a1", (String) null).build());

    assertTrue(e.getMessage().contains("landing_url"), e.getMessage());
  }

  @Test
  void landingUrlWithMacrosInPathAndQuery_isAccepted() {
    assertDoesNotThrow(() -> CampaignRules.validate(campaign("c1").token(TOKEN)
        .landing("https://shop.example/{campaign_id}/lp?cid={click_id}&a={affiliate_id}&s={sub1}")
        .affiliate("a1", (String) null).build(), GUARD, TYPES));
  }

  @Test
  void affiliatePostbackUrlWithAMacroInItsHost_isRefused() {
    RejectedException e = refused(campaign("c1").token(TOKEN)
        .affiliate("a1", "https://{sub1}.partner.example/pb?c={click_id}").build());

    assertTrue(e.getMessage().contains("affiliates.a1.postback_url"), e.getMessage());
  }

  @Test
  void destinationUrlWithAMacroInItsHost_isRefused() {
    Destination d = new Destination("d1", Destination.Type.POSTBACK, null, "https://{txid}.partner.example/pb",
        null, null, true, null, null, null, null, null);
    RejectedException e = refused(campaign("c1").token(TOKEN).affiliate("a1", (String) null).destination(d).build());

    assertTrue(e.getMessage().contains("destinations[d1].url"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://partner.example:0/pb", "https://partner.example:65536/pb",
      "https://partner.example:99999/pb"})
  void portOutside1To65535_isRefused(String url) {
    refused(campaign("c1").token(TOKEN).affiliate("a1", url).build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"javascript:alert(1)", "http://169.254.169.254/token", "https://{sub1}.evil.example/token",
      "https://user:pw@oauth.example/token", "https://oauth.example:70000/token"})
  void tokenUrlIsShapeCheckedLikeEveryOutboundUrl(String tokenUrl) {
    Destination google = new Destination("g1", Destination.Type.GOOGLE_ADS, null, null, null, null, true, null, null,
        null, null, Map.of("customer_id", "123-456-7890", "conversion_action", "customers/1/conversionActions/2",
            "developer_token", "dev-token", "client_id", "cid", "client_secret", "csecret", "refresh_token", "rtoken",
            "token_url", tokenUrl));

    RejectedException e = refused(campaign("c1").token(TOKEN).affiliate("a1", (String) null).destination(google).build());

    assertTrue(e.getMessage().contains("token_url") || e.reason() == Reason.FORBIDDEN_DESTINATION, e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0/0", "10.0.0.0/7", "::/0", "2001::/15"})
  void ipAllowlistTooWideToAuthenticateASender_isRefused(String block) {
    RejectedException e = refused(campaign("c1").ipAllowlist(block).affiliate("a1", (String) null).build());

    assertTrue(e.getMessage().contains("too wide"), e.getMessage());
  }

  @Test
  void ipAllowlistAlone_isEnoughAuthentication() {
    assertDoesNotThrow(() -> CampaignRules.validate(
        campaign("c1").ipAllowlist("203.0.113.0/24", "2001:db8::/32").affiliate("a1", (String) null).build(), GUARD,
        TYPES));
  }

  @Test
  void explicitlyUnauthenticatedCampaign_isAccepted_butNotTogetherWithACredential() {
    assertDoesNotThrow(() -> CampaignRules.validate(campaign("c1").affiliate("a1", (String) null).build(), GUARD,
        TYPES));
    RejectedException e = refused(campaign("c1").token(TOKEN).postbackAuth(Campaign.PostbackAuth.NONE)
        .affiliate("a1", (String) null).build());

    assertTrue(e.getMessage().contains("postback_auth"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e16", "1234567890123456", "0.000000001", "1e-10000000"})
  void payoutValueBeyond15DigitsOr8Decimals_isRefused(String value) {
    RejectedException e = refused(campaign("c1").token(TOKEN).fixedPayout("sale", value).affiliate("a1", (String) null).build());

    assertTrue(e.getMessage().contains("payouts.sale.value"), e.getMessage());
  }
}
