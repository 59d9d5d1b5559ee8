package dev.postbackrelay.campaign;

import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.net.Cidr;
import dev.postbackrelay.net.OutboundGuard;
import dev.postbackrelay.net.UrlTemplate;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What makes a campaign definition acceptable. Checked when an operator stores it, so that a bad
 * campaign is refused with a reason instead of failing clicks and postbacks later.
 */
public final class CampaignRules {

  static final String ID_PATTERN = "[A-Za-z0-9_.-]{1,64}";
  /** Checked on every click and postback: compiled once. */
  private static final Pattern ID = Pattern.compile(ID_PATTERN);

  private CampaignRules() {}

  /** Whether {@code id} could name a campaign (or affiliate); anything else is unknown without a read. */
  public static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** The most affiliates a campaign may list (each is part of its one stored item). */
  public static final int MAX_AFFILIATES = 100;
  /** The most destinations besides the affiliates' postback URLs. */
  public static final int MAX_DESTINATIONS = 25;
  /** The most entries of {@code payouts}, {@code status_map}, {@code ip_allowlist}, a settings object, events or statuses. */
  public static final int MAX_ENTRIES = 50;
  /** The longest URL template. */
  public static final int MAX_URL_CHARS = 2048;
  /** The longest secret, setting value or other text. */
  public static final int MAX_TEXT_CHARS = 1024;
  /** Payout values: at most this many digits before the decimal point... */
  public static final int MAX_PAYOUT_INTEGER_DIGITS = 15;
  /** ...and this many after it (the precision postbacks' amounts have). */
  public static final int MAX_PAYOUT_SCALE = 8;
  /** The widest IP allowlist block that still authenticates a sender: IPv4 /8, IPv6 /16. */
  static final int MIN_PREFIX_V4 = 8;
  static final int MIN_PREFIX_V6 = 16;

  /**
   * @param types the destination types of this deployment: each destination's settings are checked
   *     against its type's {@link DestinationSpec}
   * @throws RejectedException with {@link Reason#INVALID_CAMPAIGN} or {@link Reason#FORBIDDEN_DESTINATION}
   */
  public static void validate(Campaign c, OutboundGuard guard, DestinationSpecs types) {
    require(isValidId(c.id()), "campaign_id must be 1-64 letters, digits, '.', '_' or '-'.");
    require(c.landingUrl() != null && !c.landingUrl().isBlank(), "landing_url is required.");
    outboundUrl("landing_url", c.landingUrl(), guard);
    validateAuthentication(c);
    require(c.attributionWindow().compareTo(Duration.ofDays(1)) >= 0
        && c.attributionWindow().compareTo(Duration.ofDays(3650)) <= 0, "attribution_window_days must be 1 to 3650.");
    require(!c.minClickAge().isNegative() && c.minClickAge().compareTo(c.attributionWindow()) < 0,
        "min_click_age_seconds must be at least 0 and shorter than the attribution window.");
    require(c.currency().matches("[A-Z]{3}"), "currency must be a three-letter ISO 4217 code.");
    require(c.ipAllowlist().size() <= MAX_ENTRIES, "ip_allowlist may list at most " + MAX_ENTRIES + " blocks.");
    for (String block : c.ipAllowlist()) {
      Cidr cidr;
      try {
        cidr = Cidr.parse(block);
      } catch (IllegalArgumentException e) {
        throw new RejectedException(Reason.INVALID_CAMPAIGN, "ip_allowlist entry '" + cap(block) + "' is not a CIDR block.");
      }
      require(cidr.prefix() >= (cidr.network().length == 4 ? MIN_PREFIX_V4 : MIN_PREFIX_V6),
          "ip_allowlist entry '" + block + "' is too wide to authenticate a sender (blocks may be no wider than /"
              + MIN_PREFIX_V4 + " for IPv4 or /" + MIN_PREFIX_V6 + " for IPv6): list the sender's own addresses.");
    }
    require(c.statusMap().size() <= MAX_ENTRIES, "status_map may hold at most " + MAX_ENTRIES + " words.");
    c.statusMap().keySet().forEach(word -> require(!word.isBlank() && word.length() <= 64,
        "status_map words must be 1-64 characters."));
    require(c.payouts().size() <= MAX_ENTRIES, "payouts may hold at most " + MAX_ENTRIES + " events.");
    for (Map.Entry<String, Payout> p : c.payouts().entrySet()) {
      require(!p.getKey().isBlank() && p.getKey().length() <= 64, "payouts events must be 1-64 characters.");
      BigDecimal v = p.getValue().value();
      String where = "payouts." + p.getKey() + ".value";
      require(v != null && v.signum() >= 0, where + " must be a non-negative number.");
      require(v.scale() <= MAX_PAYOUT_SCALE && v.precision() - v.scale() <= MAX_PAYOUT_INTEGER_DIGITS,
          where + " must have at most " + MAX_PAYOUT_INTEGER_DIGITS + " digits before the decimal point and "
              + MAX_PAYOUT_SCALE + " after it.");
      require(p.getValue().type() != Payout.Type.PERCENT || v.compareTo(BigDecimal.valueOf(100)) <= 0,
          where + " is a percentage and must be at most 100.");
    }
    require(!c.affiliates().isEmpty(), "affiliates must list at least one affiliate.");
    require(c.affiliates().size() <= MAX_AFFILIATES, "affiliates may list at most " + MAX_AFFILIATES
        + " affiliates (the campaign is stored as one item).");
    for (Map.Entry<String, Affiliate> a : c.affiliates().entrySet()) {
      require(isValidId(a.getKey()), "affiliate ids must be 1-64 letters, digits, '.', '_' or '-'.");
      String where = "affiliates." + a.getKey();
      require("GET".equals(a.getValue().method()) || "POST".equals(a.getValue().method()),
          where + ".method must be GET or POST.");
      requireNames(where + ".events", a.getValue().events());
      if (a.getValue().postbackUrl() != null) {
        outboundUrl(where + ".postback_url", a.getValue().postbackUrl(), guard);
      }
    }
    validateDestinations(c, guard, types);
  }

