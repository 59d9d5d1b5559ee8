package dev.postbackrelay.lambda.store;

import static dev.postbackrelay.lambda.store.Attr.n;
import static dev.postbackrelay.lambda.store.Attr.s;
import static dev.postbackrelay.lambda.store.Attr.str;
import static dev.postbackrelay.lambda.store.TrackingItems.EXPIRES_AT;
import static dev.postbackrelay.lambda.store.TrackingItems.PK;
import static dev.postbackrelay.lambda.store.TrackingItems.SK;

import dev.postbackrelay.common.Page;
import dev.postbackrelay.forwarding.DeliveryLog;
import dev.postbackrelay.forwarding.DeliveryLogEntry;
import dev.postbackrelay.forwarding.DeliveryQuery;
import dev.postbackrelay.postback.PostbackIds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The sent-postbacks log in the tracking table: each attempt under {@code dlvlog#<campaign>#<UTC day>},
 * sorted by its time then delivery id and attempt, and the delivery's latest attempt under
 * {@code delivery#<id>} (what a retry starts from); both in one {@code BatchWriteItem}.
 */
public final class DynamoDeliveryLog implements DeliveryLog {

  static final Duration RETENTION = Duration.ofDays(90);
  private static final String ENTRY = "entry";
  private static final String LATEST_SK = "latest";

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;

  public DynamoDeliveryLog(DynamoDbClient dynamo, String table, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.clock = clock;
  }

  @Override
  public void record(DeliveryLogEntry e) {
    AttributeValue entry = s(DeliveryLogJson.write(e));
    AttributeValue expires = n(e.at().plus(RETENTION).getEpochSecond());
    Map<String, AttributeValue> listed = Map.of(PK, s(partition(e.campaignId(), LocalDate.ofInstant(e.at(), ZoneOffset.UTC))),
        SK, s(sortKey(e)), ENTRY, entry, EXPIRES_AT, expires);
    Map<String, AttributeValue> latest = Map.of(PK, s("delivery#" + e.deliveryId()), SK, s(LATEST_SK), ENTRY, entry,
        EXPIRES_AT, expires);
    Map<String, List<WriteRequest>> request = Map.of(table, List.of(
        WriteRequest.builder().putRequest(PutRequest.builder().item(listed).build()).build(),
        WriteRequest.builder().putRequest(PutRequest.builder().item(latest).build()).build()));
    BatchWrites.writeAll(dynamo, request);
  }

  @Override
  public Optional<DeliveryLogEntry> latest(String deliveryId) {
    var response = dynamo.getItem(b -> b.tableName(table)
        .key(Map.of(PK, s("delivery#" + deliveryId), SK, s(LATEST_SK))).consistentRead(true));
    return response.hasItem() && !response.item().isEmpty()
        ? Optional.of(DeliveryLogJson.read(str(response.item(), ENTRY))) : Optional.empty();
  }

  @Override
  public Page<DeliveryLogEntry> list(DeliveryQuery query) {
    Instant now = clock.instant();
    Instant start = query.range().start(now);
    Instant end = query.range().end(now);
    return CampaignIndex.list(dynamo, table, null, PK, SK, day -> List.of(partition(query.campaignId(), day)), start, end,
        PostbackIds.lowest(start).substring(0, 10), PostbackIds.highest(end).substring(0, 10) + "~",
        item -> DeliveryLogJson.read(str(item, ENTRY)), e -> query.matches(e, now), query.limit(), query.cursor());
  }

  private static String partition(String campaignId, LocalDate day) {
    return "dlvlog#" + campaignId + "#" + day;
  }

  /** Time first (sortable), then the delivery id without dashes, then the attempt: unique, [0-9a-z] only. */
  static String sortKey(DeliveryLogEntry e) {
    return PostbackIds.lowest(e.at()).substring(0, 10) + e.deliveryId().replace("-", "") + String.format("%04d", e.attempt());
  }
}
