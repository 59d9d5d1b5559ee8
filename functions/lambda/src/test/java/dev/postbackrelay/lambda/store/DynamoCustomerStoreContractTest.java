package dev.postbackrelay.lambda.store;

import dev.postbackrelay.lambda.LocalAws;
import dev.postbackrelay.testing.CustomerStoreContract;

/** The CustomerStore contract, held by the DynamoDB adapter against DynamoDB Local. */
class DynamoCustomerStoreContractTest extends CustomerStoreContract {

  private final LocalAws aws = LocalAws.shared();

  @Override
  protected dev.postbackrelay.attribution.CustomerStore newStore() {
    return new DynamoCustomerStore(aws.dynamo(), "TrackingTable", java.time.Clock.systemUTC());
  }
}
