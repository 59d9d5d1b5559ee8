package dev.postbackrelay.lambda.store;

import static dev.postbackrelay.lambda.store.Attr.n;
import static dev.postbackrelay.lambda.store.Attr.putIfPresent;
import static dev.postbackrelay.lambda.store.Attr.s;
import static dev.postbackrelay.lambda.store.Attr.str;
import static dev.postbackrelay.lambda.store.TrackingItems.*;

import dev.postbackrelay.attribution.Decision;
import dev.postbackrelay.attribution.PostbackLog;
import dev.postbackrelay.attribution.PostbackRecord;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.lambda.queue.PostbackJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The received-postbacks log in the tracking table: one entry under the postback's id, copies
 * under its campaign's and its source address's day for listing ({@link DynamoReceivedLog}) and,
 * when it named a click of its own campaign ({@link PostbackRecord#indexedUnderClick}), a copy under
 * the click, written together in one BatchWriteItem. Puts are
 * idempotent, so a re-delivered message rewrites the same entries.
 */
public final class DynamoPostbackLog implements PostbackLog {

  static final Duration RETENTION = Duration.ofDays(90);

  private final DynamoDbClient dynamo;
  private final String table;
  private final Duration retention;

  public DynamoPostbackLog(DynamoDbClient dynamo, String table) {
    this(dynamo, table, RETENTION);
  }

  /** @param retention how long every entry of an accepted postback is kept */
  public DynamoPostbackLog(DynamoDbClient dynamo, String table, Duration retention) {
    this.dynamo = dynamo;
    this.table = table;
    this.retention = retention;
  }

  @Override
  public void record(PostbackRecord entry) {
    recordAll(List.of(entry));
  }

  /** Every entry's items, in as few {@code BatchWriteItem} calls as the 25-item limit allows. */
  @Override
  public void recordAll(List<PostbackRecord> entries) {
    List<WriteRequest> writes = new ArrayList<>();
    entries.forEach(e -> writes.addAll(items(e)));
    for (int from = 0; from < writes.size(); from += MAX_BATCH_WRITE) {
      BatchWrites.writeAll(dynamo, Map.of(table, writes.subList(from, Math.min(writes.size(), from + MAX_BATCH_WRITE))));
    }
  }

  /** DynamoDB's limit of items per {@code BatchWriteItem}. */
  static final int MAX_BATCH_WRITE = 25;

  /** The entry's items: under its postback id, its log copies, and (where indexed) under its click. */
  private List<WriteRequest> items(PostbackRecord entry) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(POSTBACK_ID, s(entry.postback().postbackId()));
    item.put(RECORD, s(PostbackJson.write(entry.postback())));
    item.put(DECISION, s(entry.decision().outcome().name().toLowerCase(Locale.ROOT)));
    putIfPresent(item, REASON, entry.decision().reason() == null ? null : entry.decision().reason().code());
    putIfPresent(item, CONVERSION, entry.decision().conversionKey());
    item.put(DECIDED_AT, n(entry.decidedAt().toEpochMilli()));
    item.put(EXPIRES_AT, n(entry.postback().receivedAt().plus(retention).getEpochSecond()));

    List<WriteRequest> writes = new ArrayList<>();
    Map<String, AttributeValue> main = new HashMap<>(item);
    main.put(PK, s(postbackPk(entry.postback().postbackId())));
    main.put(SK, s(POSTBACK_SK));
    writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(main).build()).build());
    // the received-postbacks log's copies (DynamoReceivedLog), in the same request
    Map<String, AttributeValue> byCampaign = new HashMap<>(item);
    byCampaign.put(PK, s(logPk(entry.postback().campaignId(), entry.postback().receivedAt())));
    byCampaign.put(SK, s(entry.postback().postbackId()));
    byCampaign.put(KIND, s(KIND_ACCEPTED));
    writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(byCampaign).build()).build());
    if (entry.postback().sourceIp() != null) {
      Map<String, AttributeValue> byAddress = new HashMap<>(byCampaign);
      byAddress.put(PK, s(logIpPk(entry.postback().sourceIp(), entry.postback().receivedAt())));
      writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(byAddress).build()).build());
    }
    if (entry.indexedUnderClick()) {
      Map<String, AttributeValue> copy = new HashMap<>(item);
      copy.put(PK, s(clickPk(entry.postback().clickId())));
      copy.put(SK, s(POSTBACK_COPY_PREFIX + entry.postback().postbackId()));
      writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(copy).build()).build());
    }
    return writes;
  }

  @Override
  public Optional<PostbackRecord> find(String postbackId) {
    var response = dynamo.getItem(b -> b.tableName(table)
        .key(Map.of(PK, s(postbackPk(postbackId)), SK, s(POSTBACK_SK))).consistentRead(true));
    return response.hasItem() && !response.item().isEmpty() ? Optional.of(fromItem(response.item())) : Optional.empty();
  }

  @Override
  public List<PostbackRecord> findByClick(String clickId) {
    List<PostbackRecord> out = new ArrayList<>();
    dynamo.queryPaginator(b -> b.tableName(table).consistentRead(true)
            .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
            .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
            .expressionAttributeValues(Map.of(":pk", s(clickPk(clickId)), ":prefix", s(POSTBACK_COPY_PREFIX))))
        .items().forEach(item -> out.add(fromItem(item)));
    return out;
  }

  static PostbackRecord fromItem(Map<String, AttributeValue> item) {
    String reason = str(item, REASON);
    Decision decision = new Decision(Decision.Outcome.valueOf(str(item, DECISION).toUpperCase(Locale.ROOT)),
        reason == null ? null : Reason.valueOf(reason.toUpperCase(Locale.ROOT)), str(item, CONVERSION));
    return new PostbackRecord(PostbackJson.read(str(item, RECORD)), decision,
        Instant.ofEpochMilli(Attr.num(item, DECIDED_AT)));
  }
}
