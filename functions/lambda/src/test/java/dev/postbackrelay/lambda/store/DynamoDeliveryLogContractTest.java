package dev.postbackrelay.lambda.store;

import dev.postbackrelay.forwarding.DeliveryLog;
import dev.postbackrelay.lambda.LocalAws;
import dev.postbackrelay.testing.DeliveryLogContract;
import java.time.Clock;

/** The sent-postbacks log contract, held by the DynamoDB adapter against DynamoDB Local. */
class DynamoDeliveryLogContractTest extends DeliveryLogContract {

  private final LocalAws aws = LocalAws.shared();

  @Override
  protected DeliveryLog newLog() {
    return new DynamoDeliveryLog(aws.dynamo(), "TrackingTable", Clock.systemUTC());
  }
}
