package dev.postbackrelay.forwarding.builders;

import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.forwarding.DeliveryPlan;
import dev.postbackrelay.forwarding.DeliveryError;
import dev.postbackrelay.forwarding.DestinationType;
import dev.postbackrelay.net.UrlTemplate;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The {@code postback} destination type: an affiliate's or traffic source's URL template, filled with
 * the conversion's values.
 *
 * <p>Macros ({@link UrlTemplate#POSTBACK_MACROS}) take the values of {@link #macroValues}. With
 * {@code urlEncode} they are filled by {@link UrlTemplate} (RFC 3986, a space as {@code %20});
 * without it they go in as raw as is safe: a value can never change the request's shape, so every
 * character that could end or add a query parameter, path segment or authority part is still
 * percent-encoded ({@code & = ? # / ; + @ :} and {@code [ ] \}), as is what can never travel raw in
 * a URL (controls, so no CR/LF, white space, {@code "<>^`{|}}, non-ASCII, and a {@code %} that does
 * not start an escape); a value that is only {@code .} or {@code ..} has its dots encoded. An
 * already-encoded value ({@code already%20encoded}) passes unchanged, and so do {@code , ! $ ' ( ) * ~}.
 * The template's own text is escaped only for what can never travel raw, so a partner's placeholder
 * that is not one of our macros ({@code {aff_sub}}) is sent as {@code %7Baff_sub%7D}.
 *
 * <p>In both modes the filled URL keeps the template's scheme, user info, host and port exactly
 * ({@link UrlTemplate#fillSameOrigin}); a template with a macro there (stored before the operator's
 * checks refused one) is skipped with {@code invalid_url}.
 *
 * <p>The request, by {@code method} and {@code format}:
 * <ul>
 *   <li>GET: the filled URL.
 *   <li>POST, FORM: the filled URL's query string becomes the
 *       {@code application/x-www-form-urlencoded} body, byte for byte; the URL is sent without it.
 *       The partner's parameter names in the template are thus kept.
 *   <li>POST, JSON: the filled URL as it is (its query kept, for a partner's static key), and an
 *       {@code application/json} body of strings, in this order: {@code click_id},
 *       {@code campaign_id}, {@code affiliate_id}, {@code event}, {@code status}, {@code amount},
 *       {@code payout}, {@code currency}, {@code txid}, {@code external_id}, {@code sub1} ..
 *       {@code sub10}; a field without a value (null or empty) is left out.
 * </ul>
 *
 * <p>A filled template that is not an absolute http(s) URL with a host is skipped with
 * {@code invalid_url: <problem>}; a method other than GET or POST with {@code unsupported_method}.
 * The URL is normalised as {@link BuilderSupport#httpUrl} says, and that exact string is what is
 * signed. Whether the host may be called (SSRF) is not decided here but by the sender.
 */
public final class PostbackRequestBuilder implements DestinationType {

  private static final List<String> JSON_FIELDS = Stream.concat(
      Stream.of("click_id", "campaign_id", "affiliate_id", "event", "status", "amount", "payout", "currency", "txid",
          "external_id"),
      IntStream.rangeClosed(1, 10).mapToObj(i -> "sub" + i)).toList();

  @Override
  public Destination.Type type() {
    return Destination.Type.POSTBACK;
  }

  /** The URL template is the target: required, and checked as written. */
  @Override
  public boolean urlRequired() {
    return true;
  }

  /** The macros read the click's ids and sub ids only, which the conversion remembers. */
  @Override
  public boolean readsTheClick() {
    return false;
  }

  @Override
  public DeliveryPlan plan(Destination destination, Conversion conversion, Click click, String idempotencyKey,
      Instant now) {
    String template = destination.url();
    if (template == null || template.isBlank()) {
      return new DeliveryPlan.Skip(DeliveryError.INVALID_URL.with("no URL template"));
    }
    String method = destination.method().strip().toUpperCase(Locale.ROOT);
    if (!method.equals("GET") && !method.equals("POST")) {
      return new DeliveryPlan.Skip(DeliveryError.UNSUPPORTED_METHOD.failure());
    }
    Map<String, String> values = macroValues(conversion, click);
    String filled;
    try {
      filled = UrlTemplate.fillSameOrigin(template.strip(), values, UrlTemplate.POSTBACK_MACROS,
          destination.urlEncode() ? UrlTemplate::encode : PostbackRequestBuilder::rawButShapeSafe);
    } catch (UrlTemplate.OriginChangedException e) {
      return BuilderSupport.invalidUrl(e);
    }
    URI url;
    try {
      url = BuilderSupport.httpUrl(BuilderSupport.escapeUnsafe(filled, ""));
    } catch (BuilderSupport.InvalidUrlException e) {
      return BuilderSupport.invalidUrl(e);
    }
    if (method.equals("GET")) {
      return send(destination, "GET", url, null, new byte[0], idempotencyKey, now);
    }
    if (destination.format() == Destination.BodyFormat.FORM) {
      String query = url.getRawQuery() == null ? "" : url.getRawQuery();
      URI withoutQuery = URI.create(url.getScheme() + "://" + url.getRawAuthority() + url.getRawPath());
      return send(destination, "POST", withoutQuery, BuilderSupport.FORM, query.getBytes(StandardCharsets.US_ASCII),
          idempotencyKey, now);
    }
    Json.Obj body = Json.object();
    for (String field : JSON_FIELDS) {
      body.putIfPresent(field, values.get(field));
    }
    return send(destination, "POST", url, BuilderSupport.JSON, body.toUtf8(), idempotencyKey, now);
  }

  /**
   * The macros' values, unencoded: {@code click_id}, {@code event}, {@code status} (our code, e.g.
   * {@code approved}), {@code txid}, {@code campaign_id}, {@code affiliate_id}, {@code payout} and
   * {@code amount} (plain decimals with at least two decimals: {@code 12.50}), {@code currency}
   * (the conversion's, i.e. the amount's), {@code external_id} (the conversion's
   * {@code customer_id}, else empty) and the click's {@code sub1}..{@code sub10}. A value the
   * conversion doesn't have is absent, which fills as the empty string.
   */
  public static Map<String, String> macroValues(Conversion conversion, Click click) {
    Map<String, String> values = new HashMap<>();
    if (click != null) {
      for (int i = 1; i <= 10; i++) {
        String sub = click.subs().get("sub" + i);
        if (sub != null) {
          values.put("sub" + i, sub);
        }
      }
    }
    putIfNotNull(values, "click_id", conversion.clickId());
    putIfNotNull(values, "event", conversion.event());
    putIfNotNull(values, "status", conversion.status() == null ? null : conversion.status().code());
    putIfNotNull(values, "txid", conversion.txid());
    putIfNotNull(values, "campaign_id", conversion.campaignId());
    putIfNotNull(values, "affiliate_id", conversion.affiliateId());
    putIfNotNull(values, "amount",
        conversion.amount() == null ? null : BuilderSupport.money(conversion.amount()).toPlainString());
    putIfNotNull(values, "payout",
        conversion.payout() == null ? null : BuilderSupport.money(conversion.payout()).toPlainString());
    putIfNotNull(values, "currency", conversion.currency());
    putIfNotNull(values, "payout_currency", conversion.payoutCurrency());
    values.put("external_id", conversion.extra().getOrDefault("customer_id", ""));
    return values;
  }

  private static void putIfNotNull(Map<String, String> values, String name, String value) {
    if (value != null) {
      values.put(name, value);
    }
  }

  /** Characters a raw value may never carry as they are: each could change the request's shape. */
  static final String SHAPE_CHARACTERS = "&=?#/;+@:[]\\";

  /** A value for {@code url_encode: false}: as raw as possible, never able to change the URL's shape. */
  static String rawButShapeSafe(String value) {
    return UrlTemplate.dotSegment(value) ? value.replace(".", "%2E") : BuilderSupport.escapeUnsafe(value, SHAPE_CHARACTERS);
  }

  private static DeliveryPlan send(Destination destination, String method, URI url, String contentType, byte[] body,
      String idempotencyKey, Instant now) {
    return new DeliveryPlan.Send(
        BuilderSupport.request(destination, method, url, contentType, body, Map.of(), idempotencyKey, now));
  }
}
