package dev.postbackrelay.doctor;

import dev.postbackrelay.attribution.AttributionService;
import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.attribution.ConversionStore;
import dev.postbackrelay.attribution.CustomerStore;
import dev.postbackrelay.attribution.Decision;
import dev.postbackrelay.attribution.Delivery;
import dev.postbackrelay.attribution.RateTable;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.click.ClickIds;
import dev.postbackrelay.click.ClickStore;
import dev.postbackrelay.common.Param;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.forwarding.DeliveryPreview;
import dev.postbackrelay.forwarding.DestinationType;
import dev.postbackrelay.common.Masking;
import dev.postbackrelay.net.OutboundGuard;
import dev.postbackrelay.postback.EdgeCheck;
import dev.postbackrelay.postback.InboundPostback;
import dev.postbackrelay.postback.Postback;
import dev.postbackrelay.postback.PostbackIds;
import dev.postbackrelay.postback.PostbackService;
import dev.postbackrelay.postback.SignatureReplayStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The dry run ("postback doctor"): takes a postback exactly as a network would send it and says
 * what the relay would do with it now, writing and sending nothing.
 *
 * <p>It runs the real services, not a description of them: {@link PostbackService} for the edge
 * (each {@link EdgeCheck} reported as it passes) and {@link AttributionService} for the decision,
 * both built on {@link DryStores}, which read the real stores and keep every write in memory; and
 * each destination's own {@link DestinationType} for the requests, through
 * {@link DeliveryPreview}, which sends nothing and reads no secret. So the dry run cannot disagree
 * with the real run about a rule: there is one copy of each. What it cannot foresee is what
 * changes between the two runs (a concurrent postback, the clock passing a window's end) and the
 * destination's answer.
 *
 * <p>Cost: the reads the real run makes (the campaign, the click, the conversion, a customer
 * binding, and, for a signed postback, one read of its replay record instead of the claim).
 */
public final class PostbackDoctor {

  private static final Set<String> READ = Param.reserved(Param.Route.POSTBACK);

  private final CampaignStore campaigns;
  private final ClickStore clicks;
  private final ConversionStore conversions;
  private final CustomerStore customers;
  private final DryStores.Replays replays;
  private final ClickIds clickIds;
  private final RateTable rates;
  private final Function<Destination.Type, DestinationType> types;
  private final OutboundGuard guard;
  private final PostbackIds postbackIds = new PostbackIds();
  private final Clock clock;

  public PostbackDoctor(CampaignStore campaigns, ClickStore clicks, ConversionStore conversions,
      CustomerStore customers, SignatureReplayStore replays, ClickIds clickIds,
      RateTable rates, Function<Destination.Type, DestinationType> types, OutboundGuard guard, Clock clock) {
    this.campaigns = campaigns;
    this.clicks = clicks;
    this.conversions = conversions;
    this.customers = customers;
    this.replays = new DryStores.Replays(replays);
    this.clickIds = clickIds;
    this.rates = rates;
    this.types = types;
    this.guard = guard;
    this.clock = clock;
  }

  /** What the relay would do with {@code in} if it arrived now. */
  public DryRun examine(InboundPostback in) {
    List<DryRun.FieldRead> fields = fields(in);
    List<String> extra = in.params().asMap().keySet().stream().filter(name -> !READ.contains(name)).toList();
    List<DryRun.CheckResult> checks = new ArrayList<>();
    DryStores.Queued queued = new DryStores.Queued();
    DryStores.Conversions dryConversions = new DryStores.Conversions(conversions);
    PostbackService edge = new PostbackService(campaigns, clicks, dryConversions, clickIds, queued, replays,
        postbackIds, clock);
    try {
      edge.accept(in, (check, applied, detail) -> checks.add(new DryRun.CheckResult(check,
          applied ? DryRun.Result.PASSED : DryRun.Result.NOT_APPLICABLE, detail)));
    } catch (RejectedException e) {
      EdgeCheck[] all = EdgeCheck.values();
      int failed = checks.size(); // every check before it reported; it threw
      for (int i = failed; i < all.length; i++) {
        checks.add(new DryRun.CheckResult(all[i], i == failed ? DryRun.Result.FAILED : DryRun.Result.NOT_REACHED,
            i == failed ? e.reason().code() + ": " + e.getMessage() : null));
      }
      return new DryRun(fields, extra, checks, refusal(e), null, null, List.of());
    }
    Postback postback = queued.postback;
    DryStores.Deliveries deliveries = new DryStores.Deliveries();
    DryStores.Log log = new DryStores.Log();
    AttributionService attribution = new AttributionService(clicks, campaigns, dryConversions,
        new DryStores.Customers(customers), log, deliveries, rates, clock);
    Facts facts = facts(postback);
    AttributionService.Attempt attempt = attribution.attributeBatch(List.of(postback)).get(postback.postbackId());
    if (attempt instanceof AttributionService.Attempt.Retry retry) {
      throw retry.cause(); // a store failed: the real run would retry; the dry run says so as an error
    }
    Decision decision = ((AttributionService.Attempt.Finished) attempt).result().decision();
    List<Conversion> written = dryConversions.written();
    Conversion booked = written.isEmpty() ? null : written.get(written.size() - 1);
    List<DeliveryPreview> previews = new ArrayList<>();
    Instant now = clock.instant();
    for (Delivery d : deliveries.queued) {
      Conversion conversion = dryConversions.find(d.clickId(), d.conversionKey()).orElseThrow();
      Campaign campaign = campaigns.find(conversion.campaignId()).orElseThrow();
      Destination destination = campaign.destination(d.destinationId()).orElseThrow();
      Click click = clicks.find(conversion.clickId()).orElseGet(conversion::rememberedClick);
      previews.add(DeliveryPreview.of(d, conversion, click, destination, types.apply(destination.type()), guard, now));
    }
    return new DryRun(fields, extra, checks, null, postback,
        new DryRun.Attribution(decision, facts.click(), facts.lifetime(), facts.existing(), booked), previews);
  }

  /**
   * The dry run of a postback the edge could not even read (a broken {@code %} escape, an
   * unsupported body): refused before any check.
   */
  public static DryRun unreadable(RejectedException e) {
    List<DryRun.CheckResult> checks = new ArrayList<>();
    for (EdgeCheck check : EdgeCheck.values()) {
      checks.add(new DryRun.CheckResult(check, DryRun.Result.NOT_REACHED, null));
    }
    return new DryRun(List.of(), List.of(), checks, refusal(e), null, null, List.of());
  }

  private static DryRun.Refusal refusal(RejectedException e) {
    return new DryRun.Refusal(e.reason(), e.reason().httpStatus(), e.getMessage(), e.parameter());
  }

  /** Every field the postback fills, with the name it used, credentials masked. */
  private static List<DryRun.FieldRead> fields(InboundPostback in) {
    List<DryRun.FieldRead> fields = new ArrayList<>();
    for (Param param : Param.values()) {
      if (param.readBy(Param.Route.POSTBACK)) {
        in.params().firstNamed(param).ifPresent(e -> fields.add(new DryRun.FieldRead(param.canonical(), e.getKey(),
            Masking.value(e.getKey(), e.getValue(), Param.MAX_VALUE))));
      }
    }
    return fields;
  }

  private record Facts(DryRun.ClickFacts click, boolean lifetime, Conversion existing) {}

  /**
   * The click and conversion attribution will find for {@code p}, read before it runs: the same
   * reads it makes, to say why it decides what it decides.
   */
  private Facts facts(Postback p) {
    boolean lifetime = false;
    String clickId = p.clickId();
    if (clickId == null) {
      Optional<String> bound = customers.boundClick(p.campaignId(), p.customerId());
      if (bound.isEmpty()) {
        return new Facts(null, false, null);
      }
      clickId = bound.get();
      lifetime = true;
    }
    Optional<Click> live = clicks.find(clickId);
    String event = p.event();
    String id = clickId;
    Click click = live.orElseGet(() -> {
      List<Conversion> known = conversions.findByClick(id); // as attribution remembers an expired click
      return known.stream().filter(c -> c.event().equals(event)).findFirst().or(() -> known.stream().findFirst())
          .map(Conversion::rememberedClick).orElse(null);
    });
    if (click == null) {
      return new Facts(null, lifetime, null);
    }
    Campaign campaign = campaigns.find(click.campaignId()).orElse(null);
    Conversion existing = campaign == null ? null
        : conversions.find(click.clickId(), Conversion.key(p.event(), p.txid(), campaign.allowRepeatSales()))
            .orElse(null);
    DryRun.ClickFacts facts = new DryRun.ClickFacts(click.clickId(), click.campaignId(), click.affiliateId(),
        click.createdAt(), live.isEmpty(), Duration.between(click.createdAt(), p.receivedAt()),
        campaign == null ? null : campaign.attributionWindow(), campaign == null ? null : campaign.minClickAge());
    return new Facts(facts, lifetime, existing);
  }
}
