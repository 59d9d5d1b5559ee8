package dev.postbackrelay.lambda;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the local stand-ins for a {@code @QuarkusTest} and points the application at them: the
 * SDK through its own endpoint system properties, the application through its {@code relay.*}
 * configuration, exactly as the environment does in Lambda.
 */
public class LocalAwsResource implements QuarkusTestResourceLifecycleManager {

  /** The admin token the tests use. */
  public static final String ADMIN_TOKEN = "test-admin-token";
  /** A fixed click-id key, so tests can issue ids the handlers accept. */
  public static final byte[] CLICK_ID_KEY = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Init argument naming the conversion queue (default ConversionQueue). */
  public static final String QUEUE_ARG = "conversion-queue";
  /** Init argument: {@code none} starts the application without any click-id key, as deployed functions but Click and Postback are. */
  public static final String CLICK_ID_KEYS_ARG = "click-id-keys";

  static volatile LocalAws current;
  private String queue = "ConversionQueue";
  private boolean clickIdKeys = true;

  @Override
  public void init(Map<String, String> initArgs) {
    queue = initArgs.getOrDefault(QUEUE_ARG, queue);
    clickIdKeys = !"none".equals(initArgs.get(CLICK_ID_KEYS_ARG));
  }

  /** The stand-ins the running application was pointed at (local ones, or LocalStack). */
  public static LocalAws aws() {
    return current;
  }

  @Override
  public Map<String, String> start() {
    Map<String, String> config = pointAt(LocalAws.shared(), queue);
    if (!clickIdKeys) {
      config.remove("relay.click-id.keys");
    }
    return config;
  }

  /** Points the SDK and the application at {@code aws}; returns the application's configuration. */
  public static Map<String, String> pointAt(LocalAws aws, String queue) {
    current = aws;
    System.setProperty("aws.region", "us-east-1");
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    System.setProperty("aws.endpointUrlDynamoDb", aws.dynamoEndpoint);
    System.setProperty("aws.endpointUrlSqs", aws.sqsEndpoint);
    Map<String, String> config = new HashMap<>();
    config.put("relay.campaigns-table", "CampaignsTable");
    config.put("relay.tracking-table", "TrackingTable");
    config.put("relay.conversion-queue-url", aws.queueUrl(queue));
    config.put("relay.conversion-dead-letter-queue-url", aws.queueUrl("ConversionDeadLetterQueue"));
    config.put("relay.delivery-queue-url", aws.queueUrl("DeliveryQueue"));
    config.put("relay.delivery-dead-letter-queue-url", aws.queueUrl("DeliveryDeadLetterQueue"));
    config.put("relay.delivery.retry-schedule", "1s,1s");
    config.put("relay.click-id.keys", Base64.getUrlEncoder().withoutPadding().encodeToString(CLICK_ID_KEY));
    config.put("relay.admin.token", ADMIN_TOKEN);
    config.put("relay.outbound.allow-loopback", "true");
    config.put("relay.outbound.read-timeout", "2s");
    config.put("relay.campaign-cache-ttl", "0s");
    return config;
  }

  @Override
  public void stop() {
    // shared by every Quarkus restart in this JVM; closed by the shutdown hook
  }
}
