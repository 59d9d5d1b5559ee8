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
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs one delivery: relays one conversion state to one destination, at most once successfully.
 *
 * <p>Each run: a delivery that already succeeded is done; a failed one that is not yet due says
 * when it is; otherwise it claims the delivery (so two runs never call out at once), builds the
 * request for the destination's type, checks the target with the {@link OutboundGuard} on the
 * address actually connected to, sends it, lets the type read the answer, and logs the attempt on
 * the conversion. A run killed after calling out and before recording leaves its claim: once it
 * expires the next run calls again, with the same {@code Idempotency-Key}, and logs that attempt as
 * a possible repeat. What follows a failure is its {@link DeliveryError.Disposition}: retried on the
 * {@link RetrySchedule}, dead at once (a forbidden target; also an exhausted schedule), or skipped
 * for good. The service knows no destination type by name: each {@link DestinationType} builds,
 * reads and obtains its credentials. Outcomes are values; only infrastructure failures (the store)
 * throw.
 */
public final class DeliveryService {

  /** How long a claim holds off a second runner by default: longer than any one call can take. */
  public static final Duration CLAIM = Duration.ofSeconds(60);

  private final ConversionStore conversions;
  private final ClickStore clicks;
  private final CampaignStore campaigns;
  private final Function<Destination.Type, DestinationType> types;
  private final PostbackSender sender;
  private final OutboundGuard guard;
  private final RetrySchedule schedule;
  private final SecretResolver secrets;
  private final AccessTokens tokens;
  private final DeliveryLog log;
  private final Duration claim;
  private final Clock clock;

  public DeliveryService(ConversionStore conversions, ClickStore clicks, CampaignStore campaigns,
      Function<Destination.Type, DestinationType> types, PostbackSender sender, OutboundGuard guard,
      RetrySchedule schedule, Clock clock) {
    this(conversions, clicks, campaigns, types, sender, guard, schedule, SecretResolver.literal(),
        AccessTokens.none(), clock);
  }

  public DeliveryService(ConversionStore conversions, ClickStore clicks, CampaignStore campaigns,
      Function<Destination.Type, DestinationType> types, PostbackSender sender, OutboundGuard guard,
      RetrySchedule schedule, SecretResolver secrets, AccessTokens tokens, Clock clock) {
    this(conversions, clicks, campaigns, types, sender, guard, schedule, secrets, tokens, null, clock);
  }

  /** @param log the sent-postbacks log, one entry per attempt; null keeps none (tests that do not read it) */
  public DeliveryService(ConversionStore conversions, ClickStore clicks, CampaignStore campaigns,
      Function<Destination.Type, DestinationType> types, PostbackSender sender, OutboundGuard guard,
      RetrySchedule schedule, SecretResolver secrets, AccessTokens tokens, DeliveryLog log, Clock clock) {
    this(conversions, clicks, campaigns, types, sender, guard, schedule, secrets, tokens, log, CLAIM, clock);
  }

  /**
   * @param claim how long a run's claim holds off another run of the same delivery: longer than one
   *     attempt can take (connect and read time-outs); a run killed after calling out is repeated
   *     once it has expired
   */
  public DeliveryService(ConversionStore conversions, ClickStore clicks, CampaignStore campaigns,
      Function<Destination.Type, DestinationType> types, PostbackSender sender, OutboundGuard guard,
      RetrySchedule schedule, SecretResolver secrets, AccessTokens tokens, DeliveryLog log, Duration claim,
      Clock clock) {
    this.log = log;
    this.claim = claim;
    this.secrets = secrets;
    this.tokens = tokens;
    this.conversions = conversions;
    this.clicks = clicks;
    this.campaigns = campaigns;
    this.types = types;
    this.sender = sender;
    this.guard = guard;
    this.schedule = schedule;
    this.clock = clock;
  }

