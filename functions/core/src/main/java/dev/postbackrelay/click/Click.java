package dev.postbackrelay.click;

import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A recorded click: who sent the visitor, to which campaign, with which sub ids, and what the
 * edge saw of the visitor (kept for ad-platform forwarding; never logged).
 *
 * @param subs {@code sub1}..{@code sub10} that were present
 * @param platformIds ad-platform click ids present: fbclid, gclid, gbraid, wbraid, ttclid
 * @param extra every other parameter of the click (utm_*, unknown ones), inherited by conversions
 * @param expiresAt when the click may be purged (the store's TTL)
 */
public record Click(
    String clickId,
    String campaignId,
    String affiliateId,
    Instant createdAt,
    Map<String, String> subs,
    Map<String, String> platformIds,
    Map<String, String> extra,
    String ip,
    String userAgent,
    String referer,
    String country,
    Instant expiresAt) {

  private static final Pattern SUB_ID = Pattern.compile("sub([1-9]|10)");

  /** Whether a parameter name is one of {@code sub1}..{@code sub10}. */
  public static boolean isSubId(String name) {
    return SUB_ID.matcher(name).matches();
  }

  public Click {
    subs = subs == null ? Map.of() : Map.copyOf(subs);
    platformIds = platformIds == null ? Map.of() : Map.copyOf(platformIds);
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }

  /** A builder with every component unset: null, or the constructor's default where it has one. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this click's components, to change some by name. */
  public Builder toBuilder() {
    return new Builder()
        .clickId(clickId).campaignId(campaignId).affiliateId(affiliateId).createdAt(createdAt).subs(subs)
        .platformIds(platformIds).extra(extra).ip(ip).userAgent(userAgent).referer(referer).country(country)
        .expiresAt(expiresAt);
  }

  /** Names each component of a {@link Click}; the only caller of its canonical constructor. */
  public static final class Builder {
    private String clickId;
    private String campaignId;
    private String affiliateId;
    private Instant createdAt;
    private Map<String, String> subs;
    private Map<String, String> platformIds;
    private Map<String, String> extra;
    private String ip;
    private String userAgent;
    private String referer;
    private String country;
    private Instant expiresAt;

    private Builder() {}

    public Builder clickId(String clickId) {
      this.clickId = clickId;
      return this;
    }

    public Builder campaignId(String campaignId) {
      this.campaignId = campaignId;
      return this;
    }

    public Builder affiliateId(String affiliateId) {
      this.affiliateId = affiliateId;
      return this;
    }

    public Builder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    public Builder subs(Map<String, String> subs) {
      this.subs = subs;
      return this;
    }

    public Builder platformIds(Map<String, String> platformIds) {
      this.platformIds = platformIds;
      return this;
    }

    public Builder extra(Map<String, String> extra) {
      this.extra = extra;
      return this;
    }

    public Builder ip(String ip) {
      this.ip = ip;
      return this;
    }

    public Builder userAgent(String userAgent) {
      this.userAgent = userAgent;
      return this;
    }

    public Builder referer(String referer) {
      this.referer = referer;
      return this;
    }

    public Builder country(String country) {
      this.country = country;
      return this;
    }

    public Builder expiresAt(Instant expiresAt) {
      this.expiresAt = expiresAt;
      return this;
    }

    public Click build() {
      return new Click(clickId, campaignId, affiliateId, createdAt, subs, platformIds, extra, ip, userAgent, referer,
          country, expiresAt);
    }
  }
}
