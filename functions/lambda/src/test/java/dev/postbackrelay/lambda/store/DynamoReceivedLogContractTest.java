package dev.postbackrelay.lambda.store;

import dev.postbackrelay.attribution.PostbackLog;
import dev.postbackrelay.lambda.LocalAws;
import dev.postbackrelay.logs.ReceivedLog;
import dev.postbackrelay.logs.RefusalStore;
import dev.postbackrelay.testing.ReceivedLogContract;
import java.time.Clock;
import java.time.Duration;

/** The received-postbacks log contract, held by the DynamoDB adapters against DynamoDB Local. */
class DynamoReceivedLogContractTest extends ReceivedLogContract {

  private final LocalAws aws = LocalAws.shared();
  private final DynamoReceivedLog log = new DynamoReceivedLog(aws.dynamo(), "TrackingTable", Duration.ofDays(14),
      Clock.systemUTC());

  @Override
  protected PostbackLog postbackLog() {
    return new DynamoPostbackLog(aws.dynamo(), "TrackingTable");
  }

  @Override
  protected RefusalStore refusalStore() {
    return log;
  }

  @Override
  protected ReceivedLog receivedLog() {
    return log;
  }
}