  public DeliveryOutcome deliver(Delivery d) {
    Instant now = clock.instant();
    Conversion conversion = conversions.find(d.clickId(), d.conversionKey()).orElse(null);
    if (conversion == null) {
      return new DeliveryOutcome.Dead(DeliveryError.CONVERSION_NOT_FOUND.failure());
    }
    Campaign campaign = campaigns.find(conversion.campaignId()).orElse(null);
    Destination destination = campaign == null ? null : campaign.destination(d.destinationId()).orElse(null);
    if (destination == null) {
      return new DeliveryOutcome.Skipped(DeliveryError.DESTINATION_REMOVED.failure());
    }
    if (conversion.deliveredFor(destination.id(), d.status())) {
      return new DeliveryOutcome.Delivered();
    }
    DestinationType type = types.apply(destination.type());
    List<DeliveryAttempt> attempts = conversion.deliveries().stream()
        .filter(a -> a.target().equals(destination.id()) && a.status() == d.status())
        .filter(a -> d.replayedAt() == null || !a.at().isBefore(d.replayedAt()))
        .toList();
    Optional<DeliveryFailure> skipped = attempts.stream()
        .flatMap(a -> DeliveryFailure.parse(a.error()).stream())
        .filter(f -> f.disposition() == DeliveryError.Disposition.SKIP)
        .findFirst();
    if (skipped.isPresent()) {
      return new DeliveryOutcome.Skipped(skipped.get());
    }
    if (!attempts.isEmpty()) {
      DeliveryAttempt last = attempts.get(attempts.size() - 1);
      var wait = schedule.delayAfter(attempts.size());
      if (wait.isEmpty()) {
        return new DeliveryOutcome.Dead(DeliveryError.RETRIES_EXHAUSTED.with(last.error()));
      }
      Instant due = last.at().plus(wait.get());
      if (now.isBefore(due)) {
        return new DeliveryOutcome.RetryAfter(Duration.between(now, due));
      }
    }
    ConversionStore.Claim claimed = conversions.claimAt(d.clickId(), d.conversionKey(), destination.id(), d.status(),
        now.plus(claim), now);
    if (claimed == ConversionStore.Claim.HELD) {
      return new DeliveryOutcome.RetryAfter(claim);
    }
    Click click = type.readsTheClick() ? click(conversion) : conversion.rememberedClick();
    Attempt attempt = attempt(d, type, destination, announced(conversion, d), click, now);
    conversions.recordDelivery(d.clickId(), d.conversionKey(), attempt.logged());
    DeliveryOutcome outcome;
    if (attempt.failure() == null) {
      outcome = new DeliveryOutcome.Delivered();
    } else {
      outcome = switch (attempt.failure().disposition()) {
        case SKIP -> new DeliveryOutcome.Skipped(attempt.failure());
        case DEAD -> new DeliveryOutcome.Dead(attempt.failure());
        case RETRY -> schedule.delayAfter(attempts.size() + 1)
            .<DeliveryOutcome>map(DeliveryOutcome.RetryAfter::new)
            .orElseGet(() -> new DeliveryOutcome.Dead(DeliveryError.RETRIES_EXHAUSTED.with(attempt.logged().error())));
      };
    }
    if (log != null) {
      log.record(DeliveryLogs.entry(d, conversion, type, attempt.sent(), attempt.logged(), attempt.failure(), outcome,
          attempts.size() + 1, claimed == ConversionStore.Claim.RETAKEN, now));
    }
    return outcome;
  }

  /**
   * One attempt: as logged on the conversion, its failure (null when delivered), and what was sent
   * and answered (null when nothing was sent).
   */
  private record Attempt(DeliveryAttempt logged, DeliveryFailure failure, DeliveryLogs.Sent sent) {

    static Attempt unsent(Delivery d, Destination destination, Instant now, DeliveryFailure failure) {
      return new Attempt(new DeliveryAttempt(destination.id(), d.status(), now, 0, 0, failure.recorded()), failure,
          null);
    }
  }

  private Attempt attempt(Delivery d, DestinationType type, Destination destination, Conversion conversion,
      Click click, Instant now) {
    Destination resolved;
    try {
      resolved = withSecrets(destination);
    } catch (RuntimeException e) {
      // recorded and retried on the schedule: the secret may be created or readable later
      return Attempt.unsent(d, destination, now, DeliveryError.SECRET_UNAVAILABLE.failure());
    }
    try {
      resolved = type.withCredentials(resolved, tokens);
    } catch (RuntimeException e) {
      return Attempt.unsent(d, destination, now, DeliveryError.TOKEN_UNAVAILABLE.failure());
    }
    DeliveryPlan plan = type.plan(resolved, conversion, click, d.idempotencyKey(), now);
    if (plan instanceof DeliveryPlan.Skip skip) {
      return Attempt.unsent(d, destination, now, skip.failure());
    }
    OutboundRequest request = ((DeliveryPlan.Send) plan).request();
    InetAddress address;
    try {
      address = guard.checkAndResolve(request.url());
    } catch (RejectedException e) {
      return Attempt.unsent(d, destination, now, DeliveryError.FORBIDDEN_DESTINATION.with(e.getMessage()));
    } catch (OutboundGuard.UnresolvedHostException e) {
      return Attempt.unsent(d, destination, now, DeliveryError.DNS_UNRESOLVED.failure());
    }
    PostbackSender.Response response = sender.send(request, address);
    DeliveryFailure failure = type.readResponse(response).orElse(null);
    return new Attempt(new DeliveryAttempt(destination.id(), d.status(), now, response.httpStatus(),
        response.latencyMillis(), failure == null ? null : failure.recorded()), failure,
        new DeliveryLogs.Sent(request, response, DeliveryLogs.secretValues(type, resolved)));
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
