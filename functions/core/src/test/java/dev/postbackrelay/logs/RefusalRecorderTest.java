package dev.postbackrelay.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.postbackrelay.common.Page;
import dev.postbackrelay.postback.PostbackIds;
import dev.postbackrelay.testing.InMemoryPostbackLog;
import dev.postbackrelay.testing.InMemoryReceivedLog;
import dev.postbackrelay.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A flood of refusals writes the cap's worth of records and a counter per minute, not one write per refusal. */
class RefusalRecorderTest {

  private final MutableClock clock = MutableClock.atNewYear2025();
  private final InMemoryReceivedLog store = new InMemoryReceivedLog(new InMemoryPostbackLog(), clock);
  private final PostbackIds ids = new PostbackIds();

  @Test
  void underTheCap_eachRefusalIsOneWrite_andIsListed() {
    RefusalRecorder recorder = new RefusalRecorder(store, 60, clock);
    for (int i = 0; i < 10; i++) {
      recorder.record(refusal("c1", "198.51.100.7", "bad_token"));
    }
    assertEquals(10, store.writes);
    assertEquals(10, list("c1", null).items().size());
  }

  @Test
  void aFloodPastTheCap_writesTheCapThenNothing_thenOneCounterPerScopeAndMinute() {
    RefusalRecorder recorder = new RefusalRecorder(store, 3, clock);
    for (int i = 0; i < 1000; i++) {
      recorder.record(refusal("c1", "198.51.100.7", i % 10 == 0 ? "unsubstituted_macro" : "bad_token"));
    }
    assertEquals(3 + 1, store.writes, "three records, one refused write that found the minute full, then none");

    clock.advance(RefusalRecorder.FLUSH_EVERY);
    recorder.record(refusal("c1", "198.51.100.7", "bad_token"));
    assertEquals(4 + 2, store.writes, "one counter write per full scope");

    List<?> entries = list("c1", null).items();
    assertEquals(4, entries.size(), "three records and the minute's counter");
    ReceivedEntry.Suppressed counter = assertInstanceOf(ReceivedEntry.Suppressed.class, entries.get(0));
    assertEquals(998, counter.total(), "every refusal past the cap is counted");
    assertEquals(99L, counter.byReason().get("unsubstituted_macro"), "the first of the 100 was recorded");
    ReceivedEntry.Suppressed byIp = assertInstanceOf(ReceivedEntry.Suppressed.class, list(null, "198.51.100.7").items().get(0));
    assertEquals(998, byIp.total());
  }

  @Test
  void aNewMinute_recordsAgain_andFlushesTheLastMinutesCounts() {
    RefusalRecorder recorder = new RefusalRecorder(store, 1, clock);
    recorder.record(refusal("c1", "192.0.2.1", "bad_token"));
    recorder.record(refusal("c1", "192.0.2.1", "bad_token"));
    recorder.record(refusal("c1", "192.0.2.1", "bad_token"));
    int before = store.writes;

    clock.advance(Duration.ofMinutes(1));
    recorder.record(refusal("c1", "192.0.2.1", "ip_not_allowed"));

    assertEquals(before + 1 + 2, store.writes, "the new minute's record, and the old minute's two counters");
    List<ReceivedEntry> entries = list("c1", null).items();
    assertEquals(List.of("refused", "suppressed", "refused"), entries.stream().map(RefusalRecorderTest::kind).toList());
  }

  @Test
  void anotherCampaignsFlood_doesNotSilenceThisCampaign_butOneAddressIsCappedAcrossCampaigns() {
    RefusalRecorder recorder = new RefusalRecorder(store, 2, clock);
    for (int i = 0; i < 50; i++) {
      recorder.record(refusal("noisy", "203.0.113." + i, "bad_token"));
    }
    recorder.record(refusal("quiet", "192.0.2.9", "bad_token"));
    assertEquals(1, list("quiet", null).items().size());

    for (int i = 0; i < 5; i++) {
      recorder.record(refusal("camp-" + i, "198.18.0.1", "unknown_campaign"));
    }
    recorder.flush();
    assertEquals(3, list(null, "198.18.0.1").items().size(), "two records and the address's counter");
  }

  private RefusedPostback refusal(String campaign, String ip, String reason) {
    Instant at = clock.instant();
    return new RefusedPostback(ids.next(at), at, "GET", ip, campaign, List.of(), Map.of(), Map.of(), reason, reason);
  }

  private Page<ReceivedEntry> list(String campaign, String ip) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MINUTES);
    return store.list(new ReceivedQuery(campaign, ip, null, now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(1)),
        null, null, null, 500, null));
  }

  private static String kind(ReceivedEntry e) {
    return e instanceof ReceivedEntry.Suppressed ? "suppressed" : "refused";
  }
}
