package dev.postbackrelay.testing;

import static dev.postbackrelay.testing.ContractData.T0;
import static dev.postbackrelay.testing.ContractData.assertSameNumber;
import static dev.postbackrelay.testing.ContractData.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.attribution.ConversionQuery;
import dev.postbackrelay.attribution.ConversionStore;
import dev.postbackrelay.attribution.DeliveryAttempt;
import dev.postbackrelay.attribution.StatusChange;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.common.Page;
import dev.postbackrelay.common.TimeRange;
import dev.postbackrelay.postback.PostbackIds;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link ConversionStore} contract: conditional creation that hands back the existing
 * conversion, status transitions conditional on the current status, append-only history and
 * deliveries. The store may be shared between tests (every test uses fresh click ids).
 */
public abstract class ConversionStoreContract {

  private ConversionStore store;

  protected abstract ConversionStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  protected static Conversion conversion(String clickId, String event, String txid, ConversionStatus status,
      String postbackId) {
    return Conversion.builder().clickId(clickId).event(event).txid(txid).campaignId("camp-1").affiliateId("aff-1")
        .status(status).amount(new BigDecimal("120.50")).currency("EUR").payout(new BigDecimal("12.0500"))
        .payoutCurrency("USD").createdAt(T0).postbackId(postbackId)
        .extra(Map.of("customer_id", "cu-1", "sub1", "über & co", "utm_source", "fb"))
        .history(List.of(new StatusChange(null, status, T0, postbackId))).deliveries(List.of())
        .payoutNote("payout_ignored: the postback sent payout 9999 but it was not authenticated")
        .build();
  }

  private static StatusChange change(ConversionStatus from, ConversionStatus to, long afterSeconds, String postbackId) {
    return new StatusChange(from, to, T0.plus(Duration.ofSeconds(afterSeconds)).plusMillis(afterSeconds), postbackId);
  }

  @Test
  void createIfAbsent_ofANewConversion_returnsEmpty_andFindRoundTripsEveryField() {
    String clickId = unique("click");
    Conversion c = conversion(clickId, "sale", "T-1", ConversionStatus.PENDING, "pb-1");

    assertTrue(store.createIfAbsent("sale#T-1", c).isEmpty());

    assertSameConversion(c, store.find(clickId, "sale#T-1").orElseThrow());
  }

  @Test
  void roundTrip_keepsAbsentOptionalsAbsent_andEmptyTxid() {
    String clickId = unique("click");
    Conversion c = Conversion.builder().clickId(clickId).event("lead").txid("").campaignId("camp-1").affiliateId("aff-1")
        .status(ConversionStatus.APPROVED).createdAt(T0).postbackId("pb-1").extra(Map.of())
        .history(List.of(new StatusChange(null, ConversionStatus.APPROVED, T0, "pb-1"))).deliveries(List.of())
        .build();
    store.createIfAbsent("lead", c);

    Conversion found = store.find(clickId, "lead").orElseThrow();
    assertSameConversion(c, found);
    assertEquals("", found.txid());
    assertEquals(Map.of(), found.extra());
    assertEquals(List.of(), found.deliveries());
  }

  @Test
  void roundTrip_comparesDecimalsByValueNotScale() {
    String clickId = unique("click");
    Conversion c = Conversion.builder().clickId(clickId).event("sale").txid("T").campaignId("camp-1").affiliateId("aff-1")
        .status(ConversionStatus.PENDING).amount(new BigDecimal("10.50")).currency("USD")
        .payout(new BigDecimal("1.0000")).payoutCurrency("USD").createdAt(T0).postbackId("pb-1").extra(Map.of())
        .history(List.of()).deliveries(List.of()).build();
    store.createIfAbsent("sale#T", c);
    Conversion found = store.find(clickId, "sale#T").orElseThrow();
    assertSameNumber(new BigDecimal("10.5"), found.amount(), "amount");
    assertSameNumber(BigDecimal.ONE, found.payout(), "payout");
  }

