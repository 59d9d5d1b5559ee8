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
}
