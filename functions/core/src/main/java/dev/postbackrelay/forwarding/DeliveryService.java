package dev.postbackrelay.forwarding;

import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.attribution.ConversionStore;
import dev.postbackrelay.attribution.Delivery;
import dev.postbackrelay.attribution.DeliveryAttempt;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.click.ClickStore;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.net.OutboundGuard;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs one delivery: relays one conversion state to one destination, at most once successfully.
 *
 * <p>Each run: a delivery that already succeeded is done; a failed one that is not yet due says
 * when it is; otherwise it claims the delivery (so two runs never call out at once), builds the
 * request for the destination's type, checks the target with the {@link OutboundGuard} on the
 * address actually connected to, sends it, and logs the attempt on the conversion. Failures are
 * retried on the {@link RetrySchedule}; a permanent failure (a forbidden target) or an exhausted
 * schedule is dead. Outcomes are values; only infrastructure failures (the store) throw.
 */
public final class DeliveryService {

  /** How long a claim holds off a second runner: longer than any one call can take. */
  static final Duration CLAIM = Duration.ofSeconds(60);
  static final String SKIPPED = "skipped: ";
  static final String FORBIDDEN = "forbidden_destination: ";

  private final ConversionStore conversions;
  private final ClickStore clicks;
  private final CampaignStore campaigns;
  private final Function<Destination.Type, RequestBuilder> builders;
  private final PostbackSender sender;
  private final OutboundGuard guard;
  private final RetrySchedule schedule;
  private final SecretResolver secrets;
  private final AccessTokens tokens;
  private final Clock clock;

  public DeliveryService(ConversionStore conversions, ClickStore clicks, CampaignStore campaigns,
      Function<Destination.Type, RequestBuilder> builders, PostbackSender sender, OutboundGuard guard,
      RetrySchedule schedule, Clock clock) {
    this(conversions, clicks, campaigns, builders, sender, guard, schedule, SecretResolver.literal(),
        AccessTokens.none(), clock);
  }

  public DeliveryService(ConversionStore conversions, ClickStore clicks, CampaignStore campaigns,
      Function<Destination.Type, RequestBuilder> builders, PostbackSender sender, OutboundGuard guard,
      RetrySchedule schedule, SecretResolver secrets, AccessTokens tokens, Clock clock) {
    this.secrets = secrets;
    this.tokens = tokens;
    this.conversions = conversions;
    this.clicks = clicks;
    this.campaigns = campaigns;
    this.builders = builders;
    this.sender = sender;
    this.guard = guard;
    this.schedule = schedule;
    this.clock = clock;
  }

  public DeliveryOutcome deliver(Delivery d) {
    Instant now = clock.instant();
    Conversion conversion = conversions.find(d.clickId(), d.conversionKey()).orElse(null);
    if (conversion == null) {
      return new DeliveryOutcome.Dead("conversion_not_found");
    }
    Campaign campaign = campaigns.find(conversion.campaignId()).orElse(null);
    Destination destination = campaign == null ? null : campaign.destination(d.destinationId()).orElse(null);
    if (destination == null) {
      return new DeliveryOutcome.Skipped("destination_removed");
    }
    if (conversion.deliveredFor(destination.id(), d.status())) {
      return new DeliveryOutcome.Delivered();
    }
    List<DeliveryAttempt> attempts = conversion.deliveries().stream()
        .filter(a -> a.target().equals(destination.id()) && a.status() == d.status())
        .filter(a -> d.replayedAt() == null || !a.at().isBefore(d.replayedAt()))
        .toList();
    if (attempts.stream().anyMatch(a -> a.error() != null && a.error().startsWith(SKIPPED))) {
      return new DeliveryOutcome.Skipped("already skipped");
    }
    if (!attempts.isEmpty()) {
      DeliveryAttempt last = attempts.get(attempts.size() - 1);
      var wait = schedule.delayAfter(attempts.size());
      if (wait.isEmpty()) {
        return new DeliveryOutcome.Dead("retries_exhausted: " + last.error());
      }
      Instant due = last.at().plus(wait.get());
      if (now.isBefore(due)) {
        return new DeliveryOutcome.RetryAfter(Duration.between(now, due));
      }
    }
    if (!conversions.claim(d.clickId(), d.conversionKey(), destination.id(), d.status(), now.plus(CLAIM), now)) {
      return new DeliveryOutcome.RetryAfter(CLAIM);
    }
    DeliveryAttempt attempt = attempt(d, destination, announced(conversion, d), click(conversion), now);
    conversions.recordDelivery(d.clickId(), d.conversionKey(), attempt);
    if (attempt.ok()) {
      return new DeliveryOutcome.Delivered();
    }
    if (attempt.error().startsWith(SKIPPED)) {
      return new DeliveryOutcome.Skipped(attempt.error().substring(SKIPPED.length()));
    }
    if (attempt.error().startsWith(FORBIDDEN)) {
      return new DeliveryOutcome.Dead(attempt.error());
    }
    return schedule.delayAfter(attempts.size() + 1)
        .<DeliveryOutcome>map(DeliveryOutcome.RetryAfter::new)
        .orElseGet(() -> new DeliveryOutcome.Dead("retries_exhausted: " + attempt.error()));
  }