  /**
   * Every campaign names a postback credential, or says explicitly that it takes none; a credential
   * is never blank. The IP allowlist counts: the source address is the TCP peer API Gateway saw, not
   * a header the sender writes, so only hosts inside the blocks can send (hence blocks wider than
   * /8 or /16 are refused above).
   */
  private static void validateAuthentication(Campaign c) {
    require(c.postbackToken() == null || !c.postbackToken().isBlank(),
        "postback_token must not be empty or white space only.");
    require(c.postbackToken() == null || c.postbackToken().length() >= 8 && c.postbackToken().length() <= MAX_TEXT_CHARS,
        "postback_token must be 8 to " + MAX_TEXT_CHARS + " characters (or absent).");
    require(c.signingSecret() == null || !c.signingSecret().isBlank(),
        "signing_secret must not be empty or white space only.");
    require(c.signingSecret() == null || c.signingSecret().length() >= 16 && c.signingSecret().length() <= MAX_TEXT_CHARS,
        "signing_secret must be 16 to " + MAX_TEXT_CHARS + " characters (or absent).");
    if (c.postbackAuth() == Campaign.PostbackAuth.NONE) {
      require(!c.hasPostbackCredential(), "postback_auth is none but postback_token, signing_secret or ip_allowlist"
          + " is set: remove postback_auth (the credentials are then required) or the credentials.");
    } else {
      require(c.hasPostbackCredential(), "A campaign needs postback authentication: set postback_token (8 or more"
          + " characters), signing_secret (16 or more) or ip_allowlist (the senders' CIDR blocks). To accept"
          + " postbacks from anyone who saw a click id, say so with \"postback_auth\": \"none\".");
    }
  }

