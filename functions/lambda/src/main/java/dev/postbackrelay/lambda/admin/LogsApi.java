package dev.postbackrelay.lambda.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.attribution.ConversionQuery;
import dev.postbackrelay.attribution.ConversionStore;
import dev.postbackrelay.attribution.DeliveryAttempt;
import dev.postbackrelay.attribution.PostbackRecord;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.click.ClickQuery;
import dev.postbackrelay.click.ClickStore;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.common.Page;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.common.TimeRange;
import dev.postbackrelay.forwarding.DeliveryLog;
import dev.postbackrelay.forwarding.DeliveryLogEntry;
import dev.postbackrelay.forwarding.DeliveryQuery;
import dev.postbackrelay.lambda.http.HttpResponses;
import dev.postbackrelay.lambda.queue.SqsDeliveryQueue;
import dev.postbackrelay.common.Masking;
import dev.postbackrelay.logs.ReceivedEntry;
import dev.postbackrelay.logs.ReceivedLog;
import dev.postbackrelay.logs.ReceivedQuery;
import dev.postbackrelay.logs.RefusedPostback;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The operator's logs: {@code GET /admin/postbacks}, every postback that reached the relay with its fate. */
@ApplicationScoped
public class LogsApi {

  private static final Set<String> POSTBACK_FILTERS = Set.of("campaign_id", "source_ip", "click_id", "decision",
      "reason", "txid");

  @Inject
  ReceivedLog received;

  public ObjectNode listPostbacks(List<Map.Entry<String, String>> query) {
    ListParams p = new ListParams(query, POSTBACK_FILTERS);
    Page<ReceivedEntry> page = received.list(new ReceivedQuery(p.get("campaign_id"), p.get("source_ip"),
        p.get("click_id"), p.from(), p.to(), p.get("decision"), p.get("reason"), p.get("txid"), p.limit(), p.next()));
    ObjectNode n = HttpResponses.object();
    ArrayNode items = n.putArray("items");
    page.items().forEach(e -> items.add(view(e)));
    n.put("next", page.next());
    return n;
  }

  private static final Set<String> CLICK_FILTERS = Set.of("campaign_id", "affiliate_id");
  private static final Set<String> CONVERSION_FILTERS = Set.of("campaign_id", "affiliate_id", "status", "event");

  @Inject
  ClickStore clicks;
  @Inject
  ConversionStore conversions;

  /** {@code GET /admin/clicks}: one campaign's clicks, newest first (no address, user agent or referer). */
  public ObjectNode listClicks(List<Map.Entry<String, String>> query) {
    ListParams p = new ListParams(query, CLICK_FILTERS);
    Page<Click> page = clicks.list(new ClickQuery(p.get("campaign_id"), p.get("affiliate_id"),
        new TimeRange(p.from(), p.to()), p.limit(), p.next()));
    ObjectNode n = HttpResponses.object();
    ArrayNode items = n.putArray("items");
    for (Click c : page.items()) {
      ObjectNode i = items.addObject().put("click_id", c.clickId()).put("campaign_id", c.campaignId())
          .put("affiliate_id", c.affiliateId()).put("created_at", c.createdAt().toString()).put("country", c.country());
      c.subs().forEach(i.putObject("subs")::put);
      c.platformIds().keySet().forEach(i.putArray("platform_ids")::add);
    }
    n.put("next", page.next());
    return n;
  }

  /** {@code GET /admin/conversions}: one campaign's conversions, newest first by when they were counted. */
  public ObjectNode listConversions(List<Map.Entry<String, String>> query) {
    ListParams p = new ListParams(query, CONVERSION_FILTERS);
    String status = p.get("status");
    ConversionStatus wanted = null;
    if (status != null) {
      wanted = Arrays.stream(ConversionStatus.values()).filter(s -> s.code().equals(status)).findFirst()
          .orElseThrow(() -> new RejectedException(Reason.INVALID_PARAMETER,
              "status must be pending, approved, rejected or chargeback.", "status", null));
    }
    Page<Conversion> page = conversions.list(new ConversionQuery(p.get("campaign_id"), p.get("affiliate_id"), wanted,
        p.get("event"), new TimeRange(p.from(), p.to()), p.limit(), p.next()));
    ObjectNode n = HttpResponses.object();
    ArrayNode items = n.putArray("items");
    for (Conversion c : page.items()) {
      ObjectNode i = HttpResponses.object().put("click_id", c.clickId()).put("campaign_id", c.campaignId());
      i.setAll(AdminApi.view(c));
      i.put("history_length", c.history().size());
      ObjectNode summary = i.putObject("delivery_summary");
      c.deliveries().stream().collect(Collectors.groupingBy(DeliveryAttempt::target, TreeMap::new, Collectors.toList()))
          .forEach((target, attempts) -> summary.putObject(target).put("attempts", attempts.size())
              .put("delivered", attempts.stream().anyMatch(a -> a.error() == null))
              .put("last_error", attempts.get(attempts.size() - 1).error()));
      items.add(i);
    }
    n.put("next", page.next());
    return n;
  }