  @Test
  void list_ofACampaign_isNewestFirstByWhenCounted_byAffiliateStatusEventAndTime() {
    String campaign = unique("camp");
    PostbackIds ids = new PostbackIds();
    List<String> all = new ArrayList<>();
    List<String> approvedSales = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      Instant at = T0.plusSeconds(i * 30L);
      String event = i % 2 == 0 ? "sale" : "lead";
      ConversionStatus status = i % 3 == 0 ? ConversionStatus.PENDING : ConversionStatus.APPROVED;
      Conversion c = conversion(unique("click"), event, "T" + i, status, ids.next(at)).toBuilder().campaignId(campaign)
          .affiliateId(i < 4 ? "a1" : "a2").createdAt(at).build();
      store.createIfAbsent(event + "#T" + i, c);
      all.add(0, c.postbackId());
      if (event.equals("sale") && status == ConversionStatus.APPROVED) {
        approvedSales.add(0, c.postbackId());
      }
    }
    TimeRange range = new TimeRange(T0.minusSeconds(60), T0.plusSeconds(3600));
    assertEquals(all, walk(new ConversionQuery(campaign, null, null, null, range, 3, null)));
    assertEquals(approvedSales, walk(new ConversionQuery(campaign, null, ConversionStatus.APPROVED, "sale", range, 2, null)));
    assertEquals(all.subList(0, 3), walk(new ConversionQuery(campaign, "a2", null, null, range, 500, null)));
    Conversion newest = store.list(new ConversionQuery(campaign, null, null, null, range, 1, null)).items().get(0);
    assertEquals(1, newest.history().size(), "the list keeps the status history");
    assertSameNumber(new BigDecimal("12.0500"), newest.payout(), "payout");
  }

  private List<String> walk(ConversionQuery query) {
    List<String> ids = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Page<Conversion> page = store.list(new ConversionQuery(query.campaignId(), query.affiliateId(), query.status(),
          query.event(), query.range(), query.limit(), cursor));
      assertTrue(page.items().size() <= query.limit());
      page.items().forEach(c -> ids.add(c.postbackId()));
      cursor = page.next();
    } while (cursor != null && ++pages < 100);
    return ids;
  }

  @Test
  void find_ofAnUnknownConversion_isEmpty() {
    assertTrue(store.find(unique("click"), "sale#T-1").isEmpty());
  }

  @Test
  void createIfAbsent_twice_returnsTheFirst_andKeepsIt() {
    String clickId = unique("click");
    Conversion first = conversion(clickId, "sale", "T-1", ConversionStatus.PENDING, "pb-1");
    Conversion second = first.toBuilder().affiliateId("aff-2").status(ConversionStatus.APPROVED)
        .amount(new BigDecimal("999")).currency("GBP").payout(new BigDecimal("99")).payoutCurrency("GBP")
        .createdAt(T0.plusSeconds(60)).postbackId("pb-2").extra(Map.of("x", "y"))
        .history(List.of(new StatusChange(null, ConversionStatus.APPROVED, T0.plusSeconds(60), "pb-2")))
        .payoutNote(null).build();
    store.createIfAbsent("sale#T-1", first);

    Optional<Conversion> existing = store.createIfAbsent("sale#T-1", second);

    assertTrue(existing.isPresent(), "the second create must hand back the existing conversion");
    assertSameConversion(first, existing.get());
    assertSameConversion(first, store.find(clickId, "sale#T-1").orElseThrow());
  }

  @Test
  void createIfAbsent_underAnotherKey_orAnotherClick_isAnotherConversion() {
    String clickA = unique("click");
    String clickB = unique("click");
    assertTrue(store.createIfAbsent("sale#T-1", conversion(clickA, "sale", "T-1", ConversionStatus.PENDING, "p1")).isEmpty());
    assertTrue(store.createIfAbsent("sale#T-2", conversion(clickA, "sale", "T-2", ConversionStatus.PENDING, "p2")).isEmpty());
    assertTrue(store.createIfAbsent("sale#T-1", conversion(clickB, "sale", "T-1", ConversionStatus.PENDING, "p3")).isEmpty());
    assertEquals("p2", store.find(clickA, "sale#T-2").orElseThrow().postbackId());
    assertEquals("p3", store.find(clickB, "sale#T-1").orElseThrow().postbackId());
  }

  @Test
  void transition_fromTheCurrentStatus_movesIt_andAppendsTheChange() {
    String clickId = unique("click");
    Conversion c = conversion(clickId, "sale", "T-1", ConversionStatus.PENDING, "pb-1");
    store.createIfAbsent("sale#T-1", c);
    StatusChange approve = change(ConversionStatus.PENDING, ConversionStatus.APPROVED, 60, "pb-2");

    assertTrue(store.transition(clickId, "sale#T-1", approve));

    Conversion found = store.find(clickId, "sale#T-1").orElseThrow();
    assertEquals(ConversionStatus.APPROVED, found.status());
    assertEquals(List.of(c.history().get(0), approve), found.history());
    assertSameNumber(c.amount(), found.amount(), "amount is untouched");
    assertEquals(c.extra(), found.extra(), "extra is untouched");
  }

  @Test
  void transitions_keepTheHistoryInOrder() {
    String clickId = unique("click");
    Conversion c = conversion(clickId, "sale", "T-1", ConversionStatus.PENDING, "pb-1");
    store.createIfAbsent("sale#T-1", c);
    StatusChange approve = change(ConversionStatus.PENDING, ConversionStatus.APPROVED, 60, "pb-2");
    StatusChange chargeback = change(ConversionStatus.APPROVED, ConversionStatus.CHARGEBACK, 120, "pb-3");

    assertTrue(store.transition(clickId, "sale#T-1", approve));
    assertTrue(store.transition(clickId, "sale#T-1", chargeback));

    Conversion found = store.find(clickId, "sale#T-1").orElseThrow();
    assertEquals(ConversionStatus.CHARGEBACK, found.status());
    assertEquals(List.of(c.history().get(0), approve, chargeback), found.history());
  }

  @Test
  void transition_fromAStaleStatus_returnsFalse_andChangesNothing() {
    String clickId = unique("click");
    Conversion c = conversion(clickId, "sale", "T-1", ConversionStatus.PENDING, "pb-1");
    store.createIfAbsent("sale#T-1", c);
    store.recordDelivery(clickId, "sale#T-1", new DeliveryAttempt("affiliate:aff-1", ConversionStatus.PENDING, T0, 200, 15, null));
    Conversion before = store.find(clickId, "sale#T-1").orElseThrow();

    boolean moved = store.transition(clickId, "sale#T-1",
        change(ConversionStatus.APPROVED, ConversionStatus.CHARGEBACK, 60, "pb-2"));

    assertFalse(moved);
    assertSameConversion(before, store.find(clickId, "sale#T-1").orElseThrow());
  }

  @Test
  void transition_ofAnUnknownConversion_returnsFalse_andCreatesNothing() {
    String clickId = unique("click");
    assertFalse(store.transition(clickId, "sale#T-1", change(ConversionStatus.PENDING, ConversionStatus.APPROVED, 1, "p")));
    assertTrue(store.find(clickId, "sale#T-1").isEmpty());
    assertEquals(List.of(), store.findByClick(clickId));
  }

  @Test
  void recordDelivery_appendsAttemptsInOrder_keepingEveryField() {
    String clickId = unique("click");
    store.createIfAbsent("sale#T-1", conversion(clickId, "sale", "T-1", ConversionStatus.PENDING, "pb-1"));
    List<DeliveryAttempt> attempts = List.of(
        new DeliveryAttempt("affiliate:aff-1", ConversionStatus.PENDING, T0.plusMillis(1), 0, 5000, "read timed out"),
        new DeliveryAttempt("affiliate:aff-1", ConversionStatus.PENDING, T0.plusMillis(2), 503, 120, "HTTP 503"),
        new DeliveryAttempt("affiliate:aff-1", ConversionStatus.PENDING, T0.plusMillis(3), 200, 42, null),
        new DeliveryAttempt("affiliate:aff-1", ConversionStatus.APPROVED, T0.plusMillis(4), 204, 0, null));

    attempts.forEach(a -> store.recordDelivery(clickId, "sale#T-1", a));

    assertEquals(attempts, store.find(clickId, "sale#T-1").orElseThrow().deliveries());
  }

  @Test
  void deliveriesAndTransitions_doNotOverwriteEachOther() {
    String clickId = unique("click");
    Conversion c = conversion(clickId, "sale", "T-1", ConversionStatus.PENDING, "pb-1");
    store.createIfAbsent("sale#T-1", c);
    DeliveryAttempt first = new DeliveryAttempt("affiliate:aff-1", ConversionStatus.PENDING, T0, 200, 10, null);
    StatusChange approve = change(ConversionStatus.PENDING, ConversionStatus.APPROVED, 60, "pb-2");
    DeliveryAttempt second = new DeliveryAttempt("affiliate:aff-1", ConversionStatus.APPROVED, T0.plusSeconds(61), 200, 10, null);

    store.recordDelivery(clickId, "sale#T-1", first);
    assertTrue(store.transition(clickId, "sale#T-1", approve));
    store.recordDelivery(clickId, "sale#T-1", second);

    Conversion found = store.find(clickId, "sale#T-1").orElseThrow();
    assertEquals(ConversionStatus.APPROVED, found.status());
    assertEquals(List.of(c.history().get(0), approve), found.history());
    assertEquals(List.of(first, second), found.deliveries());
  }

  @Test
  void recordDelivery_forAnUnknownConversion_createsNothing() {
    String clickId = unique("click");
    try {
      store.recordDelivery(clickId, "sale#T-1", new DeliveryAttempt("affiliate:a", ConversionStatus.PENDING, T0, 200, 1, null));
    } catch (RuntimeException refused) {
      // refusing is fine; creating a half conversion is not
    }
    assertTrue(store.find(clickId, "sale#T-1").isEmpty());
  }

  @Test
  void findByClick_returnsEveryConversionOfThatClick_andNoOther() {
    String clickA = unique("click");
    String clickB = unique("click");
    store.createIfAbsent("sale#T-1", conversion(clickA, "sale", "T-1", ConversionStatus.PENDING, "p1"));
    store.createIfAbsent("sale#T-2", conversion(clickA, "sale", "T-2", ConversionStatus.APPROVED, "p2"));
    store.createIfAbsent("lead", conversion(clickA, "lead", "", ConversionStatus.PENDING, "p3"));
    store.createIfAbsent("sale#T-1", conversion(clickB, "sale", "T-1", ConversionStatus.PENDING, "p4"));

    List<Conversion> ofA = store.findByClick(clickA);

    assertEquals(Set.of("p1", "p2", "p3"), ofA.stream().map(Conversion::postbackId).collect(Collectors.toSet()));
    assertEquals(3, ofA.size());
    assertTrue(ofA.stream().allMatch(c -> c.clickId().equals(clickA)));
    assertEquals(List.of(), store.findByClick(unique("click")));
  }

  @Test
  void keysAsLongAsPostbackServiceAccepts_roundTrip() {
    // PostbackService accepts events of up to 64 characters and txids of up to 128 (MAX_KEY_CHARS),
    // any of them non-ASCII: at most 64 + 1 + 128 * 4 bytes, inside DynamoDB's 1 KiB sort key
    String clickId = unique("click");
    String event = "e".repeat(64);
    String txid = "\uD83D\uDE00".repeat(64) + "\u20ac".repeat(64);
    String key = Conversion.key(event, txid, true);
    Conversion c = conversion(clickId, event, txid, ConversionStatus.PENDING, "pb-1");

    assertTrue(store.createIfAbsent(key, c).isEmpty());
    assertTrue(store.createIfAbsent(key, c).isPresent());
    assertSameConversion(c, store.find(clickId, key).orElseThrow());
  }

  @Test
  void concurrentCreates_ofOneConversion_storeExactlyOne() throws Exception {
    String clickId = unique("click");
    int writers = 8;
    List<Optional<Conversion>> results = concurrently(writers, i ->
        store.createIfAbsent("sale#T-1", conversion(clickId, "sale", "T-1", ConversionStatus.PENDING, "pb-" + i)));

    List<Optional<Conversion>> created = results.stream().filter(Optional::isEmpty).toList();
    assertEquals(1, created.size(), "exactly one writer creates the conversion");
    String winner = store.find(clickId, "sale#T-1").orElseThrow().postbackId();
    assertTrue(results.stream().filter(Optional::isPresent).allMatch(r -> r.get().postbackId().equals(winner)),
        "every other writer is handed the winner's conversion");
  }

  @Test
  void concurrentTransitions_fromOneStatus_applyExactlyOnce() throws Exception {
    String clickId = unique("click");
    store.createIfAbsent("sale#T-1", conversion(clickId, "sale", "T-1", ConversionStatus.PENDING, "pb-0"));
    int writers = 8;
    List<Boolean> results = concurrently(writers, i -> store.transition(clickId, "sale#T-1",
        change(ConversionStatus.PENDING, i % 2 == 0 ? ConversionStatus.APPROVED : ConversionStatus.REJECTED, i, "pb-" + (i + 1))));

    assertEquals(1, results.stream().filter(b -> b).count(), "exactly one transition applies");
    Conversion found = store.find(clickId, "sale#T-1").orElseThrow();
    assertEquals(2, found.history().size());
    assertEquals(found.status(), found.history().get(1).to());
  }

  @Test
  void claim_isExclusiveUntilItExpiresOrTheAttemptIsRecorded() {
    String clickId = unique("click");
    store.createIfAbsent("sale#T-1", conversion(clickId, "sale", "T-1", ConversionStatus.APPROVED, "pb-1"));
    var until = T0.plusSeconds(30);

    assertTrue(store.claim(clickId, "sale#T-1", "affiliate:aff-1", ConversionStatus.APPROVED, until, T0));
    assertFalse(store.claim(clickId, "sale#T-1", "affiliate:aff-1", ConversionStatus.APPROVED, until, T0.plusSeconds(1)),
        "a live claim excludes a second runner");
    assertTrue(store.claim(clickId, "sale#T-1", "meta", ConversionStatus.APPROVED, until, T0),
        "claims are per destination");
    assertTrue(store.claim(clickId, "sale#T-1", "affiliate:aff-1", ConversionStatus.APPROVED, T0.plusSeconds(90),
        T0.plusSeconds(31)), "an expired claim can be taken over");

    store.recordDelivery(clickId, "sale#T-1",
        new DeliveryAttempt("affiliate:aff-1", ConversionStatus.APPROVED, T0.plusSeconds(32), 500, 10, "http_500"));
    assertTrue(store.claim(clickId, "sale#T-1", "affiliate:aff-1", ConversionStatus.APPROVED, T0.plusSeconds(200),
        T0.plusSeconds(33)), "recording the attempt releases the claim");
  }

  /** A claim taken over one that expired unrecorded says so (the run that held it may have called out). */
  @Test
  void claimAt_tellsATakeOverOfAnUnrecordedClaim_fromAFreshOne() {
    String clickId = unique("click");
    store.createIfAbsent("sale#T-1", conversion(clickId, "sale", "T-1", ConversionStatus.APPROVED, "pb-1"));
    String target = "affiliate:aff-1";

    assertEquals(ConversionStore.Claim.TAKEN,
        store.claimAt(clickId, "sale#T-1", target, ConversionStatus.APPROVED, T0.plusSeconds(30), T0));
    assertEquals(ConversionStore.Claim.HELD,
        store.claimAt(clickId, "sale#T-1", target, ConversionStatus.APPROVED, T0.plusSeconds(40), T0.plusSeconds(10)));
    assertEquals(ConversionStore.Claim.RETAKEN,
        store.claimAt(clickId, "sale#T-1", target, ConversionStatus.APPROVED, T0.plusSeconds(90), T0.plusSeconds(31)),
        "the first run never recorded: it may have called out");
    store.recordDelivery(clickId, "sale#T-1",
        new DeliveryAttempt(target, ConversionStatus.APPROVED, T0.plusSeconds(32), 200, 10, null));
    assertEquals(ConversionStore.Claim.TAKEN,
        store.claimAt(clickId, "sale#T-1", target, ConversionStatus.APPROVED, T0.plusSeconds(200), T0.plusSeconds(33)),
        "after a recorded attempt the next claim is a fresh one");
    assertEquals(ConversionStore.Claim.HELD, store.claimAt(unique("click"), "sale#T-1", target,
        ConversionStatus.APPROVED, T0.plusSeconds(30), T0), "no conversion, no claim");
  }

  @Test
  void claim_onAMissingConversion_isRefused() {
    assertFalse(store.claim(unique("click"), "sale#T-1", "affiliate:aff-1", ConversionStatus.APPROVED,
        T0.plusSeconds(30), T0));
  }

  private interface Indexed<T> {
    T call(int i) throws Exception;
  }

  private static <T> List<T> concurrently(int n, Indexed<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        Callable<T> call = () -> {
          start.await();
          return task.call(index);
        };
        futures.add(pool.submit(call));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(30, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  protected static void assertSameConversion(Conversion expected, Conversion actual) {
    assertEquals(expected.clickId(), actual.clickId(), "clickId");
    assertEquals(expected.event(), actual.event(), "event");
    assertEquals(expected.txid(), actual.txid(), "txid");
    assertEquals(expected.campaignId(), actual.campaignId(), "campaignId");
    assertEquals(expected.affiliateId(), actual.affiliateId(), "affiliateId");
    assertEquals(expected.status(), actual.status(), "status");
    assertSameNumber(expected.amount(), actual.amount(), "amount");
    assertEquals(expected.currency(), actual.currency(), "currency");
    assertSameNumber(expected.payout(), actual.payout(), "payout");
    assertEquals(expected.payoutCurrency(), actual.payoutCurrency(), "payoutCurrency");
    assertEquals(expected.payoutNote(), actual.payoutNote(), "payoutNote");
    assertEquals(expected.createdAt(), actual.createdAt(), "createdAt");
    assertEquals(expected.postbackId(), actual.postbackId(), "postbackId");
    assertEquals(expected.extra(), actual.extra(), "extra");
    assertEquals(expected.history(), actual.history(), "history");
    assertEquals(expected.deliveries(), actual.deliveries(), "deliveries");
  }
}
