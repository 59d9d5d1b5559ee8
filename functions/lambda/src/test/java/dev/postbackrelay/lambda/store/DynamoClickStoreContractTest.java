package dev.postbackrelay.lambda.store;

import dev.postbackrelay.lambda.LocalAws;
import dev.postbackrelay.testing.ClickStoreContract;

/** The ClickStore contract, held by the DynamoDB adapter against DynamoDB Local. */
class DynamoClickStoreContractTest extends ClickStoreContract {

  private final LocalAws aws = LocalAws.shared();

  @Override
  protected dev.postbackrelay.click.ClickStore newStore() {
    return new DynamoClickStore(aws.dynamo(), "TrackingTable");
  }
}
