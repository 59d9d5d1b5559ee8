package dev.postbackrelay.click;

import static dev.postbackrelay.testing.CampaignBuilder.campaign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.common.Params;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.testing.CoreFixture;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClickServiceTest {

  private final CoreFixture core = new CoreFixture()
      .with(campaign("c1").landing("https://shop.example/lp?cid={click_id}&s1={sub1}&s2={sub2}&aff={affiliate_id}")
          .window(Duration.ofDays(30)).affiliate("a1", "https://partner.example/pb").build())
      .with(campaign("plain").landing("https://shop.example/welcome").affiliate("a1", (String) null).build())
      .with(campaign("frag").landing("https://shop.example/p?x=1#top").affiliate("a1", (String) null).build())
      .with(campaign("paused").paused().affiliate("a1", (String) null).build());

  private ClickResult click(String... nameValue) {
    return core.clickService.register(new ClickRequest(Params.of(CoreFixture.pairs(nameValue)), "198.51.100.7",
        "Mozilla/5.0", "https://news.example/", "DE"));
  }

  @Test
  void redirect_fillsTheLandingMacros_urlEncoded() {
    ClickResult result = click("campaign_id", "c1", "affiliate_id", "a1", "sub1", "spring sale & co", "sub2", "ü/€?=");

    assertEquals("https://shop.example/lp?cid=" + result.clickId() + "&s1=spring%20sale%20%26%20co"
        + "&s2=%C3%BC%2F%E2%82%AC%3F%3D&aff=a1", result.redirectUrl());
  }

  @Test
  void redirect_missingSub_fillsEmpty() {
    ClickResult result = click("campaign_id", "c1", "affiliate_id", "a1");
    assertEquals("https://shop.example/lp?cid=" + result.clickId() + "&s1=&s2=&aff=a1", result.redirectUrl());
  }

  @Test
  void redirect_appendsClickId_whenTheTemplateLacksIt() {
    ClickResult result = click("campaign_id", "plain", "affiliate_id", "a1");
    assertEquals("https://shop.example/welcome?click_id=" + result.clickId(), result.redirectUrl());
  }

  @Test
  void redirect_appendsClickId_beforeTheFragment_andAfterAnExistingQuery() {
    ClickResult result = click("campaign_id", "frag", "affiliate_id", "a1");
    assertEquals("https://shop.example/p?x=1&click_id=" + result.clickId() + "#top", result.redirectUrl());
  }

  @Test
  void storedLandingUrlWithAMacroInItsHost_neverRedirectsElsewhere_andRecordsNothing() {
    for (String landing : new String[] {"https://{sub1}/lp", "https://{sub1}.shop.example/lp",
        "https://shop.example{sub1}/lp", "https://{sub1}@shop.example/lp", "https://shop.example:{sub1}/lp"}) {
      core.campaigns.put(campaign("legacy").landing(landing).affiliate("a1", (String) null).build());
      int before = core.clicks.all().size();

      RejectedException e = assertThrows(RejectedException.class,
          () -> click("campaign_id", "legacy", "affiliate_id", "a1", "sub1", "evil.example"), landing);

      assertEquals(Reason.INVALID_CAMPAIGN, e.reason(), landing);
      assertEquals(before, core.clicks.all().size(), "no click is recorded for " + landing);
    }
  }

  @Test
  void redirect_neverGoesToAUrlFromTheRequest() {
    ClickResult result = click("campaign_id", "plain", "affiliate_id", "a1", "url", "https://evil.example/",
        "landing_url", "https://evil.example/", "redirect", "https://evil.example/", "sub1", "https://evil.example/");
    assertTrue(result.redirectUrl().startsWith("https://shop.example/welcome?"), result.redirectUrl());
    assertTrue(!result.redirectUrl().contains("evil"), result.redirectUrl());
  }

  @Test
  void click_isStoredWithEverythingTheEdgeSaw() {
    core.clock.advance(Duration.ofMinutes(3));
    ClickResult result = click("campaign_id", "c1", "ref_id", "a1", "sub1", "s-1", "sub10", "s-10", "fbclid", "IwAR",
        "gclid", "Cj0", "gbraid", "gb", "wbraid", "wb", "ttclid", "tt", "utm_source", "fb", "custom_param", "x",
        "url", "https://evil.example/", "format", "json");

    Click stored = core.clicks.find(result.clickId()).orElseThrow();
    assertEquals("c1", stored.campaignId());
    assertEquals("a1", stored.affiliateId(), "ref_id is the affiliate");
    assertEquals(core.clock.instant(), stored.createdAt());
    assertEquals(core.clock.instant().plus(Duration.ofDays(30)).plus(ClickService.RETENTION_MARGIN), stored.expiresAt());
    assertEquals(Map.of("sub1", "s-1", "sub10", "s-10"), stored.subs());
    assertEquals(Map.of("fbclid", "IwAR", "gclid", "Cj0", "gbraid", "gb", "wbraid", "wb", "ttclid", "tt"),
        stored.platformIds());
    assertEquals(Map.of("utm_source", "fb", "custom_param", "x", "url", "https://evil.example/"), stored.extra());
    assertEquals("198.51.100.7", stored.ip());
    assertEquals("Mozilla/5.0", stored.userAgent());
    assertEquals("https://news.example/", stored.referer());
    assertEquals("DE", stored.country());
    assertTrue(core.clickIds.verify(result.clickId()));
    assertEquals(core.clock.instant(), ClickIds.issuedAt(result.clickId()));
  }

  @Test
  void longValues_areTruncated_andExtrasCapped() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("campaign_id", "c1");
    params.put("affiliate_id", "a1");
    params.put("sub1", "x".repeat(5000));
    for (int i = 0; i < 60; i++) {
      params.put("extra" + i, "v");
    }
    params.put("n".repeat(65), "too long a name");
    ClickResult result = core.clickService.register(
        new ClickRequest(Params.of(params), "198.51.100.7", "u".repeat(5000), null, null));

    Click stored = core.clicks.find(result.clickId()).orElseThrow();
    assertEquals(512, stored.subs().get("sub1").length());
    assertEquals(512, stored.userAgent().length());
    assertEquals(40, stored.extra().size());
  }

  @Test
  void unknownCampaign_isRefused_andNothingStored() {
    assertRefused(Reason.UNKNOWN_CAMPAIGN, "campaign_id", "nope", "affiliate_id", "a1");
  }

  @Test
  void archivedCampaign_isRefusedWithItsOwnReason_andNothingStored() {
    core.campaigns.put(core.campaigns.find("paused").orElseThrow().toBuilder().status(Campaign.Status.ARCHIVED).build());
    assertRefused(Reason.CAMPAIGN_ARCHIVED, "campaign_id", "paused", "affiliate_id", "a1");
  }

  @Test
  void pausedCampaign_isRefused_andNothingStored() {
    assertRefused(Reason.CAMPAIGN_PAUSED, "campaign_id", "paused", "affiliate_id", "a1");
  }

  @Test
  void unknownAffiliate_isRefused_andNothingStored() {
    assertRefused(Reason.UNKNOWN_AFFILIATE, "campaign_id", "c1", "affiliate_id", "stranger");
  }

  @Test
  void missingCampaignOrAffiliate_isRefused_andNothingStored() {
    assertRefused(Reason.MISSING_CAMPAIGN_ID, "affiliate_id", "a1");
    assertRefused(Reason.MISSING_AFFILIATE_ID, "campaign_id", "c1");
    assertRefused(Reason.MISSING_AFFILIATE_ID, "campaign_id", "c1", "affiliate_id", "  ");
  }

  private void assertRefused(Reason reason, String... params) {
    RejectedException e = assertThrows(RejectedException.class, () -> click(params));
    assertEquals(reason, e.reason());
    assertEquals(List.of(), core.clicks.all(), "nothing stored");
  }
}
