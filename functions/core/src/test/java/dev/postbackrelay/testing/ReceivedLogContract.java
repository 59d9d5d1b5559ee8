package dev.postbackrelay.testing;

import static dev.postbackrelay.testing.ContractData.T0;
import static dev.postbackrelay.testing.ContractData.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.postbackrelay.attribution.Decision;
import dev.postbackrelay.attribution.PostbackLog;
import dev.postbackrelay.attribution.PostbackRecord;
import dev.postbackrelay.common.Page;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.logs.CapScope;
import dev.postbackrelay.logs.ReceivedEntry;
import dev.postbackrelay.logs.ReceivedLog;
import dev.postbackrelay.logs.ReceivedQuery;
import dev.postbackrelay.logs.RefusalStore;
import dev.postbackrelay.logs.RefusedPostback;
import dev.postbackrelay.postback.Postback;
import dev.postbackrelay.postback.PostbackIds;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The received-postbacks log contract ({@link ReceivedLog} over {@link PostbackLog} and
 * {@link RefusalStore}): accepted and refused postbacks come back newest first under their
 * campaign and their source address, a refusal keeps what arrived, the cap holds per scope and
 * minute, suppressed counts add up, filters narrow, and pages walk every match once. The stores
 * may be shared between tests: every test uses its own campaign ids and addresses.
 */
public abstract class ReceivedLogContract {

  private static final PostbackIds IDS = new PostbackIds();
  /** A minute boundary, so that "this minute" is unambiguous in every test. */
  private static final Instant M0 = T0.truncatedTo(ChronoUnit.MINUTES);

  private PostbackLog accepted;
  private RefusalStore refusals;
  private ReceivedLog log;

  protected abstract PostbackLog postbackLog();

  protected abstract RefusalStore refusalStore();

  protected abstract ReceivedLog receivedLog();

  @BeforeEach
  void create() {
    accepted = postbackLog();
    refusals = refusalStore();
    log = receivedLog();
  }

  @Test
  void aRefusal_isListedUnderItsCampaignAndItsAddress_withWhatArrivedAndWhy() {
    String campaign = unique("camp");
    String ip = unique("198.51.100.");
    List<Map.Entry<String, String>> params = List.of(Map.entry("ClickID", "abc"), Map.entry("token", "********"),
        Map.entry("payout", "1,5"), Map.entry("payout", "2"), Map.entry("utm_source", "über"));
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("click_id", "abc");
    fields.put("payout", "1,5");
    RefusedPostback refusal = new RefusedPostback(IDS.next(M0.plusSeconds(5)), M0.plusSeconds(5), "POST", ip, campaign,
        params, fields, Map.of("click_id", "clickid", "payout", "payout"), "malformed_click_id",
        "The click_id is not a click id this tracker issued.");

    assertEquals(Set.of(), refusals.recordUnderCap(refusal, scopes(campaign, ip), M0, 60));

    ReceivedEntry byCampaign = only(list(campaign, null, null));
    assertEquals(refusal, assertInstanceOf(ReceivedEntry.Refused.class, byCampaign).refusal());
    assertEquals(refusal, assertInstanceOf(ReceivedEntry.Refused.class, only(list(null, ip, null))).refusal());
  }

