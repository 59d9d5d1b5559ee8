package dev.postbackrelay.forwarding.builders;

import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.forwarding.DeliveryPlan;
import dev.postbackrelay.forwarding.AccessTokens;
import dev.postbackrelay.forwarding.DeliveryError;
import dev.postbackrelay.forwarding.DeliveryFailure;
import dev.postbackrelay.forwarding.DestinationType;
import dev.postbackrelay.forwarding.PostbackSender;
import dev.postbackrelay.net.UrlTemplate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The {@code google_ads} destination type: one click conversion to the Google Ads API's
 * {@code uploadClickConversions}.
 *
 * <p>{@code POST {endpoint}/customers/{customer_id}:uploadClickConversions}, endpoint
 * {@link #DEFAULT_ENDPOINT} unless the destination's {@code url} overrides it (version included).
 * Headers {@code Authorization: Bearer <access_token>}, {@code developer-token} and, when set,
 * {@code login-customer-id}. Customer ids may be configured with dashes ({@code 123-456-7890});
 * they are sent without. Body:
 * <pre>{@code
 * {"conversions":[{"gclid":"..","conversionAction":"customers/1234567890/conversionActions/987654321",
 *   "conversionDateTime":"2025-01-01 12:00:00+00:00","conversionValue":50.00,"currencyCode":"EUR",
 *   "orderId":"INV-2025/0042"}],"partialFailure":true}
 * }</pre>
 * The click id is the click's {@code gclid}, else {@code gbraid}, else {@code wbraid} (the first
 * present, under its own name). {@code conversion_action} is an id, or a full resource name
 * ({@code customers/../conversionActions/..}) used as it is. The date-time is the conversion's
 * creation in UTC. Value: the amount, or the payout without an amount, with that money's currency;
 * both left out when there is neither. {@code orderId}: the txid, left out when empty.
 *
 * <p>With {@code partialFailure} Google answers 200 even when this conversion is refused; the
 * refusal is in the response's {@code partialFailureError}, which {@link #readResponse} reads. A
 * destination configured with a refresh token gets its access token from {@link #withCredentials}.
 *
 * <p>Skips: {@code missing_setting: customer_id} / {@code conversion_action} /
 * {@code developer_token} / {@code access_token}; {@code no_google_click_id}.
 */
public final class GoogleAdsConversionsBuilder implements DestinationType {

  public static final String DEFAULT_ENDPOINT = "https://googleads.googleapis.com/v26";

  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final List<String> CLICK_IDS = List.of("gclid", "gbraid", "wbraid");
  private static final List<String> REQUIRED = List.of("customer_id", "conversion_action", "developer_token");
  /** What a request needs: the required settings and an access token (configured or refreshed). */
  private static final List<String> SENT_SETTINGS = Stream.concat(REQUIRED.stream(), Stream.of("access_token")).toList();
  private static final List<String> REFRESH = List.of("client_id", "client_secret", "refresh_token");

  @Override
  public Destination.Type type() {
    return Destination.Type.GOOGLE_ADS;
  }

  @Override
  public List<String> requiredSettings() {
    return REQUIRED;
  }

  @Override
  public Set<String> secretSettings() {
    return Set.of("access_token", "developer_token", "client_secret", "refresh_token");
  }

  /** An access token, or what refreshes one: access tokens expire within the hour. */
  @Override
  public String settingsProblem(Map<String, String> settings) {
    boolean refreshable = REFRESH.stream().allMatch(k -> settings.get(k) != null && !settings.get(k).isBlank());
    return refreshable || settings.get("access_token") != null ? null
        : "settings needs client_id, client_secret and refresh_token (recommended: access tokens expire"
            + " within the hour), or an access_token.";
  }

  /**
   * Configured with a refresh token rather than an access token: the access token from
   * {@code tokens} (the OAuth refresh-token grant against {@code token_url}).
   */
  @Override
  public Destination withCredentials(Destination d, AccessTokens tokens) {
    if (d.settings().containsKey("access_token") || !d.settings().containsKey("refresh_token")) {
      return d;
    }
    Map<String, String> settings = new LinkedHashMap<>(d.settings());
    settings.put("access_token", tokens.accessToken(d));
    return d.withSettings(settings);
  }

  /**
   * Partial-failure mode answers 200 and reports the refused conversion in the body's
   * {@code partialFailureError}: {@code google_partial_failure: <its first 200 characters>}, retried.
   */
  @Override
  public Optional<DeliveryFailure> readResponse(PostbackSender.Response response) {
    if (response.error() == null && response.body() != null && response.body().contains("\"partialFailureError\"")) {
      String detail = response.body().replaceAll("\\s+", " ");
      return Optional.of(DeliveryError.GOOGLE_PARTIAL_FAILURE.with(detail.substring(0, Math.min(200, detail.length()))));
    }
    return DestinationType.transportFailure(response);
  }

  @Override
  public DeliveryPlan plan(Destination destination, Conversion conversion, Click click, String idempotencyKey,
      Instant now) {
    DeliveryFailure problem = BuilderSupport.settingsProblem(destination, SENT_SETTINGS);
    if (problem != null) {
      return new DeliveryPlan.Skip(problem);
    }
    String login = BuilderSupport.setting(destination, "login_customer_id");
    if (login != null && !BuilderSupport.headerSafe(login)) {
      return new DeliveryPlan.Skip(DeliveryError.INVALID_SETTING.with("login_customer_id"));
    }
    String clickIdName = null;
    String clickId = null;
    for (String name : CLICK_IDS) {
      String id = click == null ? null : click.platformIds().get(name);
      if (id != null && !id.isBlank()) {
        clickIdName = name;
        clickId = id;
        break;
      }
    }
    if (clickId == null) {
      return new DeliveryPlan.Skip(DeliveryError.NO_GOOGLE_CLICK_ID.failure());
    }

    String customerId = customerId(BuilderSupport.setting(destination, "customer_id"));
    String action = BuilderSupport.setting(destination, "conversion_action");
    String actionName = action.startsWith("customers/") ? action
        : "customers/" + customerId + "/conversionActions/" + action;
    Json.Obj row = Json.object()
        .put(clickIdName, clickId)
        .put("conversionAction", actionName)
        .put("conversionDateTime", DATE_TIME.format(conversion.createdAt()) + "+00:00");
    BuilderSupport.Value value = BuilderSupport.value(conversion);
    if (value != null) {
      row.put("conversionValue", value.amount()).putIfPresent("currencyCode", value.currency());
    }
    row.putIfPresent("orderId", conversion.txid());
    Json.Obj body = Json.object().put("conversions", Json.array(row)).put("partialFailure", true);

    String url = BuilderSupport.endpoint(destination, DEFAULT_ENDPOINT) + "/customers/"
        + UrlTemplate.encode(customerId) + ":uploadClickConversions";
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "Bearer " + BuilderSupport.setting(destination, "access_token"));
    headers.put("developer-token", BuilderSupport.setting(destination, "developer_token"));
    if (login != null) {
      headers.put("login-customer-id", customerId(login));
    }
    return BuilderSupport.postJson(destination, url, body, headers, idempotencyKey, now);
  }

  private static String customerId(String configured) {
    return configured.replace("-", "").replace(" ", "");
  }
}
