package dev.postbackrelay.campaign;

import dev.postbackrelay.common.ConversionStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A campaign: where clicks land, who may send postbacks for it and how, and the rules its
 * conversions are attributed and paid by.
 *
 * @param landingUrl URL template the click redirects to; macros {@code {click_id}},
 *     {@code {sub1}}..{@code {sub10}}, {@code {campaign_id}}, {@code {affiliate_id}}
 * @param postbackToken shared secret a postback must carry (compared in constant time); null for none
 * @param attributionWindow the oldest a click may be when its conversion arrives
 * @param minClickAge the youngest a click may be when its conversion arrives (bot guard)
 * @param transactionIdMeans what the ambiguous {@code transaction_id} parameter means here
 * @param ipAllowlist CIDR blocks allowed to send postbacks; empty allows any
 * @param signingSecret when set, postbacks must carry a valid HMAC signature
 * @param statusMap network status words mapped to ours, overriding the defaults
 * @param destinations where conversions are relayed besides the affiliates' own postback URLs
 *     (ad platforms, traffic sources, extra postbacks)
 * @param payouts payout rule per event, {@code *} for every other event; a postback's own
 *     {@code payout} overrides it only where {@code postbackPayout} allows
 * @param postbackAuth {@link PostbackAuth#REQUIRED} (the default): the campaign must name at least
 *     one credential; {@link PostbackAuth#NONE}: the operator said explicitly that postbacks need
 *     none, and every view of the campaign warns that its conversions can be forged
 * @param postbackPayout whose postbacks may set their own payout (default: authenticated ones)
 */
public record Campaign(
    String id,
    String landingUrl,
    String postbackToken,
    boolean active,
    Duration attributionWindow,
    Duration minClickAge,
    String currency,
    boolean allowRepeatSales,
    TransactionIdMeans transactionIdMeans,
    List<String> ipAllowlist,
    String signingSecret,
    Map<String, ConversionStatus> statusMap,
    Map<String, Payout> payouts,
    Map<String, Affiliate> affiliates,
    List<Destination> destinations,
    PostbackAuth postbackAuth,
    PostbackPayout postbackPayout) {

  public static final Duration DEFAULT_WINDOW = Duration.ofDays(30);

  /** Shown with every view of a campaign whose postbacks need no credential. */
  public static final String FORGERY_WARNING = "postback_auth is none: anyone who saw a click id (a landing page"
      + " visitor, a browser extension, a log) can forge conversions for it. Set postback_token, signing_secret or"
      + " ip_allowlist.";

  /** Whether postbacks must authenticate. */
  public enum PostbackAuth { REQUIRED, NONE }

  /**
   * Whose postbacks may replace the campaign's payout rule with their own {@code payout}:
   * authenticated ones (token matched, signature valid or source IP on the allowlist), any, or none.
   */
  public enum PostbackPayout { AUTHENTICATED, ALWAYS, NEVER }

  /** The two meanings networks give {@code transaction_id}. */
  public enum TransactionIdMeans { CLICK_ID, ORDER_ID }

  public Campaign {
    attributionWindow = attributionWindow == null ? DEFAULT_WINDOW : attributionWindow;
    minClickAge = minClickAge == null ? Duration.ZERO : minClickAge;
    currency = currency == null ? "USD" : currency;
    transactionIdMeans = transactionIdMeans == null ? TransactionIdMeans.ORDER_ID : transactionIdMeans;
    ipAllowlist = ipAllowlist == null ? List.of() : List.copyOf(ipAllowlist);
    statusMap = statusMap == null ? Map.of() : Map.copyOf(statusMap);
    payouts = payouts == null ? Map.of() : Map.copyOf(payouts);
    affiliates = affiliates == null ? Map.of() : Map.copyOf(affiliates);
    destinations = destinations == null ? List.of() : List.copyOf(destinations);
    postbackAuth = postbackAuth == null ? PostbackAuth.REQUIRED : postbackAuth;
    postbackPayout = postbackPayout == null ? PostbackPayout.AUTHENTICATED : postbackPayout;
  }

  /** Whether any postback credential is set: a token, a signing secret or an IP allowlist. */
  public boolean hasPostbackCredential() {
    return postbackToken != null || signingSecret != null || !ipAllowlist.isEmpty();
  }

  /**
   * What postbacks actually need: {@link PostbackAuth#NONE} when no credential is set, whether the
   * operator said so or the campaign was stored before a credential was required.
   */
  public PostbackAuth effectivePostbackAuth() {
    return hasPostbackCredential() ? PostbackAuth.REQUIRED : PostbackAuth.NONE;
  }

  /** What every view of this campaign must say (empty when all is well). */
  public List<String> warnings() {
    return effectivePostbackAuth() == PostbackAuth.NONE ? List.of(FORGERY_WARNING) : List.of();
  }

  /** This campaign with other secrets (as an operator's masked PUT resolves them), all else equal. */
  public Campaign withSecrets(String token, String secret, List<Destination> withDestinations) {
    return toBuilder().postbackToken(token).signingSecret(secret).destinations(withDestinations).build();
  }

  /** A minimal active campaign with defaults everywhere else. */
  public static Campaign simple(String id, String landingUrl, String token, Map<String, Affiliate> affiliates) {
    return builder().id(id).landingUrl(landingUrl).postbackToken(token).active(true).affiliates(affiliates)
        .postbackAuth(token == null ? PostbackAuth.NONE : PostbackAuth.REQUIRED).build();
  }

  public Optional<Affiliate> affiliate(String affiliateId) {
    return Optional.ofNullable(affiliates.get(affiliateId));
  }

  /** Every destination: each affiliate's postback URL (id {@code affiliate:<id>}), then the others. */
  public List<Destination> allDestinations() {
    List<Destination> all = new ArrayList<>();
    affiliates.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .filter(a -> a.getValue().postbackUrl() != null)
        .forEach(a -> all.add(Destination.affiliatePostback(a.getKey(), a.getValue())));
    all.addAll(destinations);
    return all;
  }

  public Optional<Destination> destination(String destinationId) {
    return allDestinations().stream().filter(d -> d.id().equals(destinationId)).findFirst();
  }

  /** A builder with every component unset: null (the constructor's default, where it has one) or false. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this campaign's components, to change some by name. */
  public Builder toBuilder() {
    return new Builder()
        .id(id).landingUrl(landingUrl).postbackToken(postbackToken).active(active)
        .attributionWindow(attributionWindow).minClickAge(minClickAge).currency(currency)
        .allowRepeatSales(allowRepeatSales).transactionIdMeans(transactionIdMeans).ipAllowlist(ipAllowlist)
        .signingSecret(signingSecret).statusMap(statusMap).payouts(payouts).affiliates(affiliates)
        .destinations(destinations).postbackAuth(postbackAuth).postbackPayout(postbackPayout);
  }

  /** Names each component of a {@link Campaign}; the only caller of its canonical constructor. */
  public static final class Builder {
    private String id;
    private String landingUrl;
    private String postbackToken;
    private boolean active;
    private Duration attributionWindow;
    private Duration minClickAge;
    private String currency;
    private boolean allowRepeatSales;
    private TransactionIdMeans transactionIdMeans;
    private List<String> ipAllowlist;
    private String signingSecret;
    private Map<String, ConversionStatus> statusMap;
    private Map<String, Payout> payouts;
    private Map<String, Affiliate> affiliates;
    private List<Destination> destinations;
    private PostbackAuth postbackAuth;
    private PostbackPayout postbackPayout;

    private Builder() {}

    public Builder id(String id) {
      this.id = id;
      return this;
    }

    public Builder landingUrl(String landingUrl) {
      this.landingUrl = landingUrl;
      return this;
    }

    public Builder postbackToken(String postbackToken) {
      this.postbackToken = postbackToken;
      return this;
    }

    public Builder active(boolean active) {
      this.active = active;
      return this;
    }

    public Builder attributionWindow(Duration attributionWindow) {
      this.attributionWindow = attributionWindow;
      return this;
    }

    public Builder minClickAge(Duration minClickAge) {
      this.minClickAge = minClickAge;
      return this;
    }

    public Builder currency(String currency) {
      this.currency = currency;
      return this;
    }

    public Builder allowRepeatSales(boolean allowRepeatSales) {
      this.allowRepeatSales = allowRepeatSales;
      return this;
    }

    public Builder transactionIdMeans(TransactionIdMeans transactionIdMeans) {
      this.transactionIdMeans = transactionIdMeans;
      return this;
    }

    public Builder ipAllowlist(List<String> ipAllowlist) {
      this.ipAllowlist = ipAllowlist;
      return this;
    }

    public Builder signingSecret(String signingSecret) {
      this.signingSecret = signingSecret;
      return this;
    }

    public Builder statusMap(Map<String, ConversionStatus> statusMap) {
      this.statusMap = statusMap;
      return this;
    }

    public Builder payouts(Map<String, Payout> payouts) {
      this.payouts = payouts;
      return this;
    }

    public Builder affiliates(Map<String, Affiliate> affiliates) {
      this.affiliates = affiliates;
      return this;
    }

    public Builder destinations(List<Destination> destinations) {
      this.destinations = destinations;
      return this;
    }

    public Builder postbackAuth(PostbackAuth postbackAuth) {
      this.postbackAuth = postbackAuth;
      return this;
    }

    public Builder postbackPayout(PostbackPayout postbackPayout) {
      this.postbackPayout = postbackPayout;
      return this;
    }

    public Campaign build() {
      return new Campaign(id, landingUrl, postbackToken, active, attributionWindow, minClickAge, currency,
          allowRepeatSales, transactionIdMeans, ipAllowlist, signingSecret, statusMap, payouts, affiliates,
          destinations, postbackAuth, postbackPayout);
    }
  }
}
