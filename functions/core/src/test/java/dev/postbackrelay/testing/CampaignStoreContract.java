package dev.postbackrelay.testing;

import static dev.postbackrelay.testing.ContractData.assertSameNumber;
import static dev.postbackrelay.testing.ContractData.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.campaign.Affiliate;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.campaign.CampaignSummary;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.campaign.Payout;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.common.Page;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
  void list_walksEveryCampaignOnce_mostRecentlyChangedFirst_withCountsAndTimes() {
    String a = newCampaignId();
    String b = newCampaignId();
    String c = newCampaignId();
    store.put(CampaignBuilder.campaign(a).affiliate("x1", (String) null).affiliate("x2", (String) null).build());
    store.put(CampaignBuilder.campaign(b).affiliate("x1", (String) null).build());
    store.put(CampaignBuilder.campaign(c).affiliate("x1", (String) null).build());
    CampaignSummary firstA = summaries(null).stream().filter(s -> s.id().equals(a)).findFirst().orElseThrow();
    store.put(CampaignBuilder.campaign(a).affiliate("x1", (String) null).build());

    List<CampaignSummary> all = summaries(null);
    for (int i = 1; i < all.size(); i++) {
      assertTrue(!all.get(i).updatedAt().isAfter(all.get(i - 1).updatedAt()), "most recently changed first: " + all);
    }
    List<String> ours = all.stream().map(CampaignSummary::id).filter(id -> Set.of(a, b, c).contains(id)).toList();
    assertEquals(3, ours.size(), "each once: " + ours);
    assertEquals(a, ours.get(0), "the campaign changed last comes first");
    CampaignSummary summaryA = all.stream().filter(s -> s.id().equals(a)).findFirst().orElseThrow();
    assertEquals(1, summaryA.affiliates(), "counts of the campaign as stored last");
    assertEquals(0, summaryA.destinations());
    assertEquals(firstA.createdAt(), summaryA.createdAt(), "created once");
    assertTrue(!summaryA.updatedAt().isBefore(firstA.updatedAt()));
    assertEquals(Campaign.Status.ACTIVE, summaryA.status());
  }

  @Test
  void list_byStatus_showsOnlyThatStatus() {
    String archived = newCampaignId();
    String paused = newCampaignId();
    store.put(CampaignBuilder.campaign(archived).affiliate("x1", (String) null).build().toBuilder()
        .status(Campaign.Status.ARCHIVED).build());
    store.put(CampaignBuilder.campaign(paused).paused().affiliate("x1", (String) null).build());

    assertTrue(ids(summaries(Campaign.Status.ARCHIVED)).contains(archived));
    assertFalse(ids(summaries(Campaign.Status.ARCHIVED)).contains(paused));
    assertTrue(ids(summaries(Campaign.Status.PAUSED)).contains(paused));
    assertFalse(ids(summaries(Campaign.Status.ACTIVE)).contains(archived));
    summaries(Campaign.Status.PAUSED).forEach(s -> assertEquals(Campaign.Status.PAUSED, s.status()));
  }

  /** Every page of the list, followed to its end, 7 at a time so that the walk crosses pages. */
  private List<CampaignSummary> summaries(Campaign.Status status) {
    List<CampaignSummary> out = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Page<CampaignSummary> page = store.list(status, 7, cursor);
      assertTrue(page.items().size() <= 7);
      out.addAll(page.items());
      cursor = page.next();
    } while (cursor != null && ++pages < 1000);
    return out;
  }

  private static List<String> ids(List<CampaignSummary> summaries) {
    return summaries.stream().map(CampaignSummary::id).toList();
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
    assertEquals(expected.status(), actual.status(), "status");
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
