package dev.postbackrelay.lambda.store;

import static dev.postbackrelay.lambda.store.Attr.decimal;
import static dev.postbackrelay.lambda.store.Attr.millis;
import static dev.postbackrelay.lambda.store.Attr.n;
import static dev.postbackrelay.lambda.store.Attr.putIfPresent;
import static dev.postbackrelay.lambda.store.Attr.s;
import static dev.postbackrelay.lambda.store.Attr.str;
import static dev.postbackrelay.lambda.store.TrackingItems.*;

import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.attribution.ConversionQuery;
import dev.postbackrelay.attribution.ConversionStore;
import dev.postbackrelay.attribution.DeliveryAttempt;
import dev.postbackrelay.attribution.StatusChange;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.common.Page;
import dev.postbackrelay.postback.PostbackIds;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Conversions in the tracking table, under their click. Creation is a conditional put that hands
 * back the existing item on conflict (no read before write); status changes are conditional on
 * the current status.
 */
public final class DynamoConversionStore implements ConversionStore {

  /** Conversions are money records: kept for a bit over a year. */
  static final Duration RETENTION = Duration.ofDays(400);

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoConversionStore(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  @Override
  public Optional<Conversion> createIfAbsent(String key, Conversion c) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(PK, s(clickPk(c.clickId())));
    item.put(SK, s(conversionSk(key)));
    item.put(CLICK_ID, s(c.clickId()));
    item.put(EVENT, s(c.event()));
    item.put(TXID, s(c.txid()));
    item.put(CAMPAIGN_ID, s(c.campaignId()));
    item.put(AFFILIATE_ID, s(c.affiliateId()));
    item.put(STATUS, s(c.status().code()));
    putIfPresent(item, AMOUNT, c.amount());
    putIfPresent(item, CURRENCY, c.currency());
    putIfPresent(item, PAYOUT, c.payout());
    putIfPresent(item, PAYOUT_CURRENCY, c.payoutCurrency());
    putIfPresent(item, PAYOUT_NOTE, c.payoutNote());
    putIfPresent(item, REVENUE, c.revenue());
    putIfPresent(item, REVENUE_CURRENCY, c.revenueCurrency());
    item.put(CREATED_AT, n(c.createdAt().toEpochMilli()));
    item.put(POSTBACK_ID, s(c.postbackId()));
    item.put(EXTRA, Attr.stringMap(c.extra()));
    item.put(HISTORY, AttributeValue.fromL(c.history().stream().map(DynamoConversionStore::change).toList()));
    item.put(DELIVERIES, AttributeValue.fromL(c.deliveries().stream().map(DynamoConversionStore::attempt).toList()));
    item.put(EXPIRES_AT, n(c.createdAt().plus(RETENTION).getEpochSecond()));
    item.put(CampaignIndex.GPK, s(CampaignIndex.conversionPartition(c.campaignId(), c.createdAt())));
    // sorted by when it was counted (a postback may wait in the queue), unique by the counting postback
    item.put(CampaignIndex.GSK, s(PostbackIds.lowest(c.createdAt()).substring(0, 10) + c.postbackId()));
    try {
      dynamo.putItem(b -> b.tableName(table).item(item)
          .conditionExpression("attribute_not_exists(" + PK + ")")
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
      return Optional.empty();
    } catch (ConditionalCheckFailedException exists) {
      return Optional.of(fromItem(exists.item()));
    }
  }

  /** From the {@code by-campaign} index, by when each conversion was counted. */
  @Override
  public Page<Conversion> list(ConversionQuery query) {
    Instant now = Instant.now();
    Instant start = query.range().start(now);
    Instant end = query.range().end(now);
    return CampaignIndex.list(dynamo, table,
        day -> List.of(CampaignIndex.conversionPartition(query.campaignId(), day.atStartOfDay(ZoneOffset.UTC).toInstant())),
        start, end, PostbackIds.lowest(start), PostbackIds.highest(end), DynamoConversionStore::fromItem,
        c -> query.matches(c, now), query.limit(), query.cursor());
  }

  @Override
  public boolean transition(String clickId, String key, StatusChange change) {
    try {
      dynamo.updateItem(b -> b.tableName(table).key(key(clickId, key))
          .updateExpression("SET #status = :to, #history = list_append(#history, :change)")
          .conditionExpression("#status = :from")
          .expressionAttributeNames(Map.of("#status", STATUS, "#history", HISTORY))
          .expressionAttributeValues(Map.of(":to", s(change.to().code()), ":from", s(change.from().code()),
              ":change", AttributeValue.fromL(List.of(change(change))))));
      return true;
    } catch (ConditionalCheckFailedException changed) {
      return false;
    }
  }

  @Override
  public boolean claim(String clickId, String key, String target, ConversionStatus status, Instant until, Instant now) {
    return claimAt(clickId, key, target, status, until, now) != Claim.HELD;
  }

  /**
   * One conditional {@code UpdateItem} returning the claim's old value ({@code UPDATED_OLD}): a
   * recorded attempt removes the claim, so an old value there is a claim whose run never recorded.
   */
  @Override
  public Claim claimAt(String clickId, String key, String target, ConversionStatus status, Instant until,
      Instant now) {
    String attribute = claimAttribute(target, status);
    try {
      var old = dynamo.updateItem(b -> b.tableName(table).key(key(clickId, key))
          .updateExpression("SET #c = :until")
          .conditionExpression("attribute_exists(" + PK + ") AND (attribute_not_exists(#c) OR #c < :now)")
          .expressionAttributeNames(Map.of("#c", attribute))
          .expressionAttributeValues(Map.of(":until", n(until.toEpochMilli()), ":now", n(now.toEpochMilli())))
          .returnValues(ReturnValue.UPDATED_OLD));
      return old.hasAttributes() && old.attributes().containsKey(attribute) ? Claim.RETAKEN : Claim.TAKEN;
    } catch (ConditionalCheckFailedException taken) {
      return Claim.HELD;
    }
  }

  /** One top-level attribute per (target, status) claim: {@code claim:<target>#<status>}, epoch millis. */
  private static String claimAttribute(String target, ConversionStatus status) {
    return CLAIM_PREFIX + target + "#" + status.code();
  }

  @Override
  public void recordDelivery(String clickId, String key, DeliveryAttempt attempt) {
    dynamo.updateItem(b -> b.tableName(table).key(key(clickId, key))
        .updateExpression("SET #d = list_append(if_not_exists(#d, :empty), :attempt) REMOVE #c")
        .conditionExpression("attribute_exists(" + PK + ")")
        .expressionAttributeNames(Map.of("#d", DELIVERIES, "#c", claimAttribute(attempt.target(), attempt.status())))
        .expressionAttributeValues(Map.of(":empty", AttributeValue.fromL(List.of()),
            ":attempt", AttributeValue.fromL(List.of(attempt(attempt))))));
  }

  @Override
  public Optional<Conversion> find(String clickId, String key) {
    var response = dynamo.getItem(b -> b.tableName(table).key(key(clickId, key)).consistentRead(true));
    return response.hasItem() && !response.item().isEmpty() ? Optional.of(fromItem(response.item())) : Optional.empty();
  }

  @Override
  public List<Conversion> findByClick(String clickId) {
    List<Conversion> out = new ArrayList<>();
    dynamo.queryPaginator(b -> b.tableName(table).consistentRead(true)
            .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
            .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
            .expressionAttributeValues(Map.of(":pk", s(clickPk(clickId)), ":prefix", s(CONVERSION_PREFIX))))
        .items().forEach(item -> out.add(fromItem(item)));
    return out;
  }

  private static Map<String, AttributeValue> key(String clickId, String key) {
    return Map.of(PK, s(clickPk(clickId)), SK, s(conversionSk(key)));
  }

  private static AttributeValue change(StatusChange c) {
    Map<String, AttributeValue> m = new HashMap<>();
    if (c.from() != null) {
      m.put("from", s(c.from().code()));
    }
    m.put("to", s(c.to().code()));
    m.put("at", n(c.at().toEpochMilli()));
    m.put(POSTBACK_ID, s(c.postbackId()));
    return AttributeValue.fromM(m);
  }

  private static AttributeValue attempt(DeliveryAttempt a) {
    Map<String, AttributeValue> m = new HashMap<>();
    m.put("target", s(a.target()));
    m.put("status", s(a.status().code()));
    m.put("at", n(a.at().toEpochMilli()));
    m.put("http_status", n(a.httpStatus()));
    m.put("latency_ms", n(a.latencyMillis()));
    putIfPresent(m, "error", a.error());
    return AttributeValue.fromM(m);
  }

  static Conversion fromItem(Map<String, AttributeValue> item) {
    List<StatusChange> history = item.getOrDefault(HISTORY, AttributeValue.fromL(List.of())).l().stream()
        .map(AttributeValue::m)
        .map(m -> new StatusChange(m.containsKey("from") ? ConversionStatus.fromCode(str(m, "from")) : null,
            ConversionStatus.fromCode(str(m, "to")), millis(m, "at"), str(m, POSTBACK_ID)))
        .toList();
    List<DeliveryAttempt> deliveries = item.getOrDefault(DELIVERIES, AttributeValue.fromL(List.of())).l().stream()
        .map(AttributeValue::m)
        .map(m -> new DeliveryAttempt(str(m, "target"), ConversionStatus.fromCode(str(m, "status")),
            millis(m, "at"), (int) Attr.num(m, "http_status"), Attr.num(m, "latency_ms"), str(m, "error")))
        .toList();
    return Conversion.builder()
        .clickId(str(item, CLICK_ID))
        .event(str(item, EVENT))
        .txid(str(item, TXID))
        .campaignId(str(item, CAMPAIGN_ID))
        .affiliateId(str(item, AFFILIATE_ID))
        .status(ConversionStatus.fromCode(str(item, STATUS)))
        .amount(decimal(item, AMOUNT))
        .currency(str(item, CURRENCY))
        .payout(decimal(item, PAYOUT))
        .payoutCurrency(str(item, PAYOUT_CURRENCY))
        .createdAt(Instant.ofEpochMilli(Attr.num(item, CREATED_AT)))
        .postbackId(str(item, POSTBACK_ID))
        .extra(Attr.stringMap(item, EXTRA))
        .history(history)
        .deliveries(deliveries)
        .payoutNote(str(item, PAYOUT_NOTE))
        .revenue(decimal(item, REVENUE))
        .revenueCurrency(str(item, REVENUE_CURRENCY))
        .build();
  }
}
