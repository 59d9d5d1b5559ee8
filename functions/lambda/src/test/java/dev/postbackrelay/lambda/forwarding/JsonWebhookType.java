package dev.postbackrelay.lambda.forwarding;

import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.forwarding.DeliveryError;
import dev.postbackrelay.forwarding.DeliveryPlan;
import dev.postbackrelay.forwarding.DestinationType;
import dev.postbackrelay.forwarding.builders.BuilderSupport;
import dev.postbackrelay.forwarding.builders.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fifth destination type, written the way a new one is added: this one file (and its line in
 * the registry). A generic JSON webhook: {@code POST <url>} with {@code Authorization: Bearer
 * <api_key>} and {@code {"click_id", "event", "status", "payout"}}, with the headers every destination
 * gets ({@link BuilderSupport#postJson}).
 */
final class JsonWebhookType implements DestinationType {

  static final Destination.Type TYPE = new Destination.Type("json_webhook");

  @Override
  public Destination.Type type() {
    return TYPE;
  }

  @Override
  public boolean urlRequired() {
    return true;
  }

  @Override
  public List<String> requiredSettings() {
    return List.of("api_key");
  }

  @Override
  public Set<String> secretSettings() {
    return Set.of("api_key");
  }

  @Override
  public DeliveryPlan plan(Destination destination, Conversion conversion, Click click, String idempotencyKey,
      Instant now) {
    String key = BuilderSupport.setting(destination, "api_key");
    if (key == null) {
      return new DeliveryPlan.Skip(DeliveryError.MISSING_SETTING.with("api_key"));
    }
    Json.Obj body = Json.object()
        .put("click_id", conversion.clickId())
        .put("event", conversion.event())
        .put("status", conversion.status().code())
        .putIfPresent("payout", conversion.payout());
    return BuilderSupport.postJson(destination, destination.url().strip(), body, Map.of("Authorization", "Bearer " + key),
        idempotencyKey, now);
  }
}