  private static final Set<String> DELIVERY_FILTERS = Set.of("campaign_id", "destination", "outcome");
  private static final Pattern DELIVERY_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  @Inject
  DeliveryLog deliveryLog;
  @Inject
  SqsDeliveryQueue deliveryQueue;
  @Inject
  Clock clock;

  /** {@code GET /admin/deliveries}: one campaign's delivery attempts, newest first, secrets masked. */
  public ObjectNode listDeliveries(List<Map.Entry<String, String>> query) {
    ListParams p = new ListParams(query, DELIVERY_FILTERS);
    String outcome = p.get("outcome");
    DeliveryLogEntry.Outcome wanted = null;
    if (outcome != null) {
      wanted = Arrays.stream(DeliveryLogEntry.Outcome.values()).filter(o -> o.code().equals(outcome)).findFirst()
          .orElseThrow(() -> new RejectedException(Reason.INVALID_PARAMETER,
              "outcome must be delivered, retrying, dead, skipped or redirect_not_followed.", "outcome", null));
    }
    Page<DeliveryLogEntry> page = deliveryLog.list(new DeliveryQuery(p.get("campaign_id"), p.get("destination"), wanted,
        new TimeRange(p.from(), p.to()), p.limit(), p.next()));
    ObjectNode n = HttpResponses.object();
    ArrayNode items = n.putArray("items");
    page.items().forEach(e -> items.add(deliveryView(e)));
    n.put("next", page.next());
    return n;
  }

  /**
   * {@code POST /admin/deliveries/{id}/retry}: queues the delivery once more, now, as a replay (its
   * retry schedule starts over). Idempotent: a delivery already made is not made again, and it
   * carries the same Idempotency-Key.
   */
  public ObjectNode retryDelivery(String deliveryId) {
    DeliveryLogEntry latest = (deliveryId != null && DELIVERY_ID.matcher(deliveryId).matches()
        ? deliveryLog.latest(deliveryId) : Optional.<DeliveryLogEntry>empty())
        .orElseThrow(() -> new RejectedException(Reason.NOT_FOUND, "No delivery has this id."));
    deliveryQueue.send(List.of(latest.delivery().replayed(clock.instant())));
    return HttpResponses.object().put("delivery_id", deliveryId).put("queued", true)
        .put("last_outcome", latest.outcome().code());
  }

  private static ObjectNode deliveryView(DeliveryLogEntry e) {
    return HttpResponses.object().put("delivery_id", e.deliveryId()).put("campaign_id", e.campaignId())
        .put("click_id", e.clickId()).put("conversion", e.conversionKey()).put("destination", e.destination())
        .put("status", e.status().code()).put("attempt", e.attempt()).put("at", e.at().toString())
        .put("outcome", e.outcome().code()).put("method", e.method()).put("url", e.url()).put("body", e.body())
        .put("http_status", e.httpStatus()).put("response", e.response()).put("latency_ms", e.latencyMillis())
        .put("next_retry_at", e.nextRetryAt() == null ? null : e.nextRetryAt().toString()).put("reason", e.reason())
        .put("possible_repeat", e.possibleRepeat());
  }

  static ObjectNode view(ReceivedEntry entry) {
    if (entry instanceof ReceivedEntry.Accepted a) {
      return accepted(a.record());
    }
    if (entry instanceof ReceivedEntry.Refused r) {
      return refused(r.refusal());
    }
    ReceivedEntry.Suppressed s = (ReceivedEntry.Suppressed) entry;
    ObjectNode n = HttpResponses.object().put("kind", "suppressed").put("id", s.id())
        .put("minute", s.minute().toString()).put("scope", s.scope().kind().name().toLowerCase(Locale.ROOT))
        .put("scope_value", s.scope().value()).put("count", s.total());
    ObjectNode reasons = n.putObject("by_reason");
    s.byReason().forEach(reasons::put);
    return n;
  }

  /** The postback record as {@code GET /admin/postbacks/{id}} shows it, extras that look secret masked. */
  private static ObjectNode accepted(PostbackRecord record) {
    ObjectNode n = HttpResponses.object().put("kind", "accepted").put("id", record.postback().postbackId());
    n.setAll(AdminApi.view(record));
    if (n.get("extra") instanceof ObjectNode extra) {
      extra.properties().forEach(e -> {
        if (Masking.masked(e.getKey())) {
          e.setValue(extra.textNode(Masking.MASK));
        }
      });
    }
    return n;
  }

  private static ObjectNode refused(RefusedPostback r) {
    ObjectNode n = HttpResponses.object().put("kind", "refused").put("id", r.id())
        .put("received_at", r.receivedAt().toString()).put("decision", "refused").put("reason", r.reason())
        .put("message", r.message()).put("method", r.method()).put("source_ip", r.sourceIp())
        .put("campaign_id", r.campaignId());
    ArrayNode params = n.putArray("params");
    r.params().forEach(e -> params.addArray().add(e.getKey()).add(e.getValue()));
    ObjectNode fields = n.putObject("fields");
    r.fields().forEach((name, value) -> fields.putObject(name).put("value", value).put("read_from",
        r.fieldNames().get(name)));
    return n;
  }
}
