package dev.postbackrelay.campaign;

import dev.postbackrelay.Reason;
import dev.postbackrelay.RejectedException;
import dev.postbackrelay.forwarding.OutboundGuard;
import dev.postbackrelay.postback.Cidr;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * What makes a campaign definition acceptable. Checked when an operator stores it, so that a bad
 * campaign is refused with a reason instead of failing clicks and postbacks later.
 */
public final class CampaignRules {

  static final String ID_PATTERN = "[A-Za-z0-9_.-]{1,64}";
  /** Checked on every click and postback: compiled once. */
  private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile(ID_PATTERN);

  private CampaignRules() {}

  /** Whether {@code id} could name a campaign (or affiliate); anything else is unknown without a read. */
  public static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** @throws RejectedException with {@link Reason#INVALID_CAMPAIGN} or {@link Reason#FORBIDDEN_DESTINATION} */
  public static void validate(Campaign c, OutboundGuard guard) {
    require(isValidId(c.id()), "campaign_id must be 1-64 letters, digits, '.', '_' or '-'.");
    require(c.landingUrl() != null && !c.landingUrl().isBlank(), "landing_url is required.");
    guard.checkShape(c.landingUrl());
    require(c.attributionWindow().compareTo(Duration.ofDays(1)) >= 0
        && c.attributionWindow().compareTo(Duration.ofDays(3650)) <= 0, "attribution_window_days must be 1 to 3650.");
    require(!c.minClickAge().isNegative() && c.minClickAge().compareTo(c.attributionWindow()) < 0,
        "min_click_age_seconds must be at least 0 and shorter than the attribution window.");
    require(c.currency().matches("[A-Z]{3}"), "currency must be a three-letter ISO 4217 code.");
    require(c.postbackToken() == null || c.postbackToken().length() >= 8,
        "postback_token must be at least 8 characters (or absent).");
    require(c.signingSecret() == null || c.signingSecret().length() >= 16,
        "signing_secret must be at least 16 characters (or absent).");
    for (String block : c.ipAllowlist()) {
      try {
        Cidr.parse(block);
      } catch (IllegalArgumentException e) {
        throw new RejectedException(Reason.INVALID_CAMPAIGN, "ip_allowlist entry '" + block + "' is not a CIDR block.");
      }
    }
    for (Map.Entry<String, Payout> p : c.payouts().entrySet()) {
      BigDecimal v = p.getValue().value();
      require(v != null && v.signum() >= 0, "payouts." + p.getKey() + ".value must be a non-negative number.");
      require(p.getValue().type() != Payout.Type.PERCENT || v.compareTo(BigDecimal.valueOf(100)) <= 0,
          "payouts." + p.getKey() + ".value is a percentage and must be at most 100.");
    }
    require(!c.affiliates().isEmpty(), "affiliates must list at least one affiliate.");
    for (Map.Entry<String, Affiliate> a : c.affiliates().entrySet()) {
      require(isValidId(a.getKey()), "affiliate ids must be 1-64 letters, digits, '.', '_' or '-'.");
      require("GET".equals(a.getValue().method()) || "POST".equals(a.getValue().method()),
          "affiliates." + a.getKey() + ".method must be GET or POST.");
      if (a.getValue().postbackUrl() != null) {
        guard.checkShape(a.getValue().postbackUrl());
      }
    }
    validateDestinations(c, guard);
  }

  private static final Map<Destination.Type, java.util.List<String>> REQUIRED_SETTINGS = Map.of(
      Destination.Type.POSTBACK, java.util.List.of(),
      Destination.Type.META_CAPI, java.util.List.of("pixel_id", "access_token"),
      Destination.Type.GOOGLE_ADS, java.util.List.of("customer_id", "conversion_action", "developer_token"),
      Destination.Type.TIKTOK, java.util.List.of("pixel_code", "access_token"));

  private static void validateDestinations(Campaign c, OutboundGuard guard) {
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (Destination d : c.destinations()) {
      require(isValidId(d.id()), "every destination needs an id of 1-64 letters, digits, '.', '_' or '-'.");
      String where = "destinations[" + d.id() + "]";
      require(ids.add(d.id()), where + ": destination ids must be unique.");
      require(d.affiliateId() == null || c.affiliates().containsKey(d.affiliateId()),
          where + ".affiliate_id names no affiliate of this campaign.");
      require("GET".equals(d.method()) || "POST".equals(d.method()), where + ".method must be GET or POST.");
      require(d.type() != Destination.Type.POSTBACK || d.url() != null, where + ".url is required for a postback.");
      require(d.signingSecret() == null || d.signingSecret().length() >= 16,
          where + ".signing_secret must be at least 16 characters (or absent).");
      for (String setting : REQUIRED_SETTINGS.get(d.type())) {
        String value = d.settings().get(setting);
        require(value != null && !value.isBlank(), where + ".settings." + setting + " is required for this type.");
      }
      if (d.type() == Destination.Type.GOOGLE_ADS) {
        boolean refreshable = java.util.stream.Stream.of("client_id", "client_secret", "refresh_token")
            .allMatch(k -> d.settings().get(k) != null && !d.settings().get(k).isBlank());
        require(refreshable || d.settings().get("access_token") != null,
            where + ".settings needs client_id, client_secret and refresh_token (recommended: access tokens expire"
                + " within the hour), or an access_token.");
      }
      if (d.url() != null) {
        guard.checkShape(d.url());
      }
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new RejectedException(Reason.INVALID_CAMPAIGN, message);
    }
  }
}
