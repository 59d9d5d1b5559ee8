package dev.postbackrelay.lambda.wiring;

import dev.postbackrelay.lambda.config.RelayConfig;
import dev.postbackrelay.lambda.queue.DeliveryJson;
import dev.postbackrelay.lambda.queue.PostbackJson;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Primes the function before Lambda SnapStart takes its snapshot: one real DynamoDB request (a
 * read of a campaign id no campaign can have) loads and initialises the SDK's request pipeline,
 * marshallers, signer and HTTP client, and one round trip through each JSON codec loads Jackson's,
 * so the first request after a restore does not pay for them. Nothing random is created here:
 * click and postback ids seed their random source on first use, after the restore.
 *
 * <p>Outside SnapStart (the local stack, tests) {@code beforeCheckpoint} is never called.
 */
@Startup
@ApplicationScoped
public class SnapStartPriming implements Resource {

  private static final Logger LOG = Logger.getLogger(SnapStartPriming.class);
  static final String PRIMING_ID = "__snapstart_priming__";

  @Inject
  DynamoDbClient dynamo;
  @Inject
  RelayConfig config;

  @PostConstruct
  void register() {
    Core.getGlobalContext().register(this);
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    try {
      dynamo.getItem(b -> b.tableName(config.campaignsTable()).key(Map.of("campaign_id", AttributeValue.fromS(PRIMING_ID))));
    } catch (RuntimeException e) {
      LOG.warnf("priming request failed (%s); the first request will warm up instead", e.getClass().getSimpleName());
    }
    PostbackJson.read(PostbackJson.write(PostbackJson.read(
        "{\"postback_id\":\"p\",\"received_at\":\"2026-01-01T00:00:00Z\",\"event\":\"sale\",\"txid\":\"\"}")));
    DeliveryJson.read(DeliveryJson.write(DeliveryJson.read(
        "{\"click_id\":\"c\",\"conversion_key\":\"sale\",\"destination_id\":\"d\",\"status\":\"approved\"}")));
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    // nothing to re-create: no random state or credentials were captured by priming
  }
}
