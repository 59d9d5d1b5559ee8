package dev.postbackrelay.testing;

import dev.postbackrelay.campaign.Affiliate;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.campaign.Payout;
import dev.postbackrelay.common.ConversionStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds test campaigns without spelling out every component of {@link Campaign}. A campaign built
 * without a token, signing secret or IP allowlist says {@code postback_auth: none} explicitly, as an
 * operator must for it to be valid; tests of what an authenticated postback may do set a token.
 */
public final class CampaignBuilder {

  private final String id;
  private String landingUrl = "https://shop.example/landing?cid={click_id}";
  private String token;
  private boolean active = true;
  private Duration window;
  private Duration minClickAge;
  private String currency;
  private boolean repeatSales;
  private Campaign.TransactionIdMeans transactionIdMeans;
  private List<String> ipAllowlist = List.of();
  private String signingSecret;
  private final Map<String, ConversionStatus> statusMap = new LinkedHashMap<>();
  private final Map<String, Payout> payouts = new LinkedHashMap<>();
  private final Map<String, Affiliate> affiliates = new LinkedHashMap<>();
  private final List<Destination> destinations = new ArrayList<>();
  private Campaign.PostbackAuth postbackAuth;
  private Campaign.PostbackPayout postbackPayout;

  private CampaignBuilder(String id) {
    this.id = id;
  }

  public static CampaignBuilder campaign(String id) {
    return new CampaignBuilder(id);
  }

  public CampaignBuilder landing(String url) {
    this.landingUrl = url;
    return this;
  }

  public CampaignBuilder token(String token) {
    this.token = token;
    return this;
  }

  public CampaignBuilder paused() {
    this.active = false;
    return this;
  }

  public CampaignBuilder window(Duration window) {
    this.window = window;
    return this;
  }

  public CampaignBuilder minClickAge(Duration minClickAge) {
    this.minClickAge = minClickAge;
    return this;
  }

  public CampaignBuilder currency(String currency) {
    this.currency = currency;
    return this;
  }

  public CampaignBuilder repeatSales() {
    this.repeatSales = true;
    return this;
  }

  public CampaignBuilder transactionIdMeans(Campaign.TransactionIdMeans means) {
    this.transactionIdMeans = means;
    return this;
  }

  public CampaignBuilder ipAllowlist(String... blocks) {
    this.ipAllowlist = List.of(blocks);
    return this;
  }

  public CampaignBuilder signingSecret(String secret) {
    this.signingSecret = secret;
    return this;
  }

  public CampaignBuilder status(String word, ConversionStatus status) {
    statusMap.put(word, status);
    return this;
  }

  public CampaignBuilder fixedPayout(String event, String value) {
    payouts.put(event, new Payout(Payout.Type.FIXED, new BigDecimal(value)));
    return this;
  }

  public CampaignBuilder percentPayout(String event, String percent) {
    payouts.put(event, new Payout(Payout.Type.PERCENT, new BigDecimal(percent)));
    return this;
  }

  /** An affiliate whose postbacks go to {@code postbackUrl} (null: none) for every event and status. */
  public CampaignBuilder affiliate(String affiliateId, String postbackUrl) {
    affiliates.put(affiliateId, Affiliate.withPostbackUrl(postbackUrl));
    return this;
  }

  public CampaignBuilder affiliate(String affiliateId, Affiliate affiliate) {
    affiliates.put(affiliateId, affiliate);
    return this;
  }

  /** A destination besides the affiliates' postback URLs (an ad platform, a traffic source...). */
  public CampaignBuilder destination(Destination destination) {
    destinations.add(destination);
    return this;
  }

  /** Whose postbacks may set their own payout (default: authenticated ones). */
  public CampaignBuilder postbackPayout(Campaign.PostbackPayout policy) {
    this.postbackPayout = policy;
    return this;
  }

  /** Says {@code postback_auth} explicitly, whatever the credentials (for tests of the rule itself). */
  public CampaignBuilder postbackAuth(Campaign.PostbackAuth auth) {
    this.postbackAuth = auth;
    return this;
  }

  public Campaign build() {
    Campaign.PostbackAuth auth = postbackAuth != null ? postbackAuth
        : token == null && signingSecret == null && ipAllowlist.isEmpty() ? Campaign.PostbackAuth.NONE
        : Campaign.PostbackAuth.REQUIRED;
    return Campaign.builder().id(id).landingUrl(landingUrl).postbackToken(token).active(active)
        .attributionWindow(window).minClickAge(minClickAge).currency(currency).allowRepeatSales(repeatSales)
        .transactionIdMeans(transactionIdMeans).ipAllowlist(ipAllowlist).signingSecret(signingSecret)
        .statusMap(statusMap).payouts(payouts).affiliates(affiliates).destinations(destinations).postbackAuth(auth)
        .postbackPayout(postbackPayout).build();
  }
}
