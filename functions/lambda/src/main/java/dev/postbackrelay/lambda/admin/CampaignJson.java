package dev.postbackrelay.lambda.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.campaign.Affiliate;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.campaign.Payout;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.forwarding.builders.DestinationTypes;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of a campaign, as the admin API takes and shows it and as the campaigns table
 * stores it. Type errors become {@link Reason#INVALID_CAMPAIGN} with the field named.
 */
public final class CampaignJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** What a secret looks like in a view; sent back unchanged in a PUT, it keeps the stored secret. */
  public static final String MASK = "********";
  private static final Set<String> FIELDS = Set.of("campaign_id", "landing_url", "postback_token", "status",
      "attribution_window_days", "min_click_age_seconds", "currency", "allow_repeat_sales", "transaction_id_means",
      "ip_allowlist", "signing_secret", "status_map", "payouts", "affiliates", "destinations", "postback_auth",
      "postback_payout", "warnings"); // warnings: output only, ignored on input so a GET can be PUT back
  private static final Set<String> DESTINATION_FIELDS = Set.of("id", "type", "affiliate_id", "url", "method", "format",
      "url_encode", "events", "statuses", "fire_on", "signing_secret", "settings");
  /** The destination types: their ids, and the settings they hold secret (masked in views). */
  private static final DestinationTypes TYPES = DestinationTypes.BUILT_IN;
  static final Set<String> SECRET_SETTINGS = TYPES.secretSettings();
  private static final Set<String> AFFILIATE_FIELDS = Set.of("postback_url", "method", "events", "statuses");

  private CampaignJson() {}

  public static Campaign parse(String campaignId, String json) {
    JsonNode n;
    try {
      n = MAPPER.readTree(json == null ? "" : json);
    } catch (JsonProcessingException e) {
      throw invalid("The body is not valid JSON.");
    }
    if (n == null || !n.isObject()) {
      throw invalid("The body must be a JSON object.");
    }
    refuseUnknown(n, FIELDS, "");
    String status = text(n, "status", "active");
    if (!status.equals("active") && !status.equals("paused")) {
      throw invalid("status must be active or paused.");
    }
    String means = text(n, "transaction_id_means", "order_id");
    if (!means.equals("order_id") && !means.equals("click_id")) {
      throw invalid("transaction_id_means must be click_id or order_id.");
    }
    String auth = text(n, "postback_auth", "required");
    if (!auth.equals("required") && !auth.equals("none")) {
      throw invalid("postback_auth must be required or none.");
    }
    Campaign.PostbackPayout postbackPayout = enumValue(Campaign.PostbackPayout.class,
        text(n, "postback_payout", "authenticated"), "postback_payout", "authenticated, always or never");
    return Campaign.builder()
        .id(campaignId)
        .landingUrl(text(n, "landing_url", null))
        .postbackToken(text(n, "postback_token", null))
        .active(status.equals("active"))
        .attributionWindow(Duration.ofDays(integer(n, "attribution_window_days", 30, 1, 3650)))
        .minClickAge(Duration.ofSeconds(integer(n, "min_click_age_seconds", 0, 0, 3650L * 86400)))
        .currency(text(n, "currency", "USD").toUpperCase(Locale.ROOT))
        .allowRepeatSales(bool(n, "allow_repeat_sales"))
        .transactionIdMeans(means.equals("click_id")
            ? Campaign.TransactionIdMeans.CLICK_ID : Campaign.TransactionIdMeans.ORDER_ID)
        .ipAllowlist(strings(n, "ip_allowlist"))
        .signingSecret(text(n, "signing_secret", null))
        .statusMap(statusMap(n.get("status_map")))
        .payouts(payouts(n.get("payouts")))
        .affiliates(affiliates(n.get("affiliates")))
        .destinations(destinations(n.get("destinations")))
        .postbackAuth(auth.equals("none") ? Campaign.PostbackAuth.NONE : Campaign.PostbackAuth.REQUIRED)
        .postbackPayout(postbackPayout)
        .build();
  }

  /** The stored form: everything, secrets included. */
  public static String write(Campaign c) {
    return tree(c, false).toString();
  }

  /**
   * The form shown to operators: secrets masked, and {@code warnings} for what they must know (a
   * campaign without postback authentication can have its conversions forged).
   */
  public static ObjectNode view(Campaign c) {
    ObjectNode n = tree(c, true);
    c.warnings().forEach(n.putArray("warnings")::add);
    return n;
  }

  private static ObjectNode tree(Campaign c, boolean mask) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("campaign_id", c.id());
    n.put("landing_url", c.landingUrl());
    if (c.postbackToken() != null) {
      n.put("postback_token", mask ? MASK : c.postbackToken());
    }
    // stored: as declared; shown: what postbacks actually need (none for a campaign stored without credentials)
    n.put("postback_auth", (mask ? c.effectivePostbackAuth() : c.postbackAuth()).name().toLowerCase(Locale.ROOT));
    n.put("postback_payout", c.postbackPayout().name().toLowerCase(Locale.ROOT));
    n.put("status", c.active() ? "active" : "paused");
    n.put("attribution_window_days", c.attributionWindow().toDays());
    n.put("min_click_age_seconds", c.minClickAge().toSeconds());
    n.put("currency", c.currency());
    n.put("allow_repeat_sales", c.allowRepeatSales());
    n.put("transaction_id_means", c.transactionIdMeans().name().toLowerCase(Locale.ROOT));
    c.ipAllowlist().forEach(n.putArray("ip_allowlist")::add);
    if (c.signingSecret() != null) {
      n.put("signing_secret", mask ? MASK : c.signingSecret());
    }
    ObjectNode statusMap = n.putObject("status_map");
    c.statusMap().forEach((word, status) -> statusMap.put(word, status.code()));
    ObjectNode payouts = n.putObject("payouts");
    c.payouts().forEach((event, p) -> payouts.putObject(event)
        .put("type", p.type().name().toLowerCase(Locale.ROOT)).put("value", p.value().toPlainString()));
    ObjectNode affiliates = n.putObject("affiliates");
    c.affiliates().forEach((id, a) -> {
      ObjectNode an = affiliates.putObject(id);
      if (a.postbackUrl() != null) {
        an.put("postback_url", a.postbackUrl());
      }
      an.put("method", a.method());
      a.events().stream().sorted().forEach(an.putArray("events")::add);
      a.statuses().stream().map(ConversionStatus::code).sorted().forEach(an.putArray("statuses")::add);
    });
    var destinations = n.putArray("destinations");
    for (Destination d : c.destinations()) {
      ObjectNode dn = destinations.addObject();
      dn.put("id", d.id()).put("type", d.type().id());
      if (d.affiliateId() != null) {
        dn.put("affiliate_id", d.affiliateId());
      }
      if (d.url() != null) {
        dn.put("url", d.url());
      }
      dn.put("method", d.method()).put("format", d.format().name().toLowerCase(Locale.ROOT)).put("url_encode", d.urlEncode());
      d.events().stream().sorted().forEach(dn.putArray("events")::add);
      d.statuses().stream().map(ConversionStatus::code).sorted().forEach(dn.putArray("statuses")::add);
      d.fireOn().stream().map(t -> t.name().toLowerCase(Locale.ROOT)).sorted().forEach(dn.putArray("fire_on")::add);
      if (d.signingSecret() != null) {
        dn.put("signing_secret", mask ? MASK : d.signingSecret());
      }
      ObjectNode settings = dn.putObject("settings");
      d.settings().forEach((k, v) -> settings.put(k, mask && SECRET_SETTINGS.contains(k) ? MASK : v));
    }
    return n;
  }

  private static List<Destination> destinations(JsonNode n) {
    List<Destination> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      throw invalid("destinations must be an array of destination objects.");
    }
    for (JsonNode d : n) {
      if (!d.isObject()) {
        throw invalid("each destination must be an object.");
      }
      String id = text(d, "id", null);
      String where = "destinations[" + (id == null ? out.size() : id) + "].";
      refuseUnknown(d, DESTINATION_FIELDS, where);
      Destination.Type type = TYPES.byId(text(d, "type", "postback"))
          .orElseThrow(() -> invalid(where + "type must be " + TYPES.listed() + "."));
      Set<ConversionStatus> statuses = new LinkedHashSet<>();
      strings(d, "statuses").forEach(s -> statuses.add(status(s, where + "statuses")));
      Set<Destination.Trigger> fireOn = new LinkedHashSet<>();
      strings(d, "fire_on").forEach(t -> fireOn.add(enumValue(Destination.Trigger.class, t, where + "fire_on",
          "created or status_change")));
      Set<String> events = new LinkedHashSet<>();
      strings(d, "events").forEach(e -> events.add(e.toLowerCase(Locale.ROOT)));
      Map<String, String> settings = new LinkedHashMap<>();
      JsonNode sn = d.get("settings");
      if (sn != null && !sn.isNull()) {
        if (!sn.isObject()) {
          throw invalid(where + "settings must be an object of strings.");
        }
        sn.fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
      }
      JsonNode encode = d.get("url_encode");
      if (encode != null && !encode.isNull() && !encode.isBoolean()) {
        throw invalid(where + "url_encode must be true or false.");
      }
      out.add(new Destination(id, type, text(d, "affiliate_id", null), text(d, "url", null),
          text(d, "method", "GET").toUpperCase(Locale.ROOT),
          enumValue(Destination.BodyFormat.class, text(d, "format", "form"), where + "format", "form or json"),
          encode == null || encode.isNull() || encode.asBoolean(), events, statuses, fireOn,
          text(d, "signing_secret", null), settings));
    }
    return out;
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String value, String field, String allowed) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid(field + " must be " + allowed + ".");
    }
  }

  private static Map<String, ConversionStatus> statusMap(JsonNode n) {
    Map<String, ConversionStatus> out = new LinkedHashMap<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isObject()) {
      throw invalid("status_map must be an object of word -> status.");
    }
    n.fields().forEachRemaining(e -> out.put(e.getKey().toLowerCase(Locale.ROOT), status(e.getValue().asText(), "status_map")));
    return out;
  }

  private static Map<String, Payout> payouts(JsonNode n) {
    Map<String, Payout> out = new LinkedHashMap<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isObject()) {
      throw invalid("payouts must be an object of event -> {type, value}.");
    }
    n.fields().forEachRemaining(e -> {
      String type = e.getValue().path("type").asText("fixed");
      if (!type.equals("fixed") && !type.equals("percent")) {
        throw invalid("payouts." + e.getKey() + ".type must be fixed or percent.");
      }
      JsonNode raw = e.getValue().path("value");
      BigDecimal value;
      try {
        if (!raw.isTextual() && !raw.isNumber() || raw.asText().length() > 40) {
          throw new NumberFormatException();
        }
        value = new BigDecimal(raw.isBigDecimal() ? raw.decimalValue().toString() : raw.asText());
      } catch (NumberFormatException ex) {
        throw invalid("payouts." + e.getKey() + ".value must be a decimal number such as 2.50 (a string or a number).");
      }
      out.put(e.getKey().toLowerCase(Locale.ROOT), new Payout(Payout.Type.valueOf(type.toUpperCase(Locale.ROOT)), value));
    });
    return out;
  }

  private static Map<String, Affiliate> affiliates(JsonNode n) {
    Map<String, Affiliate> out = new LinkedHashMap<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isObject()) {
      throw invalid("affiliates must be an object of affiliate_id -> {postback_url, ...}.");
    }
    n.fields().forEachRemaining(e -> {
      JsonNode a = e.getValue();
      if (!a.isObject()) {
        throw invalid("affiliates." + e.getKey() + " must be an object.");
      }
      refuseUnknown(a, AFFILIATE_FIELDS, "affiliates." + e.getKey() + ".");
      Set<String> events = new LinkedHashSet<>();
      strings(a, "events").forEach(s -> events.add(s.toLowerCase(Locale.ROOT)));
      Set<ConversionStatus> statuses = new LinkedHashSet<>();
      strings(a, "statuses").forEach(s -> statuses.add(status(s, "affiliates." + e.getKey() + ".statuses")));
      out.put(e.getKey(), new Affiliate(text(a, "postback_url", null),
          text(a, "method", "GET").toUpperCase(Locale.ROOT), events, statuses));
    });
    return out;
  }

  private static ConversionStatus status(String code, String field) {
    try {
      return ConversionStatus.fromCode(code);
    } catch (IllegalArgumentException e) {
      throw invalid(field + " values must be pending, approved, rejected or chargeback.");
    }
  }

  private static String text(JsonNode n, String field, String fallback) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isTextual()) {
      throw invalid(field + " must be a string.");
    }
    return v.asText();
  }

  /** A whole number within [min, max], checked before any arithmetic on it. */
  private static long integer(JsonNode n, String field, long fallback, long min, long max) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
      throw invalid(field + " must be a whole number from " + min + " to " + max + ".");
    }
    return v.asLong();
  }

  private static boolean bool(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw invalid(field + " must be true or false.");
    }
    return v.asBoolean();
  }

  private static List<String> strings(JsonNode n, String field) {
    JsonNode v = n.get(field);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw invalid(field + " must be an array of strings.");
    }
    v.forEach(item -> out.add(item.asText()));
    return out;
  }

  private static void refuseUnknown(JsonNode n, Set<String> known, String prefix) {
    n.fieldNames().forEachRemaining(name -> {
      if (!known.contains(name)) {
        throw invalid("Unknown field '" + prefix + name + "'.");
      }
    });
  }

  private static RejectedException invalid(String message) {
    return new RejectedException(Reason.INVALID_CAMPAIGN, message);
  }
}
