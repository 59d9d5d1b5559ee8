package dev.postbackrelay.forwarding.builders;

import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.forwarding.DeliveryPlan;
import dev.postbackrelay.forwarding.DeliveryFailure;
import dev.postbackrelay.forwarding.DestinationType;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code tiktok} destination type: one web event to the TikTok Events API.
 *
 * <p>{@code POST {endpoint}/event/track/}, endpoint {@link #DEFAULT_ENDPOINT} unless the
 * destination's {@code url} overrides it (version included), with the access token in the
 * {@code Access-Token} header. Body:
 * <pre>{@code
 * {"event_source":"web","event_source_id":"<pixel_code>",
 *  "data":[{"event":"CompletePayment","event_time":1735732800,"event_id":"<one per click, event and txid>",
 *    "user":{"ttclid":"..","ip":"..","user_agent":".."},
 *    "properties":{"value":50.00,"currency":"EUR"}}]}
 * }</pre>
 * {@code event}: the {@code event_name} setting, else our event mapped ({@code sale},
 * {@code purchase}, {@code deposit}, {@code conversion}: {@code CompletePayment};
 * {@code registration}, {@code signup}: {@code CompleteRegistration}), else our event name.
 * {@code event_time}: the conversion's creation, in seconds. {@code user} has only what the click
 * has (an event without {@code ttclid} is still sent). Value: the amount, or the payout without an
 * amount, with that money's currency; {@code properties} is left out when there is neither.
 * Optional setting {@code test_event_code}.
 *
 * <p>Skips: {@code missing_setting: pixel_code} / {@code access_token}.
 */
public final class TikTokEventsBuilder implements DestinationType {

  public static final String DEFAULT_ENDPOINT = "https://business-api.tiktok.com/open_api/v1.3";

  @Override
  public Destination.Type type() {
    return Destination.Type.TIKTOK;
  }

  @Override
  public List<String> requiredSettings() {
    return List.of("pixel_code", "access_token");
  }

  @Override
  public Set<String> secretSettings() {
    return Set.of("access_token");
  }

  @Override
  public DeliveryPlan plan(Destination destination, Conversion conversion, Click click, String idempotencyKey,
      Instant now) {
    DeliveryFailure problem = BuilderSupport.settingsProblem(destination, requiredSettings());
    if (problem != null) {
      return new DeliveryPlan.Skip(problem);
    }
    Json.Obj user = Json.object();
    if (click != null) {
      user.putIfPresent("ttclid", click.platformIds().get("ttclid"))
          .putIfPresent("ip", click.ip())
          .putIfPresent("user_agent", click.userAgent());
    }
    Json.Obj event = Json.object()
        .put("event", eventName(destination, conversion.event()))
        .put("event_time", conversion.createdAt().getEpochSecond())
        .put("event_id", BuilderSupport.conversionEventId(conversion))
        .put("user", user);
    BuilderSupport.Value value = BuilderSupport.value(conversion);
    if (value != null) {
      event.put("properties", Json.object().put("value", value.amount()).putIfPresent("currency", value.currency()));
    }
    Json.Obj body = Json.object()
        .put("event_source", "web")
        .put("event_source_id", BuilderSupport.setting(destination, "pixel_code"))
        .put("data", Json.array(event))
        .putIfPresent("test_event_code", BuilderSupport.setting(destination, "test_event_code"));

    Map<String, String> headers = Map.of("Access-Token", BuilderSupport.setting(destination, "access_token"));
    return BuilderSupport.postJson(destination, BuilderSupport.endpoint(destination, DEFAULT_ENDPOINT) + "/event/track/",
        body, headers, idempotencyKey, now);
  }

  static String eventName(Destination destination, String event) {
    String configured = BuilderSupport.setting(destination, "event_name");
    if (configured != null) {
      return configured;
    }
    return switch (event.toLowerCase(Locale.ROOT)) {
      case "sale", "purchase", "deposit", "conversion" -> "CompletePayment";
      case "registration", "signup" -> "CompleteRegistration";
      default -> event;
    };
  }
}
