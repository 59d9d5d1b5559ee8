package dev.postbackrelay.attribution;

import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.campaign.Payout;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.click.ClickStore;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.postback.Postback;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Attributes queued postbacks to clicks and counts each conversion once.
 *
 * <p>A new conversion without a status is approved: a postback is the advertiser's confirmation,
 * and networks that hold conversions say so ({@code status=lead}, {@code hold}, {@code pending}).
 *
 * <p>A postback's own {@code payout} replaces the campaign's payout rule only where the campaign's
 * {@code postback_payout} allows (by default: the postback was authenticated); otherwise the rule
 * applies and the conversion's {@code payoutNote} says why.
 *
 * <p>Rules, in order: the click must exist; the postback's campaign must be the click's (a
 * mismatch is recorded under the postback id only: nothing is written keyed by that click); a new
 * conversion must come within the campaign's window and no sooner than its minimum click age;
 * then a conditional write creates the conversion, or finds the existing one, which makes the
 * postback a duplicate, a repeat sale the campaign refuses, or a status change along the allowed
 * transitions. Created conversions and accepted status changes are forwarded.
 *
 * <p>Re-delivery of the same queue message is safe: a conversion created or changed by this very
 * postback is recognised by its history, and only the deliveries still missing are made.
 *
 * <p>A batch shares its requests: its clicks are read in one round trip, the deliveries of all its
 * postbacks go onto the delivery queue together (as few {@code SendMessageBatch} calls as the
 * 10-entry limit allows), then its decisions onto the postback log together. A postback is
 * finished only once both hold for it; when either fails, it is retried, and the retry finds its
 * own conversion by its history and queues and records again (both are idempotent).
 */
public final class AttributionService {

  private static final System.Logger LOG = System.getLogger(AttributionService.class.getName());

  /** What happened to one postback: its decision, and the deliveries it queued. */
  public record Result(Decision decision, List<Delivery> queued) {

    static Result of(Decision decision) {
      return new Result(decision, List.of());
    }
  }

  private final ClickStore clicks;
  private final CampaignStore campaigns;
  private final ConversionStore conversions;
  private final CustomerStore customers;
  private final PostbackLog log;
  private final DeliveryQueue deliveries;
  private final RateTable rates;
  private final Clock clock;

  public AttributionService(ClickStore clicks, CampaignStore campaigns, ConversionStore conversions,
      CustomerStore customers, PostbackLog log, DeliveryQueue deliveries, RateTable rates, Clock clock) {
    this.clicks = clicks;
    this.campaigns = campaigns;
    this.conversions = conversions;
    this.customers = customers;
    this.log = log;
    this.deliveries = deliveries;
    this.rates = rates;
    this.clock = clock;
  }

  /** What became of one postback of a batch: finished with its {@link Result}, or to be retried. */
  public sealed interface Attempt {

    /** Decided and recorded; the deliveries it owes are queued. The message is done with. */
    record Finished(Result result) implements Attempt {}

    /**
     * Not finished: a store or queue failed part-way ({@code cause}). Its decision may or may not
     * be on the postback log (a batch records together); its message must come again, and the
     * retry makes only what is missing and records the same decision again.
     */
    record Retry(RuntimeException cause) implements Attempt {}
  }

  /**
   * Attributes a batch, reading all its clicks in one round trip: every postback of the batch, by
   * its id, {@link Attempt.Finished} or {@link Attempt.Retry}.
   */
  public Map<String, Attempt> attributeBatch(List<Postback> batch) {
    List<Postback> resolved = new ArrayList<>(batch.size());
    Set<String> lifetime = new HashSet<>();
    Map<String, Attempt> results = new LinkedHashMap<>();
    Pending pending = new Pending();
    for (Postback p : batch) {
      if (p.clickId() != null) {
        resolved.add(p);
        continue;
      }
      try {
        Optional<String> bound = customers.boundClick(p.campaignId(), p.customerId());
        if (bound.isPresent()) {
          resolved.add(p.withClickId(bound.get()));
          lifetime.add(p.postbackId());
        } else {
          results.put(p.postbackId(),
              new Attempt.Finished(Result.of(pending.record(p, Decision.rejected(Reason.UNKNOWN_CUSTOMER)))));
        }
      } catch (RuntimeException e) {
        results.put(p.postbackId(), retry(p, e));
      }
    }
    Set<String> ids = resolved.stream().map(Postback::clickId).collect(Collectors.toSet());
    Map<String, Click> found = ids.isEmpty() ? Map.of() : clicks.findAll(ids);
    Map<String, Campaign> campaignCache = new HashMap<>();
    for (Postback p : resolved) {
      try {
        results.put(p.postbackId(), new Attempt.Finished(
            attribute(p, found.get(p.clickId()), campaignCache, lifetime.contains(p.postbackId()), pending)));
      } catch (RuntimeException e) {
        pending.forget(p);
        results.put(p.postbackId(), retry(p, e));
      }
    }
    pending.flush(results, batch);
    return results;
  }

