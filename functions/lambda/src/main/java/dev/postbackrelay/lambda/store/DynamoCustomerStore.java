package dev.postbackrelay.lambda.store;

import static dev.postbackrelay.lambda.store.Attr.n;
import static dev.postbackrelay.lambda.store.Attr.s;
import static dev.postbackrelay.lambda.store.Attr.str;
import static dev.postbackrelay.lambda.store.TrackingItems.*;

import dev.postbackrelay.attribution.CustomerStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** Lifetime-attribution bindings in the tracking table; the first binding wins (conditional put). */
public final class DynamoCustomerStore implements CustomerStore {

  static final Duration RETENTION = Duration.ofDays(400);

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;

  public DynamoCustomerStore(DynamoDbClient dynamo, String table, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.clock = clock;
  }

  @Override
  public void bind(String campaignId, String customerId, String clickId) {
    try {
      dynamo.putItem(b -> b.tableName(table)
          .item(Map.of(PK, s(customerPk(campaignId, customerId)), SK, s(BINDING_SK), CLICK_ID, s(clickId),
              EXPIRES_AT, n(clock.instant().plus(RETENTION).getEpochSecond())))
          .conditionExpression("attribute_not_exists(" + PK + ")"));
    } catch (ConditionalCheckFailedException alreadyBound) {
      // the first binding stands
    }
  }

  @Override
  public Optional<String> boundClick(String campaignId, String customerId) {
    var response = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
        .key(Map.of(PK, s(customerPk(campaignId, customerId)), SK, s(BINDING_SK))));
    return response.hasItem() && !response.item().isEmpty() ? Optional.ofNullable(str(response.item(), CLICK_ID))
        : Optional.empty();
  }
}
