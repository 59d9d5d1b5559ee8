package dev.postbackrelay.lambda.forwarding;

import static dev.postbackrelay.testing.CampaignBuilder.campaign;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.attribution.Delivery;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignRules;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.forwarding.DeliveryOutcome;
import dev.postbackrelay.forwarding.DeliveryService;
import dev.postbackrelay.forwarding.RetrySchedule;
import dev.postbackrelay.forwarding.builders.DestinationTypes;
import dev.postbackrelay.lambda.Partner;
import dev.postbackrelay.net.OutboundGuard;
import dev.postbackrelay.testing.CoreFixture;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A destination type is one unit: {@link JsonWebhookType}, one file, registered with one line, is
 * validated, built and delivered over real HTTP to a local server with nothing else changed.
 */
class NewDestinationTypeTest {

  /** The one registry line. */
  static final DestinationTypes TYPES = DestinationTypes.BUILT_IN.with(new JsonWebhookType());

  final OutboundGuard guard = new OutboundGuard(true); // the partner listens on loopback
  final Partner partner = partner();
  final CoreFixture core = new CoreFixture();

  @AfterEach
  void stop() {
    partner.close();
  }

  @Test
  void aRegisteredFifthType_isValidatedBuiltAndDelivered() {
    Campaign campaign = withWebhook(Map.of("api_key", "k-123"));
    assertDoesNotThrow(() -> CampaignRules.validate(campaign, guard, TYPES));
    core.with(campaign);
    String click = core.click("hooked", "a1");
    core.clock.advance(Duration.ofMinutes(1));
    List<Delivery> queued = core.attribute(core.postback("click_id", click, "event", "sale")).queued();
    Delivery toWebhook = queued.stream().filter(d -> d.destinationId().equals("hook")).findFirst().orElseThrow();
    DeliveryService service = new DeliveryService(core.conversions, core.clicks, core.campaigns, TYPES::get,
        new PinnedPostbackSender(Duration.ofSeconds(2), Duration.ofSeconds(5)), guard, RetrySchedule.DEFAULT,
        core.clock);

    assertEquals(new DeliveryOutcome.Delivered(), service.deliver(toWebhook));

    Partner.Received received = partner.received().get(0);
    assertEquals("POST", received.method());
    assertEquals("Bearer k-123", received.headers().get("authorization"));
    assertEquals(toWebhook.idempotencyKey(), received.idempotencyKey());
    assertEquals("{\"click_id\":\"" + click + "\",\"event\":\"sale\",\"status\":\"approved\",\"payout\":0}",
        received.body());
  }

  @Test
  void itsSettingsAreChecked_andWithoutItsRegistryLineItIsNoType() {
    RejectedException missing = assertThrows(RejectedException.class,
        () -> CampaignRules.validate(withWebhook(Map.of()), guard, TYPES));
    assertTrue(missing.getMessage().contains("destinations[hook].settings.api_key is required"), missing.getMessage());
    RejectedException unknown = assertThrows(RejectedException.class,
        () -> CampaignRules.validate(withWebhook(Map.of("api_key", "k")), guard, DestinationTypes.BUILT_IN));
    assertTrue(unknown.getMessage().contains("destinations[hook].type must be postback, meta_capi, google_ads or tiktok"),
        unknown.getMessage());
    assertTrue(TYPES.secretSettings().contains("api_key"), "its secret is masked in views");
  }

  private Campaign withWebhook(Map<String, String> settings) {
    return campaign("hooked").affiliate("a1", (String) null)
        .destination(new Destination("hook", JsonWebhookType.TYPE, null, partner.url("/hook"), "POST", null, true,
            null, null, null, null, settings))
        .build();
  }

  private static Partner partner() {
    try {
      return new Partner();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
