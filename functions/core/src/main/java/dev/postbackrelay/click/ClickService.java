package dev.postbackrelay.click;

import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignRules;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.common.Param;
import dev.postbackrelay.common.Params;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.net.UrlTemplate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Records clicks and decides where the visitor goes.
 *
 * <p>The visitor is sent only to the campaign's configured landing URL, never to a URL taken from
 * the request, and always to its host: values fill only its path, query and fragment. Unknown or paused campaigns and unregistered affiliates are refused before
 * anything is stored.
 */
public final class ClickService {

  /** How long a click outlives its campaign's attribution window before the store may purge it. */
  static final Duration RETENTION_MARGIN = Duration.ofDays(7);

  static final Set<String> PLATFORM_IDS = Set.of("fbclid", "gclid", "gbraid", "wbraid", "ttclid");
  private static final Set<String> CONSUMED = Param.reserved(Param.Route.CLICK);
  private static final Set<String> LANDING_MACROS = Set.of(
      "click_id", "campaign_id", "affiliate_id", "sub1", "sub2", "sub3", "sub4", "sub5", "sub6", "sub7", "sub8", "sub9", "sub10");

  private final CampaignStore campaigns;
  private final ClickStore clicks;
  private final ClickIds ids;
  private final Clock clock;

  public ClickService(CampaignStore campaigns, ClickStore clicks, ClickIds ids, Clock clock) {
    this.campaigns = campaigns;
    this.clicks = clicks;
    this.ids = ids;
    this.clock = clock;
  }

  /** Records the click and returns its id and the landing URL to redirect to. */
  public ClickResult register(ClickRequest request) {
    Params params = request.params();
    String campaignId = params.first(Param.CAMPAIGN_ID)
        .orElseThrow(() -> new RejectedException(Reason.MISSING_CAMPAIGN_ID));
    String affiliateId = params.first(Param.AFFILIATE_ID)
        .orElseThrow(() -> new RejectedException(Reason.MISSING_AFFILIATE_ID));
    Campaign campaign = (CampaignRules.isValidId(campaignId) ? campaigns.find(campaignId) : Optional.<Campaign>empty())
        .orElseThrow(() -> new RejectedException(Reason.UNKNOWN_CAMPAIGN));
    if (!campaign.active()) {
      throw new RejectedException(Reason.CAMPAIGN_PAUSED);
    }
    if (campaign.affiliate(affiliateId).isEmpty()) {
      throw new RejectedException(Reason.UNKNOWN_AFFILIATE);
    }

    Map<String, String> subs = new LinkedHashMap<>();
    Map<String, String> platformIds = new LinkedHashMap<>();
    Map<String, String> extra = new LinkedHashMap<>();
    for (Map.Entry<String, String> p : params.asMap().entrySet()) {
      String name = p.getKey();
      String value = truncate(p.getValue());
      if (CONSUMED.contains(name) || value.isEmpty()) {
        continue;
      }
      if (Click.isSubId(name)) {
        subs.put(name, value);
      } else if (PLATFORM_IDS.contains(name)) {
        platformIds.put(name, value);
      } else if (extra.size() < Param.MAX_EXTRA && name.length() <= Param.MAX_EXTRA_NAME) {
        extra.put(name, value);
      }
    }

    Instant now = clock.instant();
    String clickId = ids.issue(now);
    Map<String, String> values = new LinkedHashMap<>(subs);
    values.put("click_id", clickId);
    values.put("campaign_id", campaignId);
    values.put("affiliate_id", affiliateId);
    String landing = campaign.landingUrl();
    String url;
    try {
      // the operator's checks refuse a macro in the landing URL's host; this holds for campaigns stored before them
      url = UrlTemplate.fillSameOrigin(landing, values, LANDING_MACROS, UrlTemplate::encode);
    } catch (UrlTemplate.OriginChangedException e) {
      throw new RejectedException(Reason.INVALID_CAMPAIGN, "This campaign's landing_url has a macro in its host;"
          + " the visitor is not redirected and nothing was recorded. The operator must fix the campaign.");
    }
    if (!landing.contains("{click_id}")) {
      url = appendQuery(url, "click_id=" + clickId);
    }
    clicks.put(Click.builder().clickId(clickId).campaignId(campaignId).affiliateId(affiliateId).createdAt(now)
        .subs(subs).platformIds(platformIds).extra(extra)
        .ip(request.ip()).userAgent(truncate(request.userAgent())).referer(truncate(request.referer()))
        .country(request.country()).expiresAt(now.plus(campaign.attributionWindow()).plus(RETENTION_MARGIN))
        .build());
    return new ClickResult(clickId, url);
  }

  private static String appendQuery(String url, String param) {
    int hash = url.indexOf('#');
    String base = hash < 0 ? url : url.substring(0, hash);
    String fragment = hash < 0 ? "" : url.substring(hash);
    String separator = base.endsWith("?") || base.endsWith("&") ? "" : base.contains("?") ? "&" : "?";
    return base + separator + param + fragment;
  }

  private static String truncate(String value) {
    return Params.truncate(value, Param.MAX_VALUE);
  }
}