  /**
   * What the batch's finished postbacks still owe before they are done: their deliveries, queued
   * together, then their decisions, recorded together, in that order (a decision on the log means
   * its deliveries are queued).
   */
  private final class Pending {

    private final Map<String, List<Delivery>> deliveries = new LinkedHashMap<>();
    private final Map<String, PostbackRecord> records = new LinkedHashMap<>();

    Decision record(Postback p, Decision decision) {
      records.put(p.postbackId(), new PostbackRecord(p, decision, clock.instant()));
      return decision;
    }

    void queue(Postback p, List<Delivery> queued) {
      if (!queued.isEmpty()) {
        deliveries.computeIfAbsent(p.postbackId(), k -> new ArrayList<>()).addAll(queued);
      }
    }

    void forget(Postback p) {
      deliveries.remove(p.postbackId());
      records.remove(p.postbackId());
    }

    /** Queues, then records; a postback whose share failed becomes a {@link Attempt.Retry}. */
    void flush(Map<String, Attempt> results, List<Postback> batch) {
      Map<String, Postback> byId = new HashMap<>();
      batch.forEach(p -> byId.put(p.postbackId(), p));
      if (!deliveries.isEmpty()) {
        try {
          AttributionService.this.deliveries.send(deliveries.values().stream().flatMap(List::stream).toList());
        } catch (RuntimeException e) {
          deliveries.keySet().forEach(id -> {
            records.remove(id);
            results.put(id, retry(byId.get(id), e));
          });
        }
      }
      if (!records.isEmpty()) {
        try {
          log.recordAll(List.copyOf(records.values()));
        } catch (RuntimeException e) {
          records.keySet().forEach(id -> results.put(id, retry(byId.get(id), e)));
        }
      }
    }
  }

  /** The finished postbacks of {@link #attributeBatch}, by id; one to be retried is absent. */
  public Map<String, Result> attributeAll(List<Postback> batch) {
    Map<String, Result> finished = new LinkedHashMap<>();
    attributeBatch(batch).forEach((id, attempt) -> {
      if (attempt instanceof Attempt.Finished f) {
        finished.put(id, f.result());
      }
    });
    return finished;
  }

  private static Attempt retry(Postback p, RuntimeException e) {
    LOG.log(System.Logger.Level.WARNING, "postback " + p.postbackId() + " not attributed; it will be retried", e);
    return new Attempt.Retry(e);
  }