  /**
   * An outbound URL or URL template (landing URL, postback URL, endpoint override, token URL): at most
   * {@link #MAX_URL_CHARS} characters; no macro in its scheme, user info, host or port, so that no value
   * can choose where it goes; a port within 1..65535; and what the outbound guard's shape check wants
   * (http or https, a host, no credentials, no literal internal address).
   */
  private static void outboundUrl(String field, String url, OutboundGuard guard) {
    require(url.length() <= MAX_URL_CHARS, field + " must be at most " + MAX_URL_CHARS + " characters.");
    URI uri;
    try {
      uri = guard.checkShape(url);
    } catch (RejectedException e) {
      throw new RejectedException(e.reason(), field + ": " + e.getMessage());
    }
    require(!UrlTemplate.macroInOrigin(url), field + " must be an absolute http(s) URL without a macro (or brace) in"
        + " its scheme, user info, host or port: macros may stand only in its path, query or fragment.");
    require(uri.getPort() == -1 || uri.getPort() >= 1 && uri.getPort() <= 65535,
        field + " has a port outside 1..65535.");
  }

  private static void requireNames(String field, Set<String> names) {
    require(names.size() <= MAX_ENTRIES, field + " may list at most " + MAX_ENTRIES + " entries.");
    names.forEach(n -> require(n.length() <= 64, field + " entries must be at most 64 characters."));
  }

  private static String cap(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }

  private static void validateDestinations(Campaign c, OutboundGuard guard, DestinationSpecs types) {
    Set<String> ids = new HashSet<>();
    require(c.destinations().size() <= MAX_DESTINATIONS, "destinations may list at most " + MAX_DESTINATIONS
        + " destinations (the campaign is stored as one item).");
    for (Destination d : c.destinations()) {
      require(isValidId(d.id()), "every destination needs an id of 1-64 letters, digits, '.', '_' or '-'.");
      String where = "destinations[" + d.id() + "]";
      DestinationSpec spec = types.spec(d.type()).orElse(null);
      require(spec != null, where + ".type must be " + types.listed() + ".");
      requireNames(where + ".events", d.events());
      require(d.settings().size() <= MAX_ENTRIES, where + ".settings may hold at most " + MAX_ENTRIES + " entries.");
      for (Map.Entry<String, String> setting : d.settings().entrySet()) {
        require(setting.getKey().length() <= 64 && setting.getValue().length() <= MAX_TEXT_CHARS,
            where + ".settings names must be at most 64 characters and values at most " + MAX_TEXT_CHARS + ".");
        if (isEndpointSetting(setting.getKey()) && !setting.getValue().isBlank()) {
          outboundUrl(where + ".settings." + setting.getKey(), setting.getValue().strip(), guard);
        }
      }
      require(ids.add(d.id()), where + ": destination ids must be unique.");
      require(d.affiliateId() == null || c.affiliates().containsKey(d.affiliateId()),
          where + ".affiliate_id names no affiliate of this campaign.");
      require("GET".equals(d.method()) || "POST".equals(d.method()), where + ".method must be GET or POST.");
      require(!spec.urlRequired() || d.url() != null, where + ".url is required for a " + d.type().id() + ".");
      require(d.signingSecret() == null || d.signingSecret().length() >= 16 && d.signingSecret().length() <= MAX_TEXT_CHARS
          && !d.signingSecret().isBlank(), where + ".signing_secret must be 16 to " + MAX_TEXT_CHARS + " characters (or absent).");
      for (String setting : spec.requiredSettings()) {
        String value = d.settings().get(setting);
        require(value != null && !value.isBlank(), where + ".settings." + setting + " is required for this type.");
      }
      String problem = spec.settingsProblem(d.settings());
      require(problem == null, where + "." + problem);
      if (d.url() != null && (spec.urlRequired() || !d.url().isBlank())) {
        outboundUrl(where + ".url", spec.urlRequired() ? d.url() : d.url().strip(), guard);
      }
    }
  }

  /**
   * Whether a destination setting names an endpoint (a URL the product calls, e.g. Google's
   * {@code token_url}): by convention every such setting ends in {@code _url}. Endpoint settings are
   * shape-checked like every outbound URL, and a masked secret keeps its value only while they are unchanged.
   */
  public static boolean isEndpointSetting(String name) {
    return name.endsWith("_url");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new RejectedException(Reason.INVALID_CAMPAIGN, message);
    }
  }
}
