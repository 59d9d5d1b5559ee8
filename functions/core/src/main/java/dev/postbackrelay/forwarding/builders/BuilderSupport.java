package dev.postbackrelay.forwarding.builders;

import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.forwarding.DeliveryError;
import dev.postbackrelay.forwarding.DeliveryFailure;
import dev.postbackrelay.forwarding.DeliveryPlan;
import dev.postbackrelay.forwarding.OutboundRequest;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * What every builder shares: headers, signing, URL checks, money and settings. {@link #setting}
 * and {@link #postJson} are public for a destination type written outside this package.
 */
public final class BuilderSupport {

  static final String USER_AGENT = "postback-relay/1";
  static final String JSON = "application/json";
  static final String FORM = "application/x-www-form-urlencoded";

  /** ASCII characters a URL may carry unescaped: RFC 3986 unreserved and reserved ({@code %} aside). */
  private static final boolean[] URL_SAFE = new boolean[128];
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  static {
    String safe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=";
    for (char c : safe.toCharArray()) {
      URL_SAFE[c] = true;
    }
  }

  private BuilderSupport() {}

  /** The skip for a URL a builder cannot send to: {@code invalid_url: <problem>}. */
  static DeliveryPlan.Skip invalidUrl(IllegalArgumentException e) {
    return new DeliveryPlan.Skip(DeliveryError.INVALID_URL.with(e.getMessage()));
  }

  /** A URL a builder cannot send to; its message becomes the {@code invalid_url} reason. */
  static final class InvalidUrlException extends IllegalArgumentException {
    InvalidUrlException(String message) {
      super(message);
    }
  }

  /** The value and currency reported to ad platforms: the sale amount, or the payout when there is none. */
  record Value(BigDecimal amount, String currency) {}

  static Value value(Conversion c) {
    if (c.amount() != null) {
      return new Value(money(c.amount()), c.currency());
    }
    if (c.payout() != null) {
      return new Value(money(c.payout()), c.payoutCurrency() != null ? c.payoutCurrency() : c.currency());
    }
    return null;
  }

  /**
   * The value as the ad platforms' event object, {@code {"value":50.00,"currency":"EUR"}} (no
   * currency when the money has none); null when there is neither amount nor payout.
   */
  static Json.Obj valueObject(Conversion c) {
    Value value = value(c);
    return value == null ? null : Json.object().put("value", value.amount()).putIfPresent("currency", value.currency());
  }

  /** {@code value} with at least two decimals and no superfluous trailing zeros: 2.5 -> 2.50, 0.125 -> 0.125. */
  static BigDecimal money(BigDecimal value) {
    BigDecimal v = value.stripTrailingZeros();
    return v.scale() < 2 ? v.setScale(2) : v;
  }

  /** The setting, trimmed; null when absent or blank. */
  public static String setting(Destination d, String name) {
    String v = d.settings().get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  /**
   * Why a builder must skip when a required setting is absent ({@code missing_setting: x}) or
   * unusable in a header ({@code invalid_setting: x}); null when all are fine.
   */
  static DeliveryFailure settingsProblem(Destination d, List<String> required) {
    for (String name : required) {
      String v = setting(d, name);
      if (v == null) {
        return DeliveryError.MISSING_SETTING.with(name);
      }
      if (!headerSafe(v)) {
        return DeliveryError.INVALID_SETTING.with(name);
      }
    }
    return null;
  }

  static boolean headerSafe(String value) {
    return value.chars().noneMatch(c -> c < 0x20 || c == 0x7F);
  }

  /** The destination's endpoint override, else {@code defaultBase}; without a trailing slash. */
  static String endpoint(Destination d, String defaultBase) {
    String base = d.url() == null || d.url().isBlank() ? defaultBase : d.url().strip();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base;
  }

  /**
   * Checks that {@code url} is an absolute http(s) URL with a host and no credentials, and returns
   * it as it will be sent and signed: scheme and authority lower-cased, an empty path as
   * {@code /}, an empty query and any fragment dropped (none of which reach the wire).
   *
   * @throws InvalidUrlException otherwise; the message names the problem, never the URL itself
   *     (it can hold a partner's key)
   */
  static URI httpUrl(String url) {
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      throw new InvalidUrlException(e.getReason() + " at index " + e.getIndex());
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new InvalidUrlException("not an absolute http(s) URL");
    }
    if (u.isOpaque() || u.getHost() == null) {
      throw new InvalidUrlException("no valid host");
    }
    if (u.getRawUserInfo() != null) {
      throw new InvalidUrlException("credentials in the URL are not supported");
    }
    String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    String query = u.getRawQuery() == null || u.getRawQuery().isEmpty() ? "" : "?" + u.getRawQuery();
    return URI.create(scheme + "://" + u.getRawAuthority().toLowerCase(Locale.ROOT) + path + query);
  }

  /**
   * Percent-encodes (UTF-8, upper-case hex) every character a URL cannot carry as it is: controls,
   * space, {@code "<>\^`{|}}, DEL, non-ASCII, a {@code %} not starting an escape, and the ASCII
   * characters in {@code alsoEscape}. Everything else, existing escapes included, is kept.
   */
  static String escapeUnsafe(String s, String alsoEscape) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int next = i + Character.charCount(cp);
      if (cp == '%' && isEscape(s, i)) {
        out.append('%');
      } else if (cp < 128 && URL_SAFE[cp] && alsoEscape.indexOf(cp) < 0) {
        out.append((char) cp);
      } else {
        int unit = cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE ? 0xFFFD : cp; // unpaired
        for (byte b : new String(Character.toChars(unit)).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
      }
      i = next;
    }
    return out.toString();
  }

  private static boolean isEscape(String s, int percent) {
    return percent + 2 < s.length() && isHex(s.charAt(percent + 1)) && isHex(s.charAt(percent + 2));
  }

  private static boolean isHex(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }

  /**
   * The request with the headers every destination gets: {@code Idempotency-Key},
   * {@code User-Agent}, {@code Content-Type} when there is a body format, and the
   * {@link OutboundSignature} headers when the destination has a signing secret. These win over
   * a same-named entry of {@code extraHeaders}.
   */
  static OutboundRequest request(Destination d, String method, URI url, String contentType, byte[] body,
      Map<String, String> extraHeaders, String idempotencyKey, Instant now) {
    Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
    headers.put("Idempotency-Key", idempotencyKey);
    headers.put("User-Agent", USER_AGENT);
    if (contentType != null) {
      headers.put("Content-Type", contentType);
    }
    if (d.signingSecret() != null && !d.signingSecret().isEmpty()) {
      long timestamp = now.getEpochSecond();
      headers.put(OutboundSignature.TIMESTAMP_HEADER, Long.toString(timestamp));
      headers.put(OutboundSignature.SIGNATURE_HEADER,
          OutboundSignature.header(d.signingSecret(), timestamp, method, url.toString(), body));
    }
    return new OutboundRequest(method, url, headers, body);
  }

  /**
   * The ad-platform event id: one per conversion (click, event, txid), whatever status is being
   * announced, so that a platform deduplicating on it counts a pending-then-approved conversion once.
   */
  static String conversionEventId(Conversion conversion) {
    return UUID.nameUUIDFromBytes((conversion.clickId() + "|" + conversion.event() + "|" + conversion.txid())
        .getBytes(StandardCharsets.UTF_8)).toString();
  }

  /**
   * The ad platforms' common request: POST {@code body} as JSON to {@code url} with the platform's
   * authentication {@code headers}; a URL that is not a valid http(s) URL skips the delivery.
   */
  public static DeliveryPlan postJson(Destination d, String url, Json.Obj body, Map<String, String> headers,
      String idempotencyKey, Instant now) {
    URI uri;
    try {
      uri = httpUrl(url);
    } catch (InvalidUrlException e) {
      return invalidUrl(e);
    }
    return new DeliveryPlan.Send(request(d, "POST", uri, JSON, body.toUtf8(), headers, idempotencyKey, now));
  }
}
