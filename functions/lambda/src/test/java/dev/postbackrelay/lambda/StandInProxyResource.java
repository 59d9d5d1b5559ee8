package dev.postbackrelay.lambda;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The local stand-ins behind a {@link StandInProxy} each: the application's DynamoDB and SQS
 * clients talk to the proxies, so a test can pause or refuse either service mid-run.
 */
public class StandInProxyResource implements QuarkusTestResourceLifecycleManager {

  static volatile StandInProxy dynamo;
  static volatile StandInProxy sqs;

  /** The proxy in front of DynamoDB Local. */
  public static StandInProxy dynamo() {
    return dynamo;
  }

  /** The proxy in front of ElasticMQ. */
  public static StandInProxy sqs() {
    return sqs;
  }

  /** Both proxies forwarding again, as after an outage a test made. */
  public static void forwardAll() {
    dynamo.mode(StandInProxy.Mode.FORWARD);
    sqs.mode(StandInProxy.Mode.FORWARD);
  }

  @Override
  public Map<String, String> start() {
    LocalAws real = LocalAws.shared();
    dynamo = StandInProxy.start(real.dynamoEndpoint);
    sqs = StandInProxy.start(real.sqsEndpoint);
    return LocalAwsResource.pointAt(LocalAws.external(dynamo.endpoint(), sqs.endpoint()), "ConversionQueue");
  }

  @Override
  public void stop() {
    dynamo.close();
    sqs.close();
  }
}
