package dev.postbackrelay.lambda.store;

import static dev.postbackrelay.lambda.store.Attr.n;
import static dev.postbackrelay.lambda.store.Attr.s;
import static dev.postbackrelay.lambda.store.TrackingItems.EXPIRES_AT;
import static dev.postbackrelay.lambda.store.TrackingItems.PK;
import static dev.postbackrelay.lambda.store.TrackingItems.REPLAY_SK;
import static dev.postbackrelay.lambda.store.TrackingItems.SK;
import static dev.postbackrelay.lambda.store.TrackingItems.replayPk;

import dev.postbackrelay.postback.SignatureReplayStore;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Replay records in the tracking table: one conditional PutItem per signed postback, with the
 * table's TTL on {@code expires_at}. TTL deletion lags (up to days), so the condition also lets a
 * claim overwrite a record that has expired but is still there.
 */
public final class DynamoSignatureReplayStore implements SignatureReplayStore {

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoSignatureReplayStore(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  @Override
  public boolean claim(String key, Instant expiresAt, Instant now) {
    try {
      dynamo.putItem(b -> b.tableName(table)
          .item(Map.of(PK, s(replayPk(key)), SK, s(REPLAY_SK), EXPIRES_AT, n(expiresAt.getEpochSecond())))
          .conditionExpression("attribute_not_exists(" + PK + ") OR " + EXPIRES_AT + " <= :now")
          .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond()))));
      return true;
    } catch (ConditionalCheckFailedException alreadyClaimed) {
      return false;
    }
  }

  /** One strongly consistent GetItem of the key's record. */
  @Override
  public boolean isClaimed(String key, Instant now) {
    var item = dynamo.getItem(b -> b.tableName(table).key(Map.of(PK, s(replayPk(key)), SK, s(REPLAY_SK)))
        .consistentRead(true)).item();
    return item != null && item.containsKey(EXPIRES_AT)
        && Long.parseLong(item.get(EXPIRES_AT).n()) > now.getEpochSecond();
  }

  @Override
  public void release(String key) {
    dynamo.deleteItem(b -> b.tableName(table).key(Map.of(PK, s(replayPk(key)), SK, s(REPLAY_SK))));
  }
}
