package dev.postbackrelay.lambda.store;

import static dev.postbackrelay.lambda.store.Attr.s;

import dev.postbackrelay.stats.StatsKey;
import dev.postbackrelay.stats.SubAdmission;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The subs a campaign's day counts by name, in the stats table under {@code subs#<campaign>#<day>}: a
 * marker per admitted sub ({@code v#<sub1>}) and their count ({@code count}). Admitting is one
 * transaction: the marker if absent, and the count up by one if below the limit. A sub already marked
 * is admitted; one refused by a full count stays refused, as the count never goes down. Answers are
 * cached for the container's life (they never change), so a sub costs a transaction once per container.
 */
public final class DynamoSubAdmission implements SubAdmission {

  private static final int CACHE_LIMIT = 50_000;

  private final DynamoDbClient dynamo;
  private final String table;
  private final int limit;
  private final Map<String, Boolean> known = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > CACHE_LIMIT;
    }
  };

  public DynamoSubAdmission(DynamoDbClient dynamo, String table, int limit) {
    this.dynamo = dynamo;
    this.table = table;
    this.limit = limit;
  }

  public DynamoSubAdmission(DynamoDbClient dynamo, String table) {
    this(dynamo, table, StatsKey.MAX_SUBS_PER_DAY);
  }

  @Override
  public synchronized boolean admit(String campaignId, LocalDate day, String sub1) {
    String pk = "subs#" + campaignId + "#" + day;
    return known.computeIfAbsent(pk + "\u0000" + sub1, k -> claim(pk, sub1));
  }

  private boolean claim(String pk, String sub1) {
    TransactWriteItem marker = TransactWriteItem.builder().put(p -> p.tableName(table)
        .item(Map.of(TrackingItems.PK, s(pk), TrackingItems.SK, s("v#" + sub1)))
        .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", TrackingItems.PK)))
        .build();
    TransactWriteItem count = TransactWriteItem.builder().update(u -> u.tableName(table)
        .key(Map.of(TrackingItems.PK, s(pk), TrackingItems.SK, s("count")))
        .updateExpression("ADD #n :one").conditionExpression("attribute_not_exists(#n) OR #n < :limit")
        .expressionAttributeNames(Map.of("#n", "n"))
        .expressionAttributeValues(Map.of(":one", Attr.n(1), ":limit", Attr.n(limit)))).build();
    try {
      dynamo.transactWriteItems(b -> b.transactItems(marker, count));
      return true;
    } catch (TransactionCanceledException e) {
      List<CancellationReason> reasons = e.cancellationReasons();
      if (reasons.size() == 2 && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
        return true; // marked before: admitted
      }
      if (reasons.size() == 2 && "ConditionalCheckFailed".equals(reasons.get(1).code())) {
        return false; // the day is full
      }
      throw e;
    }
  }
}
