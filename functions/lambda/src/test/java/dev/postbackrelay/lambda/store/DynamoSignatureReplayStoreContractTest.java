package dev.postbackrelay.lambda.store;

import dev.postbackrelay.lambda.LocalAws;
import dev.postbackrelay.postback.SignatureReplayStore;
import dev.postbackrelay.testing.SignatureReplayStoreContract;

/** The SignatureReplayStore contract, held by the DynamoDB adapter against DynamoDB Local. */
class DynamoSignatureReplayStoreContractTest extends SignatureReplayStoreContract {

  private final LocalAws aws = LocalAws.shared();

  @Override
  protected SignatureReplayStore newStore() {
    return new DynamoSignatureReplayStore(aws.dynamo(), "TrackingTable");
  }
}
