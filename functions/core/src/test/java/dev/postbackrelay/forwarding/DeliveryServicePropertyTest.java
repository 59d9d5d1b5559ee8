package dev.postbackrelay.forwarding;

import static dev.postbackrelay.testing.CampaignBuilder.campaign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.attribution.Delivery;
import dev.postbackrelay.attribution.DeliveryAttempt;
import dev.postbackrelay.forwarding.PostbackSender.Response;
import dev.postbackrelay.testing.CoreFixture;
import dev.postbackrelay.testing.ScriptedPostbackSender.Call;
import dev.postbackrelay.testing.ScriptedPostbackSender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Whatever a partner answers, and however often and whenever a delivery's message comes back
 * (SQS delays, re-sent messages, a runner restarting), the partner is called at most once
 * successfully, never more often than the schedule allows, never before a retry is due, always
 * with the same {@code Idempotency-Key}, and every call is in the delivery log.
 */
class DeliveryServicePropertyTest {

  private static final RetrySchedule SCHEDULE = CoreFixture.RETRIES;

  @Property(tries = 300)
  void aDelivery_isCalledAtMostOnceSuccessfully_onTheSchedule_withOneKey(
      @ForAll("answers") List<Response> answers, @ForAll("gaps") List<Duration> gaps) {
    CoreFixture core = new CoreFixture()
        .with(campaign("c1").affiliate("a1", "https://partner.example/pb?c={click_id}&s={status}").build());
    String click = core.click("c1", "a1");
    core.clock.advance(Duration.ofMinutes(1));
    Delivery d = core.attribute(core.postback("click_id", click, "event", "sale")).queued().get(0);
    core.sender.thenRespond(answers.toArray(Response[]::new)).byDefault(ScriptedPostbackSender.status(503));

    List<DeliveryOutcome> outcomes = new ArrayList<>();
    for (Duration gap : gaps) {
      core.clock.advance(gap);
      outcomes.add(core.delivery.deliver(d));
    }

    List<Call> calls = core.sender.calls();
    List<DeliveryAttempt> log = core.conversions.find(d.clickId(), d.conversionKey()).orElseThrow().deliveries();
    assertEquals(calls.size(), log.size(), "every call is logged, and nothing else is");
    assertTrue(calls.size() <= SCHEDULE.maxAttempts(), "at most " + SCHEDULE.maxAttempts() + " calls: " + calls.size());
    assertTrue(calls.stream().allMatch(c -> d.idempotencyKey().equals(c.idempotencyKey())), "one key on every call");
    long successes = log.stream().filter(DeliveryAttempt::ok).count();
    assertTrue(successes <= 1, "delivered at most once");
    if (successes == 1) {
      assertTrue(log.get(log.size() - 1).ok(), "no call after the delivery succeeded");
    }
    for (int i = 1; i < log.size(); i++) {
      Duration waited = Duration.between(log.get(i - 1).at(), log.get(i).at());
      Duration due = SCHEDULE.delayAfter(i).orElseThrow();
      assertTrue(waited.compareTo(due) >= 0, "attempt " + (i + 1) + " came after " + waited + ", before " + due);
    }
    for (int i = 1; i < outcomes.size(); i++) {
      DeliveryOutcome before = outcomes.get(i - 1);
      if (before instanceof DeliveryOutcome.Delivered || before instanceof DeliveryOutcome.Dead) {
        assertEquals(before, outcomes.get(i), "delivered and dead are final");
      }
    }
    DeliveryOutcome last = outcomes.get(outcomes.size() - 1);
    if (successes == 1) {
      assertInstanceOf(DeliveryOutcome.Delivered.class, last);
    } else if (calls.size() == SCHEDULE.maxAttempts()) {
      assertInstanceOf(DeliveryOutcome.Dead.class, last);
    } else {
      assertInstanceOf(DeliveryOutcome.RetryAfter.class, last);
    }
  }

  @Provide
  Arbitrary<List<Response>> answers() {
    return Arbitraries.of(ScriptedPostbackSender.ok(), ScriptedPostbackSender.status(204),
            ScriptedPostbackSender.status(500), ScriptedPostbackSender.status(404),
            ScriptedPostbackSender.status(429), ScriptedPostbackSender.redirect(302, "http://10.0.0.1/"),
            ScriptedPostbackSender.timeout(), ScriptedPostbackSender.failure("connect_refused", 2))
        .list().ofMaxSize(6);
  }

  /** Times between runs: often exactly a schedule step, or just short of one, or nothing at all. */
  @Provide
  Arbitrary<List<Duration>> gaps() {
    Arbitrary<Duration> special = Arbitraries.of(Duration.ZERO, Duration.ofSeconds(59), Duration.ofMinutes(1),
        Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofMinutes(29).plusSeconds(59));
    Arbitrary<Duration> any = Arbitraries.longs().between(0, 3 * 3600).map(Duration::ofSeconds);
    return Arbitraries.frequencyOf(Tuple.of(3, special), Tuple.of(1, any)).list().ofMinSize(1).ofMaxSize(25);
  }
}
