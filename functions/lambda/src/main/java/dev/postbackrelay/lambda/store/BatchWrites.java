package dev.postbackrelay.lambda.store;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** One {@code BatchWriteItem}, and again for what DynamoDB left unprocessed, with a growing pause. */
final class BatchWrites {

  private BatchWrites() {}

  static void writeAll(DynamoDbClient dynamo, Map<String, List<WriteRequest>> request) {
    for (int attempt = 0; !request.isEmpty(); attempt++) {
      Map<String, List<WriteRequest>> current = request;
      var response = dynamo.batchWriteItem(b -> b.requestItems(current));
      request = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
      if (!request.isEmpty()) {
        Backoff.sleep(attempt);
      }
    }
  }
}
