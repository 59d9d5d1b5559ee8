package dev.postbackrelay.forwarding.builders;

import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.forwarding.DeliveryPlan;
import dev.postbackrelay.forwarding.DeliveryError;
import dev.postbackrelay.net.UrlTemplate;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code meta_capi} destination type: one event to the Meta Conversions API.
 *
 * <p>{@code POST {endpoint}/{pixel_id}/events}, endpoint {@link #DEFAULT_ENDPOINT} unless the
 * destination's {@code url} overrides it (version included). The access token travels only in
 * {@code Authorization: Bearer}, never in the URL, so it cannot end up in a logged URL. Body:
 * <pre>{@code
 * {"data":[{"event_name":"Purchase","event_time":1735732800,"action_source":"website",
 *   "event_id":"<one per click, event and txid>",
 *   "user_data":{"fbc":"fb.1.<click time, epoch ms>.<fbclid>","client_ip_address":"..","client_user_agent":".."},
 *   "custom_data":{"value":50.00,"currency":"EUR"}}]}
 * }</pre>
 * {@code event_name}: the {@code event_name} setting, else our event mapped ({@code sale},
 * {@code purchase}, {@code deposit}, {@code conversion}: {@code Purchase}; {@code registration},
 * {@code signup}: {@code CompleteRegistration}; {@code lead}: {@code Lead}), else our event name
 * as a custom event. {@code event_time}: the conversion's creation, in seconds. {@code value}: the
 * amount, or the payout when there is no amount, with that money's currency; {@code custom_data}
 * is left out when there is neither. {@code user_data} has only what the click has. Optional
 * settings: {@code action_source} (default {@code website}), {@code test_event_code}.
 *
 * <p>Skips: {@code missing_setting: pixel_id} / {@code access_token};
 * {@code event_too_old: ...} when the conversion is {@link #MAX_AGE} old or older at
 * {@code now} (Meta rejects the whole request for an event older than 7 days, and a request
 * built on the boundary would be older still when it arrives); {@code no_user_data: ...} when
 * the click gives no fbc, IP or user agent (Meta refuses such an event, so retrying is futile).
 */
public final class MetaConversionsApiBuilder extends AccessTokenEventsType {

  public static final String DEFAULT_ENDPOINT = "https://graph.facebook.com/v25.0";
  public static final Duration MAX_AGE = Duration.ofDays(7);

  public MetaConversionsApiBuilder() {
    super("pixel_id");
  }

  @Override
  public Destination.Type type() {
    return Destination.Type.META_CAPI;
  }

  @Override
  DeliveryPlan planEvent(Destination destination, Conversion conversion, Click click, String idempotencyKey,
      Instant now) {
    if (!conversion.createdAt().isAfter(now.minus(MAX_AGE))) {
      return new DeliveryPlan.Skip(DeliveryError.EVENT_TOO_OLD.with("Meta refuses events older than 7 days"));
    }
    Json.Obj userData = Json.object();
    if (click != null) {
      String fbclid = click.platformIds().get("fbclid");
      if (fbclid != null && !fbclid.isEmpty()) {
        userData.put("fbc", "fb.1." + click.createdAt().toEpochMilli() + "." + fbclid);
      }
      userData.putIfPresent("client_ip_address", click.ip());
      userData.putIfPresent("client_user_agent", click.userAgent());
    }
    if (userData.isEmpty()) {
      return new DeliveryPlan.Skip(
          DeliveryError.NO_USER_DATA.with("the click has no fbclid, IP or user agent for Meta to match"));
    }
    String actionSource = BuilderSupport.setting(destination, "action_source");
    Json.Obj event = Json.object()
        .put("event_name", eventName(destination, conversion.event()))
        .put("event_time", conversion.createdAt().getEpochSecond())
        .put("action_source", actionSource == null ? "website" : actionSource)
        .put("event_id", BuilderSupport.conversionEventId(conversion))
        .put("user_data", userData)
        .putIfPresent("custom_data", BuilderSupport.valueObject(conversion));
    Json.Obj body = Json.object().put("data", Json.array(event))
        .putIfPresent("test_event_code", BuilderSupport.setting(destination, "test_event_code"));

    String url = BuilderSupport.endpoint(destination, DEFAULT_ENDPOINT) + "/"
        + UrlTemplate.encode(BuilderSupport.setting(destination, "pixel_id")) + "/events";
    Map<String, String> headers = Map.of("Authorization",
        "Bearer " + BuilderSupport.setting(destination, "access_token"));
    return BuilderSupport.postJson(destination, url, body, headers, idempotencyKey, now);
  }

  static String eventName(Destination destination, String event) {
    String configured = BuilderSupport.setting(destination, "event_name");
    if (configured != null) {
      return configured;
    }
    return switch (event.toLowerCase(Locale.ROOT)) {
      case "sale", "purchase", "deposit", "conversion" -> "Purchase";
      case "registration", "signup" -> "CompleteRegistration";
      case "lead" -> "Lead";
      default -> event;
    };
  }
}
