package dev.postbackrelay.doctor;

import static dev.postbackrelay.testing.CampaignBuilder.campaign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.attribution.AttributionService;
import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.attribution.Decision;
import dev.postbackrelay.common.Params;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.forwarding.DeliveryPreview;
import dev.postbackrelay.postback.InboundPostback;
import dev.postbackrelay.postback.Postback;
import dev.postbackrelay.postback.PostbackSignature;
import dev.postbackrelay.testing.CoreFixture;
import dev.postbackrelay.testing.ScriptedPostbackSender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The dry run agrees with what really happens: for generated sequences of postbacks (new ones,
 * duplicates, status changes, refusals of every kind the edge makes, expired and too-young clicks,
 * lifetime customers, signed ones and their replays), each is first examined by the
 * {@link PostbackDoctor}, then sent for real through the edge, attribution and delivery, and both
 * must say the same: the edge's verdict and reason, the decision, the conversion booked with its
 * payout, the deliveries and the very requests sent. The dry run itself writes nothing.
 */
class PostbackDoctorPropertyTest {

  private static final String TOKEN = "tok-c1-secret";
  private static final String SIGNING_SECRET = "sign-secret-0123456789";
  private static final String PB = "https://" + CoreFixture.PARTNER_HOST
      + "/pb?click={click_id}&event={event}&status={status}&payout={payout}&cur={payout_currency}";

  /** One postback of a sequence, as choices; {@link #inbound} turns it into the request. */
  record Step(int click, String campaign, String event, String txid, String status, String payout, String amount,
      String currency, String token, boolean macro, String customer, boolean sign, boolean alias, boolean again) {}

  @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
  void theDryRunSaysWhatTheRealRunDoes(@ForAll("sequences") List<Step> steps) {
    CoreFixture core = new CoreFixture()
        .with(campaign("c1").token(TOKEN).fixedPayout("sale", "5").percentPayout("dep", "10").affiliate("a1", PB)
            .affiliate("a2", PB).build())
        .with(campaign("short").window(Duration.ofHours(1)).affiliate("a1", PB).build())
        .with(campaign("slow").minClickAge(Duration.ofHours(3)).affiliate("a1", PB).build())
        .with(campaign("ip").ipAllowlist("203.0.113.0/24").affiliate("a1", PB).build())
        .with(campaign("signed").signingSecret(SIGNING_SECRET).affiliate("a1", PB).build());
    core.sender.byDefault(ScriptedPostbackSender.ok());
    List<String> clicks = List.of(core.click("c1", "a1", "sub1", "s1"), core.click("c1", "a2"),
        core.click("short", "a1"), core.click("slow", "a1"), core.click("ip", "a1"), core.click("signed", "a1"),
        core.clickIds.issue(core.clock.instant()), "not-a-click-id");
    core.clock.advance(Duration.ofHours(2));

    InboundPostback previous = null;
    for (Step step : steps) {
      String clickId = clicks.get(step.click());
      // a network's retry sends the very same request again
      InboundPostback in = step.again() && previous != null ? previous : inbound(core, step, clickId);
      previous = in;
      int replayWrites = core.replays.writes();
      List<List<Conversion>> before = clicks.stream().map(core.conversions::findByClick).toList();
      int logged = core.log.all().size();

      DryRun dry = core.doctor.examine(in);

      assertEquals(replayWrites, core.replays.writes(), "the dry run claims no signature");
      assertEquals(before, clicks.stream().map(core.conversions::findByClick).toList(), "the dry run writes no conversion");
      assertEquals(List.of(), core.queue.sent(), "the dry run queues no postback");
      assertEquals(List.of(), core.deliveryQueue.sent(), "the dry run queues no delivery");
      assertEquals(logged, core.log.all().size(), "the dry run records no decision");

      Postback real;
      try {
        real = core.postbackService.accept(in);
      } catch (RejectedException e) {
        assertTrue(dry.refusal() != null, () -> "the dry run accepted what the edge refused: " + e.reason());
        assertEquals(e.reason(), dry.refusal().reason());
        assertEquals(e.getMessage(), dry.refusal().message());
        assertEquals(1, dry.checks().stream().filter(c -> c.result() == DryRun.Result.FAILED).count(), dry::toString);
        Statistics.label("fate").collect(e.reason().code());
        continue;
      }
      assertNull(dry.refusal(), () -> "the dry run refused what the edge accepted: " + dry.refusal());
      assertTrue(dry.checks().stream().allMatch(c -> c.result() == DryRun.Result.PASSED
          || c.result() == DryRun.Result.NOT_APPLICABLE), dry::toString);
      assertEquals(real, dry.postback().toBuilder().postbackId(real.postbackId()).build(), "the same postback");
      core.queue.drain();
      AttributionService.Result result = core.attribute(real);
      Decision decision = dry.attribution().decision();
      assertEquals(result.decision(), decision, "same decision");
      Statistics.label("fate").collect(decision.outcome() + (decision.reason() == null ? "" : " " + decision.reason()));
      Statistics.label("deliveries").collect(result.queued().size());
      if (decision.outcome() == Decision.Outcome.ATTRIBUTED || decision.outcome() == Decision.Outcome.STATUS_UPDATED) {
        String[] ref = decision.conversionKey().split("/", 2);
        Conversion booked = core.conversions.find(ref[0], ref[1]).orElseThrow();
        Conversion predicted = dry.attribution().booked();
        assertEquals(booked.status(), predicted.status());
        assertEquals(booked.payout(), predicted.payout(), "same payout");
        assertEquals(booked.payoutCurrency(), predicted.payoutCurrency());
        assertEquals(booked.amount(), predicted.amount());
        assertEquals(booked.history().size(), predicted.history().size());
      } else {
        assertNull(dry.attribution().booked(), "nothing booked");
      }
      List<String> queued = result.queued().stream().map(d -> d.destinationId() + "/" + d.status().code()).toList();
      assertEquals(queued, dry.deliveries().stream().map(d -> d.destinationId() + "/" + d.status()).toList());
      int calls = core.sender.calls().size();
      core.drain();
      List<String> sent = new ArrayList<>();
      core.sender.calls().subList(calls, core.sender.calls().size())
          .forEach(c -> sent.add(c.method() + " " + c.url()));
      assertEquals(sent, dry.deliveries().stream().map(d -> d.method() + " " + d.url()).toList(), "the same requests");
    }
  }

