package dev.postbackrelay.lambda.store;

import dev.postbackrelay.lambda.LocalAws;
import dev.postbackrelay.testing.PostbackLogContract;

/** The PostbackLog contract, held by the DynamoDB adapter against DynamoDB Local. */
class DynamoPostbackLogContractTest extends PostbackLogContract {

  private final LocalAws aws = LocalAws.shared();

  @Override
  protected dev.postbackrelay.attribution.PostbackLog newLog() {
    return new DynamoPostbackLog(aws.dynamo(), "TrackingTable");
  }
}
