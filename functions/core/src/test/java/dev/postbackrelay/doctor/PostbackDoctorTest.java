package dev.postbackrelay.doctor;

import static dev.postbackrelay.testing.CampaignBuilder.campaign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.attribution.Decision;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.forwarding.DeliveryPreview;
import dev.postbackrelay.postback.EdgeCheck;
import dev.postbackrelay.testing.CoreFixture;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the dry run tells an operator, case by case. */
class PostbackDoctorTest {

  private static final String PB = "https://" + CoreFixture.PARTNER_HOST + "/pb?c={click_id}&s={status}&p={payout}";

  private final CoreFixture core = new CoreFixture()
      .with(campaign("c1").token("tok-secret").fixedPayout("sale", "5").window(Duration.ofDays(7))
          .affiliate("a1", PB)
          .destination(new Destination("meta", Destination.Type.META_CAPI, null, "https://meta.example/v25.0",
              null, null, true, null, null, null, null, Map.of("pixel_id", "1234567890", "access_token", "EAAB-live")))
          .build());

  PostbackDoctorTest() {
    core.dns.put("meta.example", List.of("203.0.113.20"));
  }

  @Test
  void anAcceptedPostback_showsItsAliases_everyCheck_theBooking_andTheRequests_withSecretsMasked() {
    String click = core.click("c1", "a1");
    core.clock.advance(Duration.ofHours(1));

    DryRun run = core.doctor.examine(CoreFixture.get("clickid", click, "goal", "sale", "tid", "T1", "key", "tok-secret",
        "sub9", "x"));

    assertTrue(run.accepted());
    assertEquals(List.of("click_id<-clickid", "event<-goal", "txid<-tid", "token<-key"),
        run.fields().stream().map(f -> f.field() + "<-" + f.sentAs()).toList());
    assertEquals("********", run.fields().get(3).value(), "a credential's value is masked");
    assertEquals(List.of("sub9"), run.extra());
    assertEquals(List.of(EdgeCheck.values()), run.checks().stream().map(DryRun.CheckResult::check).toList());
    assertEquals(DryRun.Result.PASSED, check(run, EdgeCheck.TOKEN).result());
    assertEquals(DryRun.Result.NOT_APPLICABLE, check(run, EdgeCheck.SIGNATURE).result());
    assertEquals(Decision.Outcome.ATTRIBUTED, run.attribution().decision().outcome());
    assertEquals(Duration.ofHours(1), run.attribution().click().age());
    assertEquals(Duration.ofDays(7), run.attribution().click().window());
    assertEquals(new BigDecimal("5"), run.attribution().booked().payout());
    assertNull(run.attribution().existing());
    DeliveryPreview affiliate = delivery(run, "affiliate:a1");
    assertEquals("https://partner.example/pb?c=" + click + "&s=approved&p=5.00", affiliate.url());
    assertNull(affiliate.failure());
    DeliveryPreview meta = delivery(run, "meta");
    assertEquals("POST", meta.method());
    assertFalse(meta.url().contains("EAAB-live") || meta.body().contains("EAAB-live"), "the access token never shows");
    assertTrue(meta.url().endsWith("/1234567890/events"), meta.url());
    assertTrue(core.conversions.findByClick(click).isEmpty(), "nothing was booked");
    assertEquals(List.of(), core.sender.calls(), "nothing was sent");
  }

  @Test
  void aBadToken_failsAtTheTokenCheck_andTheLaterChecksAreNotReached() {
    String click = core.click("c1", "a1");

    DryRun run = core.doctor.examine(CoreFixture.get("click_id", click, "token", "guess"));

    assertEquals(Reason.BAD_TOKEN, run.refusal().reason());
    assertEquals(403, run.refusal().httpStatus());
    assertEquals(DryRun.Result.PASSED, check(run, EdgeCheck.CLICK_ID).result());
    assertEquals(DryRun.Result.FAILED, check(run, EdgeCheck.TOKEN).result());
    assertEquals(DryRun.Result.NOT_REACHED, check(run, EdgeCheck.FIELDS).result());
    assertNull(run.attribution());
  }

  @Test
  void aStatusChange_showsTheExistingConversion_andWhereItWouldMove() {
    String click = core.click("c1", "a1");
    core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T1", "status", "pending",
        "token", "tok-secret"));
    core.queue.drain();
    core.deliveryQueue.drain();

    DryRun run = core.doctor.examine(CoreFixture.get("click_id", click, "event", "sale", "txid", "T1",
        "status", "approved", "token", "tok-secret"));

    assertEquals(Decision.Outcome.STATUS_UPDATED, run.attribution().decision().outcome());
    assertEquals(ConversionStatus.PENDING, run.attribution().existing().status());
    assertEquals(ConversionStatus.APPROVED, run.attribution().booked().status());
    assertEquals(2, run.attribution().booked().history().size());
    assertEquals(ConversionStatus.PENDING, core.conversions.findByClick(click).get(0).status(), "still pending");
    assertEquals("approved", delivery(run, "affiliate:a1").status());
  }

  @Test
  void aClickPastTheWindow_isRejectedAsExpired_withItsAge() {
    String click = core.click("c1", "a1");
    core.clock.advance(Duration.ofDays(8));

    DryRun run = core.doctor.examine(CoreFixture.get("click_id", click, "token", "tok-secret"));

    assertTrue(run.accepted(), "the edge takes it; attribution refuses it");
    assertEquals(Reason.CLICK_EXPIRED, run.attribution().decision().reason());
    assertEquals(Duration.ofDays(8), run.attribution().click().age());
    assertNull(run.attribution().booked());
    assertEquals(List.of(), run.deliveries());
  }

  @Test
  void aPostbackTheEdgeCannotRead_isRefusedBeforeAnyCheck() {
    DryRun run = PostbackDoctor.unreadable(new RejectedException(Reason.UNSUPPORTED_MEDIA_TYPE));

    assertEquals(Reason.UNSUPPORTED_MEDIA_TYPE, run.refusal().reason());
    assertTrue(run.checks().stream().allMatch(c -> c.result() == DryRun.Result.NOT_REACHED));
  }

  private static DryRun.CheckResult check(DryRun run, EdgeCheck check) {
    return run.checks().stream().filter(c -> c.check() == check).findFirst().orElseThrow();
  }

  private static DeliveryPreview delivery(DryRun run, String destination) {
    return run.deliveries().stream().filter(d -> d.destinationId().equals(destination)).findFirst().orElseThrow();
  }
}
