package dev.postbackrelay.testing;

import static dev.postbackrelay.testing.ContractData.T0;
import static dev.postbackrelay.testing.ContractData.assertSameNumber;
import static dev.postbackrelay.testing.ContractData.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.attribution.Decision;
import dev.postbackrelay.attribution.PostbackLog;
import dev.postbackrelay.attribution.PostbackRecord;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.postback.Postback;
import dev.postbackrelay.postback.PostbackIds;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link PostbackLog} contract: every field of the postback and its decision survives,
 * {@link PostbackLog#record} is idempotent per postback id, and a click's postbacks come back
 * oldest first by postback id. The log may be shared between tests (every test uses fresh ids).
 */
public abstract class PostbackLogContract {

  private static final PostbackIds IDS = new PostbackIds();

  private PostbackLog log;

  protected abstract PostbackLog newLog();

  @BeforeEach
  void createLog() {
    log = newLog();
  }

  protected static Postback fullPostback(String postbackId, String clickId, Instant receivedAt) {
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put("sub1", "über & co");
    extra.put("utm_source", "fb");
    extra.put("goal_name", "first deposit");
    return Postback.builder().postbackId(postbackId).receivedAt(receivedAt).sourceIp("2001:db8::20").clickId(clickId)
        .campaignId("camp-1").affiliateId("aff-1").event("deposit").txid("INV-2025/0042")
        .amount(new BigDecimal("50.00")).payout(new BigDecimal("5.5000")).currency("EUR")
        .conversionRate(new BigDecimal("1.0870000000")).status(ConversionStatus.APPROVED).statusWord("Confirmed")
        .customerId("cust-88213").newCustomer(true).extra(extra)
        .authenticatedBy(java.util.Set.of(Postback.Authentication.TOKEN, Postback.Authentication.IP_ALLOWLIST))
        .build();
  }

  protected static Postback minimalPostback(String postbackId, String clickId, Instant receivedAt) {
    return Postback.builder().postbackId(postbackId).receivedAt(receivedAt).clickId(clickId).campaignId("camp-1")
        .event("conversion").txid("").extra(Map.of()).build();
  }

  @Test
  void record_thenFind_roundTripsEveryField() {
    PostbackRecord entry = new PostbackRecord(fullPostback(IDS.next(T0), unique("click"), T0),
        new Decision(Decision.Outcome.ATTRIBUTED, null, "click/deposit#INV-2025/0042"), T0.plusMillis(250));

    log.record(entry);

    assertSameRecord(entry, log.find(entry.postback().postbackId()).orElseThrow());
  }

  @Test
  void record_thenFind_keepsAbsentOptionalsAbsent() {
    PostbackRecord entry = new PostbackRecord(minimalPostback(IDS.next(T0), unique("click"), T0),
        Decision.rejected(Reason.UNKNOWN_CLICK), T0.plusMillis(3));

    log.record(entry);

    PostbackRecord found = log.find(entry.postback().postbackId()).orElseThrow();
    assertSameRecord(entry, found);
    assertEquals(Map.of(), found.postback().extra());
    assertEquals("", found.postback().txid());
  }

  @Test
  void everyOutcomeAndReason_roundTrips() {
    List<Decision> decisions = new ArrayList<>();
    decisions.add(new Decision(Decision.Outcome.ATTRIBUTED, null, "k/sale#1"));
    decisions.add(new Decision(Decision.Outcome.STATUS_UPDATED, null, "k/sale#1"));
    decisions.add(new Decision(Decision.Outcome.DUPLICATE, Reason.DUPLICATE, "k/sale#1"));
    for (Reason reason : Reason.values()) {
      decisions.add(Decision.rejected(reason));
    }
    for (Decision decision : decisions) {
      PostbackRecord entry = new PostbackRecord(minimalPostback(IDS.next(T0), unique("click"), T0), decision, T0);
      log.record(entry);
      assertEquals(decision, log.find(entry.postback().postbackId()).orElseThrow().decision());
    }
  }

  @Test
  void campaignMismatch_isLoggedUnderItsPostbackId_butNeverUnderTheOtherCampaignsClick() {
    String click = unique("click");
    PostbackRecord entry = new PostbackRecord(minimalPostback(IDS.next(T0), click, T0),
        Decision.rejected(Reason.CAMPAIGN_MISMATCH), T0);

    log.record(entry);

    assertEquals(Decision.rejected(Reason.CAMPAIGN_MISMATCH), log.find(entry.postback().postbackId()).orElseThrow().decision());
    assertEquals(List.of(), log.findByClick(click), "nothing is written under a click of another campaign");
  }

  @Test
  void find_ofAnUnknownPostback_isEmpty() {
    assertTrue(log.find(IDS.next(T0)).isEmpty());
  }

  @Test
  void record_twice_keepsOneEntry_theLatest() {
    String clickId = unique("click");
    Postback p = fullPostback(IDS.next(T0), clickId, T0);
    log.record(new PostbackRecord(p, new Decision(Decision.Outcome.ATTRIBUTED, null, "k"), T0.plusSeconds(1)));
    PostbackRecord again = new PostbackRecord(p, new Decision(Decision.Outcome.ATTRIBUTED, null, "k"), T0.plusSeconds(40));

    log.record(again);

    assertSameRecord(again, log.find(p.postbackId()).orElseThrow());
    List<PostbackRecord> ofClick = log.findByClick(clickId);
    assertEquals(1, ofClick.size());
    assertSameRecord(again, ofClick.get(0));
  }

  @Test
  void findByClick_returnsThatClicksPostbacks_oldestFirstByPostbackId() {
    String clickId = unique("click");
    List<PostbackRecord> inOrder = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Instant at = T0.plus(Duration.ofSeconds(i * 7L)).plusMillis(i);
      Postback p = i % 2 == 0 ? fullPostback(IDS.next(at), clickId, at) : minimalPostback(IDS.next(at), clickId, at);
      inOrder.add(new PostbackRecord(p, Decision.rejected(Reason.TOO_FAST), at.plusMillis(5)));
    }
    List<PostbackRecord> shuffled = new ArrayList<>(inOrder);
    Collections.shuffle(shuffled);
    shuffled.forEach(log::record);
    log.record(new PostbackRecord(fullPostback(IDS.next(T0), unique("click"), T0), Decision.rejected(Reason.UNKNOWN_CLICK), T0));

    List<PostbackRecord> found = log.findByClick(clickId);

    assertEquals(inOrder.stream().map(r -> r.postback().postbackId()).toList(),
        found.stream().map(r -> r.postback().postbackId()).toList());
    for (int i = 0; i < inOrder.size(); i++) {
      assertSameRecord(inOrder.get(i), found.get(i));
    }
  }

  @Test
  void findByClick_ofAClickNoPostbackNamed_isEmpty() {
    assertEquals(List.of(), log.findByClick(unique("click")));
  }

  @Test
  void aPostbackWithoutClick_isFoundById_andUnderNoClick() {
    Postback lifetime = Postback.builder().postbackId(IDS.next(T0)).receivedAt(T0).sourceIp("198.51.100.1")
        .campaignId("camp-1").event("deposit").txid("T-9").amount(new BigDecimal("30")).currency("USD")
        .customerId("cust-1").extra(Map.of()).build();
    PostbackRecord entry = new PostbackRecord(lifetime, Decision.rejected(Reason.UNKNOWN_CUSTOMER), T0);

    log.record(entry);

    assertSameRecord(entry, log.find(lifetime.postbackId()).orElseThrow());
  }

  protected static void assertSameRecord(PostbackRecord expected, PostbackRecord actual) {
    Postback e = expected.postback();
    Postback a = actual.postback();
    assertEquals(e.postbackId(), a.postbackId(), "postbackId");
    assertEquals(e.receivedAt(), a.receivedAt(), "receivedAt");
    assertEquals(e.sourceIp(), a.sourceIp(), "sourceIp");
    assertEquals(e.clickId(), a.clickId(), "clickId");
    assertEquals(e.campaignId(), a.campaignId(), "campaignId");
    assertEquals(e.affiliateId(), a.affiliateId(), "affiliateId");
    assertEquals(e.event(), a.event(), "event");
    assertEquals(e.txid(), a.txid(), "txid");
    assertSameNumber(e.amount(), a.amount(), "amount");
    assertEquals(e.authenticatedBy(), a.authenticatedBy(), "authenticatedBy");
    assertSameNumber(e.payout(), a.payout(), "payout");
    assertEquals(e.currency(), a.currency(), "currency");
    assertSameNumber(e.conversionRate(), a.conversionRate(), "conversionRate");
    assertEquals(e.status(), a.status(), "status");
    assertEquals(e.statusWord(), a.statusWord(), "statusWord");
    assertEquals(e.customerId(), a.customerId(), "customerId");
    assertEquals(e.newCustomer(), a.newCustomer(), "newCustomer");
    assertEquals(e.extra(), a.extra(), "extra");
    assertEquals(expected.decision(), actual.decision(), "decision");
    assertEquals(expected.decidedAt(), actual.decidedAt(), "decidedAt");
  }
}
