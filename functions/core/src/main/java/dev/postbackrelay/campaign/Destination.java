package dev.postbackrelay.campaign;

import dev.postbackrelay.common.ConversionStatus;
import java.util.Map;
import java.util.Set;

/**
 * Somewhere a campaign's conversions are relayed to: an affiliate's or traffic source's postback
 * URL, or an ad platform's conversion API.
 *
 * @param id unique within the campaign; part of every delivery's identity and Idempotency-Key
 * @param affiliateId only conversions of this affiliate fire it; null for every affiliate
 * @param url {@link Type#POSTBACK}: the URL template with macros; ad platforms: an endpoint
 *     override (tests point it at a local server), null for the platform's own endpoint
 * @param method {@link Type#POSTBACK}: GET, or POST with the macros' values as a body
 * @param format body format of a POST postback
 * @param urlEncode whether macro values are URL-encoded (true, the default; false for the rare
 *     partner that wants raw values)
 * @param events events that fire it; empty means every event
 * @param statuses statuses that fire it; empty means every status
 * @param fireOn whether it fires when a conversion is created, when its status changes, or both
 * @param signingSecret when set, requests carry {@code X-Relay-Signature} (docs/outbound-signing.md)
 * @param settings per-type settings, as the type defines them ({@link DestinationSpec}): Meta
 *     {@code pixel_id}, {@code access_token}; Google Ads {@code customer_id}, ...
 */
public record Destination(
    String id,
    Type type,
    String affiliateId,
    String url,
    String method,
    BodyFormat format,
    boolean urlEncode,
    Set<String> events,
    Set<ConversionStatus> statuses,
    Set<Trigger> fireOn,
    String signingSecret,
    Map<String, String> settings) {

  /**
   * What kind of destination, by its wire id ({@code "meta_capi"}): the {@code type} of the admin
   * JSON and the stored campaign. What a type needs and does is its {@link DestinationSpec}, found
   * through {@link DestinationSpecs}; the constants name the built-in types for code and tests.
   */
  public record Type(String id) {

    public static final Type POSTBACK = new Type("postback");
    public static final Type META_CAPI = new Type("meta_capi");
    public static final Type GOOGLE_ADS = new Type("google_ads");
    public static final Type TIKTOK = new Type("tiktok");

    public Type {
      if (id == null || !id.matches("[a-z][a-z0-9_]{0,31}")) {
        throw new IllegalArgumentException("a destination type id is 1-32 lower-case letters, digits or '_'");
      }
    }

    @Override
    public String toString() {
      return id;
    }
  }

  /** The body of a POST postback. */
  public enum BodyFormat { FORM, JSON }

  /** The conversion changes that fire a destination. */
  public enum Trigger { CREATED, STATUS_CHANGE }

  public Destination {
    method = method == null ? "GET" : method;
    format = format == null ? BodyFormat.FORM : format;
    events = events == null ? Set.of() : Set.copyOf(events);
    statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
    fireOn = fireOn == null || fireOn.isEmpty() ? Set.of(Trigger.CREATED, Trigger.STATUS_CHANGE) : Set.copyOf(fireOn);
    settings = settings == null ? Map.of() : Map.copyOf(settings);
  }

  /** An affiliate's postback URL as a destination: GET, URL-encoded, every event and status. */
  public static Destination affiliatePostback(String affiliateId, Affiliate affiliate) {
    return new Destination("affiliate:" + affiliateId, Type.POSTBACK, affiliateId, affiliate.postbackUrl(),
        affiliate.method(), BodyFormat.FORM, true, affiliate.events(), affiliate.statuses(), null, null, null);
  }

  /** This destination with other per-type settings (secrets resolved, a token fetched), all else equal. */
  public Destination withSettings(Map<String, String> newSettings) {
    return new Destination(id, type, affiliateId, url, method, format, urlEncode, events, statuses, fireOn,
        signingSecret, newSettings);
  }

  /** This destination with another signing secret, all else equal. */
  public Destination withSigningSecret(String newSigningSecret) {
    return new Destination(id, type, affiliateId, url, method, format, urlEncode, events, statuses, fireOn,
        newSigningSecret, settings);
  }

  /** Whether a conversion of this affiliate, event and status, reached by {@code trigger}, fires it. */
  public boolean fires(String affiliate, String event, ConversionStatus status, Trigger trigger) {
    return (affiliateId == null || affiliateId.equals(affiliate))
        && (events.isEmpty() || events.contains(event))
        && (statuses.isEmpty() || statuses.contains(status))
        && fireOn.contains(trigger);
  }
}
