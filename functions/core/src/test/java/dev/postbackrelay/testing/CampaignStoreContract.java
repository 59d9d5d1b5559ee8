package dev.postbackrelay.testing;

import static dev.postbackrelay.testing.ContractData.assertSameNumber;
import static dev.postbackrelay.testing.ContractData.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.campaign.Affiliate;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.campaign.Payout;
import dev.postbackrelay.common.ConversionStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link CampaignStore} contract: {@link CampaignStore#find} sees what the last {@link
 * CampaignStore#put} through the same store stored, whole. Test data uses what an operator can
 * express: windows in whole days, minimum click age in whole seconds, lower-case status words
 * and events. The store may be shared between tests (every test uses fresh campaign ids).
 */
public abstract class CampaignStoreContract {

  private CampaignStore store;

  protected abstract CampaignStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  protected static String newCampaignId() {
    return unique("camp");
  }

  protected static Campaign fullCampaign(String id) {
    return CampaignBuilder.campaign(id)
        .landing("https://shop.example/lp?cid={click_id}&s1={sub1}")
        .token("pt_5f1c9a7e3b2d")
        .paused()
        .window(Duration.ofDays(45))
        .minClickAge(Duration.ofSeconds(15))
        .currency("EUR")
        .repeatSales()
        .transactionIdMeans(Campaign.TransactionIdMeans.CLICK_ID)
        .ipAllowlist("203.0.113.0/24", "2001:db8::/32", "198.51.100.7")
        .signingSecret("cs_live_7Hq2VbN9xK4mR8tW3yZ6pL1d")
        .status("done", ConversionStatus.APPROVED)
        .status("hold", ConversionStatus.PENDING)
        .status("trash", ConversionStatus.REJECTED)
        .fixedPayout("lead", "2.50")
        .percentPayout("sale", "12.5")
        .postbackPayout(Campaign.PostbackPayout.NEVER)
        .affiliate("aff-1", new Affiliate("https://partner.example/pb?cid={click_id}&p={payout}", "POST",
            Set.of("sale", "lead"), Set.of(ConversionStatus.APPROVED, ConversionStatus.CHARGEBACK)))
        .affiliate("aff-2", Affiliate.withPostbackUrl("https://other.example/{click_id}"))
        .affiliate("aff-silent", new Affiliate(null, "GET", Set.of(), Set.of()))
        .destination(new Destination("tsrc-1", Destination.Type.POSTBACK, "aff-2",
            "https://tracker.example/pb?cid={click_id}&s={status}&raw={sub1}", "POST", Destination.BodyFormat.JSON,
            false, Set.of("sale", "deposit"), Set.of(ConversionStatus.APPROVED, ConversionStatus.REJECTED),
            Set.of(Destination.Trigger.STATUS_CHANGE), "ds_9Kq2VbN9xK4mR8tW3yZ6", null))
        .destination(new Destination("meta", Destination.Type.META_CAPI, null, null, null, null, true, null, null,
            Set.of(Destination.Trigger.CREATED), null,
            Map.of("pixel_id", "1234567890", "access_token", "EAAB\u00e9-token", "event_name", "Purchase")))
        .build();
  }

  @Test
  void put_thenFind_roundTripsEveryField() {
    Campaign c = fullCampaign(newCampaignId());
    store.put(c);
    assertSameCampaign(c, store.find(c.id()).orElseThrow());
  }

  @Test
  void put_thenFind_ofAMinimalCampaign_keepsTheDefaults() {
    Campaign c = Campaign.simple(newCampaignId(), "https://shop.example/", null,
        Map.of("aff-1", Affiliate.withPostbackUrl(null)));
    store.put(c);
    Campaign found = store.find(c.id()).orElseThrow();
    assertSameCampaign(c, found);
    assertEquals(Campaign.DEFAULT_WINDOW, found.attributionWindow());
    assertEquals(Duration.ZERO, found.minClickAge());
    assertEquals("USD", found.currency());
    assertEquals(Campaign.TransactionIdMeans.ORDER_ID, found.transactionIdMeans());
  }

  @Test
  void find_ofAnUnknownCampaign_isEmpty() {
    assertTrue(store.find(newCampaignId()).isEmpty());
  }

  @Test
  void find_ofAnIdNoCampaignCanHave_isEmpty() {
    // the postback and click routes look up whatever campaign_id a caller sends
    assertTrue(store.find("x".repeat(3000)).isEmpty());
    assertTrue(store.find("\u20ac#/?& " + unique("c")).isEmpty());
  }

  @Test
  void put_again_replacesTheWholeCampaign() {
    String id = newCampaignId();
    store.put(fullCampaign(id));
    Campaign replacement = CampaignBuilder.campaign(id)
        .landing("https://shop.example/v2")
        .affiliate("aff-3", "https://third.example/pb")
        .build();

    store.put(replacement);

    Campaign found = store.find(id).orElseThrow();
    assertSameCampaign(replacement, found);
    assertEquals(Set.of("aff-3"), found.affiliates().keySet());
    assertEquals(Map.of(), found.payouts());
    assertEquals(java.util.List.of(), found.destinations());
    assertEquals(null, found.postbackToken());
  }

  @Test
  void find_ofAMissingCampaign_thenPut_thenFind_seesTheCampaign() {
    String id = newCampaignId();
    assertTrue(store.find(id).isEmpty());
    Campaign c = fullCampaign(id);
    store.put(c);
    assertSameCampaign(c, store.find(id).orElseThrow());
  }

  protected static void assertSameCampaign(Campaign expected, Campaign actual) {
    assertEquals(expected.id(), actual.id(), "id");
    assertEquals(expected.landingUrl(), actual.landingUrl(), "landingUrl");
    assertEquals(expected.postbackToken(), actual.postbackToken(), "postbackToken");
    assertEquals(expected.active(), actual.active(), "active");
    assertEquals(expected.attributionWindow(), actual.attributionWindow(), "attributionWindow");
    assertEquals(expected.minClickAge(), actual.minClickAge(), "minClickAge");
    assertEquals(expected.currency(), actual.currency(), "currency");
    assertEquals(expected.allowRepeatSales(), actual.allowRepeatSales(), "allowRepeatSales");
    assertEquals(expected.transactionIdMeans(), actual.transactionIdMeans(), "transactionIdMeans");
    assertEquals(expected.ipAllowlist(), actual.ipAllowlist(), "ipAllowlist");
    assertEquals(expected.signingSecret(), actual.signingSecret(), "signingSecret");
    assertEquals(expected.statusMap(), actual.statusMap(), "statusMap");
    assertEquals(expected.payouts().keySet(), actual.payouts().keySet(), "payout events");
    for (Map.Entry<String, Payout> p : expected.payouts().entrySet()) {
      Payout found = actual.payouts().get(p.getKey());
      assertEquals(p.getValue().type(), found.type(), "payout type of " + p.getKey());
      assertSameNumber(p.getValue().value(), found.value(), "payout value of " + p.getKey());
    }
    assertEquals(expected.affiliates(), actual.affiliates(), "affiliates");
    assertEquals(expected.destinations(), actual.destinations(), "destinations");
    assertEquals(expected.postbackAuth(), actual.postbackAuth(), "postbackAuth");
    assertEquals(expected.postbackPayout(), actual.postbackPayout(), "postbackPayout");
  }
}