  private DeliveryAttempt attempt(Delivery d, Destination destination, Conversion conversion, Click click, Instant now) {
    Destination resolved;
    try {
      resolved = withSecrets(destination);
    } catch (RuntimeException e) {
      // recorded and retried on the schedule: the secret may be created or readable later
      return new DeliveryAttempt(destination.id(), d.status(), now, 0, 0, "secret_unavailable");
    }
    if (needsAccessToken(resolved)) {
      try {
        Map<String, String> settings = new LinkedHashMap<>(resolved.settings());
        settings.put("access_token", tokens.accessToken(resolved));
        resolved = resolved.withSettings(settings);
      } catch (RuntimeException e) {
        return new DeliveryAttempt(destination.id(), d.status(), now, 0, 0, "token_unavailable");
      }
    }
    DeliveryPlan plan = builders.apply(destination.type())
        .plan(resolved, conversion, click, d.idempotencyKey(), now);
    if (plan instanceof DeliveryPlan.Skip skip) {
      return new DeliveryAttempt(destination.id(), d.status(), now, 0, 0, SKIPPED + skip.reason());
    }
    OutboundRequest request = ((DeliveryPlan.Send) plan).request();
    InetAddress address;
    try {
      address = guard.checkAndResolve(request.url());
    } catch (RejectedException e) {
      return new DeliveryAttempt(destination.id(), d.status(), now, 0, 0, FORBIDDEN + e.getMessage());
    } catch (OutboundGuard.UnresolvedHostException e) {
      return new DeliveryAttempt(destination.id(), d.status(), now, 0, 0, "dns_unresolved");
    }
    PostbackSender.Response response = sender.send(request, address);
    String error = response.error();
    if (error == null && destination.type() == Destination.Type.GOOGLE_ADS && response.body() != null
        && response.body().contains("\"partialFailureError\"")) {
      // partial-failure mode answers 200 and reports the refused conversion in the body
      String detail = response.body().replaceAll("\\s+", " ");
      return new DeliveryAttempt(destination.id(), d.status(), now, response.httpStatus(), response.latencyMillis(),
          "google_partial_failure: " + detail.substring(0, Math.min(200, detail.length())));
    }
    if (response.location() != null) {
      error = error + " (Location: " + response.location() + ")";
    }
    return new DeliveryAttempt(destination.id(), d.status(), now, response.httpStatus(), response.latencyMillis(), error);
  }

  /** A Google Ads destination configured with a refresh token rather than an access token. */
  private static boolean needsAccessToken(Destination d) {
    return d.type() == Destination.Type.GOOGLE_ADS && !d.settings().containsKey("access_token")
        && d.settings().containsKey("refresh_token");
  }

  /** The destination with its secret references resolved (signing secret and settings). */
  private Destination withSecrets(Destination d) {
    Map<String, String> settings = new LinkedHashMap<>(d.settings());
    settings.replaceAll((k, v) -> v == null ? null : secrets.resolve(v));
    return d.withSettings(settings)
        .withSigningSecret(d.signingSecret() == null ? null : secrets.resolve(d.signingSecret()));
  }

  /** The conversion as it was when this delivery was decided: the status it announces. */
  private static Conversion announced(Conversion c, Delivery d) {
    return c.status() == d.status() ? c : c.withStatus(d.status());
  }

  /** The click, or what the conversion remembers of it once the click itself has expired. */
  private Click click(Conversion c) {
    return clicks.find(c.clickId()).orElseGet(c::rememberedClick);
  }
}