  @Test
  void acceptedAndRefused_interleaveNewestFirst_underTheCampaign() {
    String campaign = unique("camp");
    String ip = unique("203.0.113.");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Instant at = M0.plusSeconds(10L * i);
      PostbackRecord ok = new PostbackRecord(postback(IDS.next(at), campaign, ip, "T-" + i, at),
          new Decision(Decision.Outcome.ATTRIBUTED, null, "k" + i), at.plusMillis(5));
      accepted.record(ok);
      RefusedPostback bad = refusal(IDS.next(at.plusSeconds(1)), at.plusSeconds(1), campaign, ip, "bad_token");
      refusals.recordUnderCap(bad, scopes(campaign, ip), M0, 60);
      expected.add(0, ok.postback().postbackId());
      expected.add(0, bad.id());
    }
    assertEquals(expected, ids(list(campaign, null, null)));
    assertEquals(expected, ids(list(null, ip, null)));
  }

  @Test
  void theCap_holdsPerCampaignAndMinute_andNamesTheFullScope() {
    String campaign = unique("camp");
    List<String> recorded = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String ip = unique("192.0.2.");
      RefusedPostback r = refusal(IDS.next(M0.plusSeconds(i)), M0.plusSeconds(i), campaign, ip, "bad_token");
      Set<CapScope> full = refusals.recordUnderCap(r, scopes(campaign, ip), M0, 3);
      if (i < 3) {
        assertEquals(Set.of(), full);
        recorded.add(0, r.id());
      } else {
        assertEquals(Set.of(CapScope.campaign(campaign)), full, "the campaign's minute is full, the new address's is not");
      }
    }
    assertEquals(recorded, ids(list(campaign, null, null)));
    // the next minute starts empty
    RefusedPostback next = refusal(IDS.next(M0.plusSeconds(61)), M0.plusSeconds(61), campaign, unique("192.0.2."), "bad_token");
    assertEquals(Set.of(), refusals.recordUnderCap(next, scopes(campaign, next.sourceIp()), M0.plusSeconds(60), 3));
  }

  @Test
  void theCap_holdsPerAddressAcrossCampaigns() {
    String ip = unique("198.18.0.");
    for (int i = 0; i < 3; i++) {
      String campaign = unique("camp");
      RefusedPostback r = refusal(IDS.next(M0.plusSeconds(i)), M0.plusSeconds(i), campaign, ip, "unknown_campaign");
      Set<CapScope> full = refusals.recordUnderCap(r, scopes(campaign, ip), M0, 2);
      assertEquals(i < 2 ? Set.of() : Set.of(CapScope.sourceIp(ip)), full);
    }
    assertEquals(2, list(null, ip, null).items().size());
  }

  @Test
  void suppressedCounts_addUp_andShowAsOneEntryPerScopeAndMinute() {
    String campaign = unique("camp");
    String ip = unique("198.51.100.");
    refusals.recordUnderCap(refusal(IDS.next(M0.plusSeconds(1)), M0.plusSeconds(1), campaign, ip, "bad_token"),
        scopes(campaign, ip), M0, 1);
    refusals.addSuppressed(CapScope.campaign(campaign), M0, Map.of("bad_token", 40L, "unsubstituted_macro", 2L));
    refusals.addSuppressed(CapScope.campaign(campaign), M0, Map.of("bad_token", 2L));
    refusals.addSuppressed(CapScope.sourceIp(ip), M0, Map.of("bad_token", 7L));

    List<ReceivedEntry> entries = list(campaign, null, null).items();
    assertEquals(2, entries.size());
    ReceivedEntry.Suppressed counter = assertInstanceOf(ReceivedEntry.Suppressed.class, entries.get(0),
        "the minute's counter sorts after the minute's records");
    assertEquals(Map.of("bad_token", 42L, "unsubstituted_macro", 2L), counter.byReason());
    assertEquals(CapScope.campaign(campaign), counter.scope());
    assertEquals(M0, counter.minute());
    ReceivedEntry.Suppressed byIp = assertInstanceOf(ReceivedEntry.Suppressed.class, list(null, ip, null).items().get(0));
    assertEquals(Map.of("bad_token", 7L), byIp.byReason());
  }

  @Test
  void refusalsThatNamedNoCampaign_areListedUnderTheNoCampaignKeyAndTheirAddress() {
    String ip = unique("198.51.100.");
    RefusedPostback r = refusal(IDS.next(M0.plusSeconds(2)), M0.plusSeconds(2), null, ip, "missing_click_id");
    refusals.recordUnderCap(r, scopes(null, ip), M0, 60);
    assertEquals(List.of(r.id()), ids(list(null, ip, null)));
    Page<ReceivedEntry> none = log.list(new ReceivedQuery(CapScope.NO_CAMPAIGN, ip, null, M0, M0.plusSeconds(60),
        null, null, null, 500, null));
    assertEquals(List.of(r.id()), ids(none));
  }

  @Test
  void filters_narrowByDecisionReasonTxidAndClick() {
    String campaign = unique("camp");
    String ip = unique("203.0.113.");
    String click = unique("click");
    PostbackRecord dup = new PostbackRecord(postback(IDS.next(M0.plusSeconds(1)), campaign, ip, click, "T-dup", M0.plusSeconds(1)),
        new Decision(Decision.Outcome.DUPLICATE, Reason.DUPLICATE, "k"), M0.plusSeconds(1));
    PostbackRecord ok = new PostbackRecord(postback(IDS.next(M0.plusSeconds(2)), campaign, ip, click, "T-ok", M0.plusSeconds(2)),
        new Decision(Decision.Outcome.ATTRIBUTED, null, "k2"), M0.plusSeconds(2));
    accepted.record(dup);
    accepted.record(ok);
    RefusedPostback bad = refusal(IDS.next(M0.plusSeconds(3)), M0.plusSeconds(3), campaign, ip, "bad_token");
    refusals.recordUnderCap(bad, scopes(campaign, ip), M0, 60);

    assertEquals(List.of(dup.postback().postbackId()), ids(query(campaign, "duplicate", null, null)));
    assertEquals(List.of(dup.postback().postbackId()), ids(query(campaign, null, "duplicate", null)));
    assertEquals(List.of(bad.id()), ids(query(campaign, "refused", null, null)));
    assertEquals(List.of(bad.id()), ids(query(campaign, null, "bad_token", null)));
    assertEquals(List.of(ok.postback().postbackId()), ids(query(campaign, null, null, "T-ok")));
    assertEquals(List.of(ok.postback().postbackId(), dup.postback().postbackId()),
        ids(list(campaign, null, ok.postback().clickId())));
  }

  @Test
  void pages_walkEveryMatchOnce_newestFirst_acrossDays() {
    String campaign = unique("camp");
    String ip = unique("203.0.113.");
    Instant midnight = M0.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
    List<String> expected = new ArrayList<>();
    for (int i = -3; i < 4; i++) {
      Instant at = midnight.plusSeconds(i * 7L);
      RefusedPostback r = refusal(IDS.next(at), at, campaign, ip, "bad_token");
      refusals.recordUnderCap(r, scopes(campaign, ip), at.truncatedTo(ChronoUnit.MINUTES), 60);
      expected.add(0, r.id());
    }
    List<String> walked = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Page<ReceivedEntry> page = log.list(new ReceivedQuery(campaign, null, null, midnight.minusSeconds(3600),
          midnight.plusSeconds(3600), null, null, null, 3, cursor));
      page.items().forEach(e -> walked.add(e.id()));
      cursor = page.next();
      pages++;
    } while (cursor != null && pages < 10);
    assertEquals(expected, walked);
    assertEquals(3, pages);
  }

  @Test
  void theTimeRange_bounds_andAnEmptyRange_isAnEmptyLastPage() {
    String campaign = unique("camp");
    String ip = unique("203.0.113.");
    List<RefusedPostback> made = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Instant at = M0.plusSeconds(i * 20L);
      RefusedPostback r = refusal(IDS.next(at), at, campaign, ip, "bad_token");
      refusals.recordUnderCap(r, scopes(campaign, ip), at.truncatedTo(ChronoUnit.MINUTES), 60);
      made.add(r);
    }
    Page<ReceivedEntry> middle = log.list(new ReceivedQuery(campaign, null, null, M0.plusSeconds(20), M0.plusSeconds(40),
        null, null, null, 50, null));
    assertEquals(List.of(made.get(2).id(), made.get(1).id()), ids(middle));
    Page<ReceivedEntry> empty = log.list(new ReceivedQuery(campaign, null, null, M0.minusSeconds(600), M0.minusSeconds(1),
        null, null, null, 50, null));
    assertEquals(List.of(), empty.items());
    assertNull(empty.next());
  }

  private Page<ReceivedEntry> list(String campaign, String ip, String clickId) {
    return log.list(new ReceivedQuery(campaign, ip, clickId, M0.minusSeconds(3600), M0.plusSeconds(3600), null, null,
        null, 500, null));
  }

  private Page<ReceivedEntry> query(String campaign, String decision, String reason, String txid) {
    return log.list(new ReceivedQuery(campaign, null, null, M0.minusSeconds(3600), M0.plusSeconds(3600), decision,
        reason, txid, 500, null));
  }

  private static ReceivedEntry only(Page<ReceivedEntry> page) {
    assertEquals(1, page.items().size(), () -> "one entry expected: " + page.items());
    assertNull(page.next());
    return page.items().get(0);
  }

  private static List<String> ids(Page<ReceivedEntry> page) {
    return page.items().stream().map(ReceivedEntry::id).toList();
  }

  private static List<CapScope> scopes(String campaign, String ip) {
    return List.of(CapScope.campaign(campaign), CapScope.sourceIp(ip));
  }

  static RefusedPostback refusal(String id, Instant at, String campaign, String ip, String reason) {
    return new RefusedPostback(id, at, "GET", ip, campaign, List.of(Map.entry("campaign_id", String.valueOf(campaign))),
        campaign == null ? Map.of() : Map.of("campaign_id", campaign), campaign == null ? Map.of() : Map.of("campaign_id",
        "campaign_id"), reason, "Refused: " + reason + ".");
  }

  static Postback postback(String id, String campaign, String ip, String txid, Instant at) {
    return postback(id, campaign, ip, unique("click"), txid, at);
  }

  static Postback postback(String id, String campaign, String ip, String clickId, String txid, Instant at) {
    return Postback.builder().postbackId(id).receivedAt(at).sourceIp(ip).clickId(clickId).campaignId(campaign)
        .event("conversion").txid(txid).extra(Map.of()).authenticatedBy(Set.of()).build();
  }
}
