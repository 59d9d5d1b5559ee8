package dev.postbackrelay.campaign;

import static dev.postbackrelay.testing.RecordCopies.assertBuilderSetsEachComponentByName;
import static dev.postbackrelay.testing.RecordCopies.assertChangedOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.postbackrelay.common.ConversionStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CampaignCopiesTest {

  private static Destination destination(String id) {
    return Destination.affiliatePostback(id, Affiliate.withPostbackUrl("https://" + id + ".example/pb?c={click_id}"));
  }

  private static Campaign full() {
    return Campaign.builder().id("camp-1").landingUrl("https://shop.example/lp?c={click_id}")
        .postbackToken("token-1").active(true).attributionWindow(Duration.ofDays(7)).minClickAge(Duration.ofSeconds(5))
        .currency("EUR").allowRepeatSales(true).transactionIdMeans(Campaign.TransactionIdMeans.CLICK_ID)
        .ipAllowlist(List.of("203.0.113.0/24")).signingSecret("secret-1")
        .statusMap(Map.of("ok", ConversionStatus.APPROVED))
        .payouts(Map.of("*", new Payout(Payout.Type.FIXED, new BigDecimal("2"))))
        .affiliates(Map.of("aff-1", Affiliate.withPostbackUrl(null))).destinations(List.of(destination("d1")))
        .postbackAuth(Campaign.PostbackAuth.REQUIRED).postbackPayout(Campaign.PostbackPayout.ALWAYS).build();
  }

  @Test
  void builder_setsEachComponentByName_andNoOther() {
    Campaign other = Campaign.builder().id("camp-2").landingUrl("https://other.example/").postbackToken("token-2")
        .active(false).attributionWindow(Duration.ofDays(30)).minClickAge(Duration.ZERO).currency("USD")
        .allowRepeatSales(false).transactionIdMeans(Campaign.TransactionIdMeans.ORDER_ID).ipAllowlist(List.of())
        .signingSecret("secret-2").statusMap(Map.of()).payouts(Map.of()).affiliates(Map.of())
        .destinations(List.of()).postbackAuth(Campaign.PostbackAuth.NONE)
        .postbackPayout(Campaign.PostbackPayout.NEVER).build();

    assertBuilderSetsEachComponentByName(full(), other);
  }

  @Test
  void withSecrets_changesOnlyTheTokenTheSigningSecretAndTheDestinations() {
    List<Destination> destinations = List.of(destination("d2"));

    Campaign changed = full().withSecrets("token-2", "secret-2", destinations);

    assertEquals("token-2", changed.postbackToken());
    assertEquals("secret-2", changed.signingSecret());
    assertEquals(destinations, changed.destinations());
    assertChangedOnly(full(), changed, "postbackToken", "signingSecret", "destinations");
  }

  @Test
  void simple_isActive_andNeedsNoCredentialOnlyWhenItHasNoToken() {
    Map<String, Affiliate> affiliates = Map.of("aff-1", Affiliate.withPostbackUrl(null));

    Campaign withToken = Campaign.simple("camp-1", "https://shop.example/", "token-1", affiliates);
    Campaign withoutToken = Campaign.simple("camp-1", "https://shop.example/", null, affiliates);

    assertEquals(true, withToken.active());
    assertEquals(affiliates, withToken.affiliates());
    assertEquals(Campaign.PostbackAuth.REQUIRED, withToken.postbackAuth());
    assertEquals(Campaign.PostbackAuth.NONE, withoutToken.postbackAuth());
    assertChangedOnly(withToken, withoutToken, "postbackToken", "postbackAuth");
  }
}
