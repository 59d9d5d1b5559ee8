package dev.postbackrelay.lambda.store;

import dev.postbackrelay.lambda.LocalAws;
import dev.postbackrelay.testing.ConversionStoreContract;

/** The ConversionStore contract, held by the DynamoDB adapter against DynamoDB Local. */
class DynamoConversionStoreContractTest extends ConversionStoreContract {

  private final LocalAws aws = LocalAws.shared();

  @Override
  protected dev.postbackrelay.attribution.ConversionStore newStore() {
    return new DynamoConversionStore(aws.dynamo(), "TrackingTable");
  }
}