  /**
   * @param lifetime the click was found through a customer binding: the customer belongs to the
   *     affiliate for good, so the click's window and minimum age do not apply
   */
  private Result attribute(Postback p, Click click, Map<String, Campaign> campaignCache, boolean lifetime,
      Pending pending) {
    boolean remembered = false;
    if (click == null) {
      click = rememberedClick(p);
      remembered = click != null;
      if (click == null) {
        return Result.of(pending.record(p, Decision.rejected(Reason.UNKNOWN_CLICK)));
      }
    }
    if (p.campaignId() != null && !p.campaignId().equals(click.campaignId())) {
      return Result.of(pending.record(p, Decision.rejected(Reason.CAMPAIGN_MISMATCH)));
    }
    Campaign campaign = campaignCache.computeIfAbsent(click.campaignId(), id -> campaigns.find(id).orElse(null));
    if (campaign == null) {
      return Result.of(pending.record(p, Decision.rejected(Reason.UNKNOWN_CAMPAIGN)));
    }
    String key = Conversion.key(p.event(), p.txid(), campaign.allowRepeatSales());
    String conversionRef = click.clickId() + "/" + key;

    Duration age = Duration.between(click.createdAt(), p.receivedAt());
    Reason timing = lifetime ? null
        : remembered ? Reason.CLICK_EXPIRED // an expired click still takes status changes, never new conversions
        : age.compareTo(campaign.attributionWindow()) > 0 ? Reason.CLICK_EXPIRED
        : age.compareTo(campaign.minClickAge()) < 0 ? Reason.TOO_FAST : null;

    Conversion candidate = newConversion(p, click, campaign);
    Optional<Conversion> existing = timing == null
        ? conversions.createIfAbsent(key, candidate)
        : conversions.find(click.clickId(), key); // a late status update of an existing conversion is fine
    if (existing.isEmpty()) {
      if (timing != null) {
        return Result.of(pending.record(p, Decision.rejected(timing)));
      }
      if (p.newCustomer() && p.customerId() != null) {
        customers.bind(campaign.id(), p.customerId(), click.clickId());
      }
      Decision decision = new Decision(Decision.Outcome.ATTRIBUTED, null, conversionRef);
      List<Delivery> queued = enqueue(key, candidate, campaign, Destination.Trigger.CREATED);
      pending.queue(p, queued);
      pending.record(p, decision);
      return new Result(decision, queued);
    }
    return onExisting(p, existing.get(), key, conversionRef, click, campaign, pending);
  }

  private Result onExisting(Postback p, Conversion current, String key, String ref, Click click, Campaign campaign,
      Pending pending) {
    if (current.touchedBy(p.postbackId())) {
      // this very message was processed before: finish its deliveries, change nothing else
      boolean created = current.postbackId().equals(p.postbackId());
      if (created && p.newCustomer() && p.customerId() != null) {
        customers.bind(campaign.id(), p.customerId(), click.clickId()); // idempotent: the first binding stands
      }
      Decision decision = new Decision(created ? Decision.Outcome.ATTRIBUTED : Decision.Outcome.STATUS_UPDATED, null, ref);
      // queue again what this postback queued then (its own status, not the current one): a
      // delivery already made or under way is never repeated
      StatusChange own = current.history().stream().filter(h -> h.postbackId().equals(p.postbackId()))
          .reduce((first, second) -> second).orElseThrow();
      List<Delivery> queued = enqueue(key, withStatus(current, own.to()), campaign,
          own.from() == null ? Destination.Trigger.CREATED : Destination.Trigger.STATUS_CHANGE);
      pending.queue(p, queued);
      pending.record(p, decision);
      return new Result(decision, queued);
    }
    if (!current.txid().equals(p.txid())) {
      return Result.of(pending.record(p, new Decision(Decision.Outcome.REJECTED, Reason.REPEAT_NOT_ALLOWED, ref)));
    }
    if (p.status() == null || p.status() == current.status()) {
      return Result.of(pending.record(p, new Decision(Decision.Outcome.DUPLICATE, Reason.DUPLICATE, ref)));
    }
    if (!current.status().canBecome(p.status())) {
      return Result.of(pending.record(p,
          new Decision(Decision.Outcome.REJECTED, Reason.INVALID_STATUS_TRANSITION, ref)));
    }
    StatusChange change = new StatusChange(current.status(), p.status(), p.receivedAt(), p.postbackId());
    if (!conversions.transition(click.clickId(), key, change)) {
      throw new IllegalStateException("conversion " + ref + " changed status concurrently; retrying");
    }
    Conversion updated = withStatus(current, p.status());
    Decision decision = new Decision(Decision.Outcome.STATUS_UPDATED, null, ref);
    List<Delivery> queued = enqueue(key, updated, campaign, Destination.Trigger.STATUS_CHANGE);
    pending.queue(p, queued);
    pending.record(p, decision);
    return new Result(decision, queued);
  }

  private static Conversion withStatus(Conversion c, ConversionStatus status) {
    return c.withStatus(status);
  }

  /**
   * The click as its conversion remembers it, once the click itself has expired from the store
   * (status changes often come months after the click): only for updating that conversion.
   */
  private Click rememberedClick(Postback p) {
    if (p.clickId() == null) {
      return null;
    }
    List<Conversion> known = conversions.findByClick(p.clickId());
    return known.stream().filter(c -> c.event().equals(p.event())).findFirst()
        .or(() -> known.stream().findFirst()) // a lifetime customer's new event on a purged click
        .map(Conversion::rememberedClick)
        .orElse(null);
  }

