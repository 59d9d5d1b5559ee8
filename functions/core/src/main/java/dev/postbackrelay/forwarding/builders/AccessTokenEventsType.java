package dev.postbackrelay.forwarding.builders;

import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.forwarding.DeliveryFailure;
import dev.postbackrelay.forwarding.DeliveryPlan;
import dev.postbackrelay.forwarding.DestinationType;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What the ad platforms' events APIs that take an access token share (Meta, TikTok): two required
 * settings, the platform's id for the event source and {@code access_token}, the token secret, and
 * a plan that skips with {@code missing_setting} / {@code invalid_setting} before the event is built.
 */
abstract class AccessTokenEventsType implements DestinationType {

  private final List<String> requiredSettings;

  AccessTokenEventsType(String sourceIdSetting) {
    this.requiredSettings = List.of(sourceIdSetting, "access_token");
  }

  @Override
  public final List<String> requiredSettings() {
    return requiredSettings;
  }

  @Override
  public final Set<String> secretSettings() {
    return Set.of("access_token");
  }

  @Override
  public final DeliveryPlan plan(Destination destination, Conversion conversion, Click click, String idempotencyKey,
      Instant now) {
    DeliveryFailure problem = BuilderSupport.settingsProblem(destination, requiredSettings);
    if (problem != null) {
      return new DeliveryPlan.Skip(problem);
    }
    return planEvent(destination, conversion, click, idempotencyKey, now);
  }

  /** The plan for a destination whose required settings are all present and usable in a header. */
  abstract DeliveryPlan planEvent(Destination destination, Conversion conversion, Click click, String idempotencyKey,
      Instant now);
}