  private static InboundPostback inbound(CoreFixture core, Step s, String clickId) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    if (s.customer() == null || s.click() % 2 == 0) {
      pairs.add(Map.entry(s.alias() ? "clickid" : "click_id", s.macro() ? "{clickid}" : clickId));
    }
    if (s.campaign() != null) {
      pairs.add(Map.entry("campaign_id", s.campaign()));
    }
    add(pairs, s.alias() ? "goal" : "event", s.event());
    add(pairs, s.alias() ? "order_id" : "txid", s.txid());
    add(pairs, "status", s.status());
    add(pairs, s.alias() ? "commission" : "payout", s.payout());
    add(pairs, s.alias() ? "sum" : "amount", s.amount());
    add(pairs, "currency", s.currency());
    add(pairs, "token", s.token());
    if (s.customer() != null) {
      pairs.add(Map.entry("customer_id", s.customer()));
      pairs.add(Map.entry("new_customer", "1"));
    }
    String ip = s.click() == 4 && s.sign() ? "203.0.113.9" : "198.51.100.20";
    if (s.sign()) {
      pairs.add(Map.entry("ts", Long.toString(core.clock.instant().getEpochSecond())));
      pairs.add(Map.entry("sig", PostbackSignature.sign(SIGNING_SECRET, PostbackSignature.stringToSign("GET", pairs))));
    }
    return new InboundPostback(Params.of(pairs), "GET", "/postback", ip);
  }

  private static void add(List<Map.Entry<String, String>> pairs, String name, String value) {
    if (value != null) {
      pairs.add(Map.entry(name, value));
    }
  }

  private record Head(int click, String campaign, String event, String txid, String status, String payout) {}

  private record Tail(String amount, String currency, String token, boolean macro, String customer, boolean sign,
      boolean alias, boolean again) {}

  /**
   * Sequences of up to ten postbacks, most of them about the first click (so that duplicates and
   * status changes come up), most with the right token, and every refusal the edge makes now and then.
   */
  @Provide
  Arbitrary<List<Step>> sequences() {
    Arbitrary<Integer> click = Arbitraries.frequency(Tuple.of(12, 0), Tuple.of(2, 1), Tuple.of(2, 2), Tuple.of(2, 3),
        Tuple.of(2, 4), Tuple.of(2, 5), Tuple.of(1, 6), Tuple.of(1, 7));
    Arbitrary<String> campaign = Arbitraries.frequency(Tuple.of(10, none()), Tuple.of(6, "c1"), Tuple.of(1, "short"),
        Tuple.of(1, "slow"), Tuple.of(1, "ip"), Tuple.of(1, "signed"), Tuple.of(1, "nope"), Tuple.of(1, "bad id!"))
        .map(PostbackDoctorPropertyTest::orNull);
    Arbitrary<Head> head = Combinators.combine(click, campaign,
        weighted(6, "sale", 2, none(), 1, "dep", 1, "lead"), weighted(6, "T1", 1, "T2", 2, none()),
        weighted(2, none(), 5, "pending", 3, "approved", 1, "rejected", 1, "chargeback", 1, "bogus"),
        weighted(5, none(), 2, "2.5", 1, "abc")).as(Head::new);
    Arbitrary<Tail> tail = Combinators.combine(weighted(3, none(), 1, "100", 1, "49.90"),
        weighted(6, none(), 1, "EUR", 1, "USD", 1, "GBP", 1, "ZZZ"), weighted(10, TOKEN, 1, "wrong", 1, none()),
        Arbitraries.integers().between(0, 29).map(i -> i == 0), weighted(8, none(), 1, "cust-1", 1, "cust-2"),
        Arbitraries.integers().between(0, 3).map(i -> i == 0), Arbitraries.of(true, false),
        Arbitraries.integers().between(0, 3).map(i -> i == 0)).as(Tail::new);
    Arbitrary<Step> step = Combinators.combine(head, tail).as((h, t) -> new Step(h.click(), h.campaign(), h.event(),
        h.txid(), h.status(), h.payout(), t.amount(), t.currency(), t.token(), t.macro(), t.customer(), t.sign(),
        t.alias(), t.again()));
    return step.list().ofMinSize(1).ofMaxSize(10);
  }

  /** jqwik's frequencies take no null: this stands for "parameter absent". */
  private static String none() {
    return "";
  }

  private static String orNull(String value) {
    return value.isEmpty() ? null : value;
  }

  private static Arbitrary<String> weighted(Object... weightThenValue) {
    List<Tuple.Tuple2<Integer, String>> choices = new ArrayList<>();
    for (int i = 0; i < weightThenValue.length; i += 2) {
      choices.add(Tuple.of((Integer) weightThenValue[i], (String) weightThenValue[i + 1]));
    }
    return Arbitraries.frequency(choices).map(PostbackDoctorPropertyTest::orNull);
  }
}