  /** The deliveries owed: one per destination that fires for this conversion state and trigger. */
  private static List<Delivery> enqueue(String key, Conversion c, Campaign campaign, Destination.Trigger trigger) {
    return campaign.allDestinations().stream()
        .filter(d -> d.fires(c.affiliateId(), c.event(), c.status(), trigger))
        .map(d -> new Delivery(c.clickId(), key, d.id(), c.status(), null))
        .toList();
  }

  private Conversion newConversion(Postback p, Click click, Campaign campaign) {
    // a postback without a status is the advertiser confirming the conversion
    ConversionStatus status = p.status() == null ? ConversionStatus.APPROVED : p.status();
    String currency = p.currency() == null ? campaign.currency() : p.currency();
    Optional<BigDecimal> rate = p.conversionRate() != null ? Optional.of(p.conversionRate())
        : rates.rate(currency, campaign.currency());
    BigDecimal payout;
    String payoutCurrency = campaign.currency();
    Payout rule = campaign.payouts().getOrDefault(p.event(), campaign.payouts().get("*"));
    String payoutNote = p.payout() == null || payoutMayBeSetBy(p, campaign) ? null
        : "payout_ignored: the postback sent payout " + p.payout().toPlainString() + " but "
            + (campaign.postbackPayout() == Campaign.PostbackPayout.NEVER
                ? "the campaign's postback_payout is never" : "it was not authenticated (postback_payout: authenticated)")
            + "; the campaign's payout rule applies";
    if (p.payout() != null && payoutNote == null) {
      if (rate.isPresent()) {
        payout = scale(p.payout().multiply(rate.get()));
      } else {
        payout = p.payout();
        payoutCurrency = currency;
      }
    } else if (rule != null && rule.type() == Payout.Type.FIXED) {
      payout = rule.value();
    } else if (rule != null && p.amount() != null && rate.isPresent()) {
      payout = scale(rule.commissionFor(p.amount().multiply(rate.get())));
    } else if (rule != null && p.amount() != null) {
      payout = scale(rule.commissionFor(p.amount()));
      payoutCurrency = currency;
    } else {
      payout = BigDecimal.ZERO;
    }
    BigDecimal revenue = p.amount() == null ? null : rate.map(r -> scale(p.amount().multiply(r))).orElse(p.amount());
    String revenueCurrency = p.amount() == null ? null : rate.isPresent() ? campaign.currency() : currency;
    Map<String, String> extra = new LinkedHashMap<>(click.extra());
    extra.putAll(p.extra());
    // the click's sub ids win over a postback's parameter of the same name: they are the affiliate's,
    // and kept on the conversion, deliveries read them there (they outlive the click)
    extra.putAll(click.subs());
    if (p.customerId() != null) {
      extra.put("customer_id", p.customerId());
    }
    return Conversion.builder().clickId(click.clickId()).event(p.event()).txid(p.txid()).campaignId(campaign.id())
        .affiliateId(click.affiliateId()).status(status).amount(p.amount()).currency(currency).payout(payout)
        .payoutCurrency(payoutCurrency).createdAt(p.receivedAt()).postbackId(p.postbackId()).extra(extra)
        .history(List.of(new StatusChange(null, status, p.receivedAt(), p.postbackId()))).payoutNote(payoutNote)
        .revenue(revenue).revenueCurrency(revenueCurrency).build();
  }

  /**
   * Whether a postback's own {@code payout} may replace the campaign's rule: as the campaign's
   * {@code postback_payout} says; by default only for a postback that proved a credential, since
   * anyone who saw a click id could otherwise name any payout.
   */
  static boolean payoutMayBeSetBy(Postback p, Campaign campaign) {
    return switch (campaign.postbackPayout()) {
      case ALWAYS -> true;
      case NEVER -> false;
      case AUTHENTICATED -> p.authenticated();
    };
  }

  private static BigDecimal scale(BigDecimal value) {
    return value.setScale(4, RoundingMode.HALF_UP).stripTrailingZeros();
  }
}
