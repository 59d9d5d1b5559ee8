package dev.postbackrelay.testing;

import static dev.postbackrelay.testing.ContractData.EXPIRES;
import static dev.postbackrelay.testing.ContractData.T0;
import static dev.postbackrelay.testing.ContractData.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.click.Click;
import dev.postbackrelay.click.ClickIds;
import dev.postbackrelay.click.ClickQuery;
import dev.postbackrelay.click.ClickStore;
import dev.postbackrelay.common.Page;
import dev.postbackrelay.common.TimeRange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link ClickStore} contract. Extend it with a factory for the store under test; the store
 * may be shared between tests (every test uses fresh click ids).
 */
public abstract class ClickStoreContract {

  private static final ClickIds IDS = new ClickIds(List.of("contract-click-key-0123456789".getBytes(StandardCharsets.UTF_8)));

  private ClickStore store;

  protected abstract ClickStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  protected static String newClickId() {
    return IDS.issue(T0);
  }

  protected static Click fullClick(String clickId) {
    Map<String, String> subs = new LinkedHashMap<>();
    for (int i = 1; i <= 10; i++) {
      subs.put("sub" + i, "value " + i + " & ü/€");
    }
    Map<String, String> platformIds = Map.of("fbclid", "IwAR0abc", "gclid", "Cj0KCQ", "gbraid", "0AAAA", "wbraid",
        "CjkKEQ", "ttclid", "E.C.P.abc");
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put("utm_source", "facebook");
    extra.put("utm_campaign", "spring sale");
    extra.put("custom", "{\"json\": true}");
    extra.put("empty_looking", " ");
    return Click.builder().clickId(clickId).campaignId("camp-1").affiliateId("aff-1").createdAt(T0).subs(subs)
        .platformIds(platformIds).extra(extra).ip("2001:db8::7").userAgent("Mozilla/5.0 (X11; Linux x86_64) \u00e9\u4e2d")
        .referer("https://news.example/article?id=1").country("DE").expiresAt(EXPIRES).build();
  }

  protected static Click minimalClick(String clickId) {
    return Click.builder().clickId(clickId).campaignId("camp-1").affiliateId("aff-1").createdAt(T0).expiresAt(EXPIRES)
        .build();
  }

  @Test
  void list_ofACampaign_isNewestFirst_acrossDaysAndPages_byAffiliateAndTime() {
    String campaign = unique("camp");
    Instant midnight = T0.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
    List<String> all = new ArrayList<>();
    List<String> ofA2 = new ArrayList<>();
    for (int i = -4; i < 5; i++) {
      Instant at = midnight.plusSeconds(i * 60L);
      String affiliate = i % 2 == 0 ? "a1" : "a2";
      Click click = Click.builder().clickId(IDS.issue(at)).campaignId(campaign).affiliateId(affiliate).createdAt(at)
          .subs(Map.of("sub1", "s" + i)).expiresAt(at.plus(Duration.ofDays(40))).build();
      store.put(click);
      all.add(0, click.clickId());
      if (affiliate.equals("a2")) {
        ofA2.add(0, click.clickId());
      }
    }
    store.put(minimalClick(newClickId())); // another campaign's
    TimeRange hours = new TimeRange(midnight.minusSeconds(3600), midnight.plusSeconds(3600));

    assertEquals(all, walk(new ClickQuery(campaign, null, hours, 4, null)));
    assertEquals(ofA2, walk(new ClickQuery(campaign, "a2", hours, 2, null)));
    assertEquals(all.subList(3, 6), walk(new ClickQuery(campaign, null,
        new TimeRange(midnight.minusSeconds(60), midnight.plusSeconds(60)), 500, null)), "from and to are inclusive");
    Click first = store.list(new ClickQuery(campaign, null, hours, 1, null)).items().get(0);
    assertEquals(Map.of("sub1", "s4"), first.subs(), "the list keeps what an operator reads");
  }

