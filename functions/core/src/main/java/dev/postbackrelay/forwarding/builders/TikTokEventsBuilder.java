package dev.postbackrelay.forwarding.builders;

import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.forwarding.DeliveryPlan;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

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
public final class TikTokEventsBuilder extends AccessTokenEventsType {

  public static final String DEFAULT_ENDPOINT = "https://business-api.tiktok.com/open_api/v1.3";

  public TikTokEventsBuilder() {
    super("pixel_code");
  }

  @Override
  public Destination.Type type() {
    return Destination.Type.TIKTOK;
  }

  @Override
  DeliveryPlan planEvent(Destination destination, Conversion conversion, Click click, String idempotencyKey,
      Instant now) {
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
        .put("user", user)
        .putIfPresent("properties", BuilderSupport.valueObject(conversion));
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