  private List<String> walk(ClickQuery query) {
    List<String> ids = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Page<Click> page = store.list(new ClickQuery(query.campaignId(), query.affiliateId(), query.range(), query.limit(),
          cursor));
      assertTrue(page.items().size() <= query.limit());
      page.items().forEach(c -> ids.add(c.clickId()));
      cursor = page.next();
    } while (cursor != null && ++pages < 100);
    return ids;
  }

  @Test
  void put_thenFind_roundTripsEveryField() {
    Click click = fullClick(newClickId());
    store.put(click);
    assertSameClick(click, store.find(click.clickId()).orElseThrow());
  }

  @Test
  void put_thenFind_keepsAbsentOptionalsAbsentAndMapsEmpty() {
    Click click = minimalClick(newClickId());
    store.put(click);
    Click found = store.find(click.clickId()).orElseThrow();
    assertSameClick(click, found);
    assertEquals(Map.of(), found.subs());
    assertEquals(Map.of(), found.platformIds());
    assertEquals(Map.of(), found.extra());
  }

  @Test
  void put_thenFind_keepsLongValuesWhole() {
    String ua = "Mozilla/5.0 " + "\u00e9\u20ac".repeat(250);
    Map<String, String> extra = new LinkedHashMap<>();
    for (int i = 0; i < 40; i++) {
      extra.put("p" + "x".repeat(60) + String.format("%02d", i), "v".repeat(512));
    }
    Click click = Click.builder().clickId(newClickId()).campaignId("camp-1").affiliateId("aff-1").createdAt(T0)
        .subs(Map.of()).platformIds(Map.of()).extra(extra).ip("203.0.113.9").userAgent(ua)
        .referer("https://ref.example/" + "r".repeat(490)).expiresAt(EXPIRES).build();
    store.put(click);
    assertSameClick(click, store.find(click.clickId()).orElseThrow());
  }

  @Test
  void find_unknownId_isEmpty() {
    assertTrue(store.find(newClickId()).isEmpty());
  }

  @Test
  void findAll_returnsTheExistingClicksKeyedById_andSkipsMissingOnes() {
    Click a = fullClick(newClickId());
    Click b = minimalClick(newClickId());
    store.put(a);
    store.put(b);
    Map<String, Click> found = store.findAll(List.of(newClickId(), a.clickId(), newClickId(), b.clickId()));
    assertEquals(Set.of(a.clickId(), b.clickId()), found.keySet());
    assertSameClick(a, found.get(a.clickId()));
    assertSameClick(b, found.get(b.clickId()));
  }

  @Test
  void findAll_ofNoIds_isEmpty() {
    assertEquals(Map.of(), store.findAll(List.of()));
  }

  @Test
  void findAll_ofOnlyMissingIds_isEmpty() {
    assertEquals(Map.of(), store.findAll(List.of(newClickId(), newClickId())));
  }

  @Test
  void findAll_ofMoreThan100Ids_findsEveryExistingOne() {
    List<String> stored = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      Click click = Click.builder().clickId(IDS.issue(T0.plus(Duration.ofMillis(i)))).campaignId("camp-" + (i % 3))
          .affiliateId("aff-" + i).createdAt(T0.plus(Duration.ofMillis(i))).subs(Map.of("sub1", "s" + i))
          .expiresAt(EXPIRES).build();
      store.put(click);
      stored.add(click.clickId());
    }
    List<String> asked = new ArrayList<>(stored);
    for (int i = 0; i < 30; i++) {
      asked.add(newClickId());
    }
    Collections.shuffle(asked);

    Map<String, Click> found = store.findAll(asked);

    assertEquals(Set.copyOf(stored), found.keySet());
    for (int i = 0; i < stored.size(); i++) {
      Click c = found.get(stored.get(i));
      assertEquals("aff-" + i, c.affiliateId());
      assertEquals(Map.of("sub1", "s" + i), c.subs());
      assertEquals(T0.plus(Duration.ofMillis(i)), c.createdAt());
    }
  }

  @Test
  void findAll_withRepeatedIds_findsEachClickOnce() {
    Click a = minimalClick(newClickId());
    store.put(a);
    String missing = newClickId();
    Map<String, Click> found = store.findAll(List.of(a.clickId(), missing, a.clickId(), missing));
    assertEquals(Set.of(a.clickId()), found.keySet());
  }

  @Test
  void findAll_acceptsAnyCollection() {
    Click a = minimalClick(newClickId());
    store.put(a);
    Set<String> ids = Set.of(a.clickId(), newClickId());
    assertEquals(Set.of(a.clickId()), store.findAll(ids).keySet());
    assertEquals(Set.of(a.clickId()), store.findAll(ids.stream().collect(Collectors.toCollection(ArrayList::new))).keySet());
  }

  protected static void assertSameClick(Click expected, Click actual) {
    assertEquals(expected.clickId(), actual.clickId(), "clickId");
    assertEquals(expected.campaignId(), actual.campaignId(), "campaignId");
    assertEquals(expected.affiliateId(), actual.affiliateId(), "affiliateId");
    assertEquals(expected.createdAt(), actual.createdAt(), "createdAt");
    assertEquals(expected.subs(), actual.subs(), "subs");
    assertEquals(expected.platformIds(), actual.platformIds(), "platformIds");
    assertEquals(expected.extra(), actual.extra(), "extra");
    assertEquals(expected.ip(), actual.ip(), "ip");
    assertEquals(expected.userAgent(), actual.userAgent(), "userAgent");
    assertEquals(expected.referer(), actual.referer(), "referer");
    assertEquals(expected.country(), actual.country(), "country");
    assertEquals(expected.expiresAt(), actual.expiresAt(), "expiresAt");
  }
}
