package dev.postbackrelay.lambda.wiring;

import dev.postbackrelay.attribution.AttributionService;
import dev.postbackrelay.attribution.ConversionStore;
import dev.postbackrelay.attribution.CustomerStore;
import dev.postbackrelay.attribution.PostbackLog;
import dev.postbackrelay.attribution.RateTable;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.click.ClickIds;
import dev.postbackrelay.click.ClickService;
import dev.postbackrelay.click.ClickStore;
import dev.postbackrelay.doctor.PostbackDoctor;
import dev.postbackrelay.forwarding.DeliveryLog;
import dev.postbackrelay.forwarding.DeliveryService;
import dev.postbackrelay.forwarding.PostbackSender;
import dev.postbackrelay.forwarding.RetrySchedule;
import dev.postbackrelay.forwarding.SecretResolver;
import dev.postbackrelay.forwarding.builders.DestinationTypes;
import dev.postbackrelay.lambda.config.RelayConfig;
import dev.postbackrelay.lambda.forwarding.DeliveryRunner;
import dev.postbackrelay.lambda.forwarding.GoogleOAuthAccessTokens;
import dev.postbackrelay.lambda.forwarding.PinnedHttpClient;
import dev.postbackrelay.lambda.forwarding.PinnedPostbackSender;
import dev.postbackrelay.lambda.forwarding.SecretsManagerSecretResolver;
import dev.postbackrelay.lambda.metrics.Metrics;
import dev.postbackrelay.lambda.queue.DeadLetterQueue;
import dev.postbackrelay.lambda.queue.SqsConversionQueue;
import dev.postbackrelay.lambda.queue.SqsDeliveryQueue;
import dev.postbackrelay.lambda.store.DynamoCampaignStore;
import dev.postbackrelay.lambda.store.DynamoClickStore;
import dev.postbackrelay.lambda.store.DynamoConversionStore;
import dev.postbackrelay.lambda.store.DynamoCustomerStore;
import dev.postbackrelay.lambda.store.DynamoDeliveryLog;
import dev.postbackrelay.lambda.store.DynamoPostbackLog;
import dev.postbackrelay.lambda.store.DynamoReceivedLog;
import dev.postbackrelay.lambda.store.DynamoSignatureReplayStore;
import dev.postbackrelay.lambda.store.DynamoStatsStore;
import dev.postbackrelay.lambda.store.DynamoSubAdmission;
import dev.postbackrelay.lambda.store.StreamShards;
import dev.postbackrelay.logs.RefusalRecorder;
import dev.postbackrelay.net.OutboundGuard;
import dev.postbackrelay.postback.ConversionQueue;
import dev.postbackrelay.postback.PostbackIds;
import dev.postbackrelay.postback.PostbackService;
import dev.postbackrelay.postback.SignatureReplayStore;
import dev.postbackrelay.stats.StatsService;
import dev.postbackrelay.stats.StatsStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.BiFunction;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds every SDK client, adapter and service once per container, from {@link RelayConfig}.
 * Region, credentials and (locally) endpoints come from the SDK's own environment variables.
 */
@ApplicationScoped
public class Wiring {

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @Singleton
  DynamoDbClient dynamo(RelayConfig config) {
    return DynamoDbClient.builder().httpClient(http(config.aws())).overrideConfiguration(bounded(config.aws())).build();
  }

  @Produces
  @Singleton
  SqsClient sqs(RelayConfig config) {
    return SqsClient.builder().httpClient(http(config.aws())).overrideConfiguration(bounded(config.aws())).build();
  }

  /** The SDK's HTTP client, with connect and read time-outs from {@code config}. */
  static SdkHttpClient http(RelayConfig.Aws config) {
    return UrlConnectionHttpClient.builder().connectionTimeout(config.connectTimeout())
        .socketTimeout(config.socketTimeout()).build();
  }

  /** Call and attempt time-outs from {@code config}: a hanging service costs at most the call's. */
  static ClientOverrideConfiguration bounded(RelayConfig.Aws config) {
    return ClientOverrideConfiguration.builder().apiCallTimeout(config.apiCallTimeout())
        .apiCallAttemptTimeout(config.apiCallAttemptTimeout()).build();
  }

  @Produces
  @Singleton
  CampaignStore campaigns(DynamoDbClient dynamo, RelayConfig config, Clock clock) {
    return new DynamoCampaignStore(dynamo, config.campaignsTable(), config.campaignCacheTtl(), clock);
  }

  @Produces
  @Singleton
  ClickStore clicks(DynamoDbClient dynamo, RelayConfig config) {
    return onTrackingTable(DynamoClickStore::new, dynamo, config);
  }

  @Produces
  @Singleton
  ConversionStore conversions(DynamoDbClient dynamo, RelayConfig config) {
    return onTrackingTable(DynamoConversionStore::new, dynamo, config);
  }

  @Produces
  @Singleton
  PostbackLog postbackLog(DynamoDbClient dynamo, RelayConfig config) {
    return onTrackingTable((client, table) -> new DynamoPostbackLog(client, table, config.log().acceptedRetention()),
        dynamo, config);
  }

  @Produces
  @Singleton
  DynamoReceivedLog receivedLog(DynamoDbClient dynamo, RelayConfig config, Clock clock) {
    return onTrackingTable((client, table) -> new DynamoReceivedLog(client, table, config.log().refusedRetention(), clock),
        dynamo, config);
  }

  @Produces
  @Singleton
  RefusalRecorder refusalRecorder(DynamoReceivedLog log, RelayConfig config, Clock clock) {
    return new RefusalRecorder(log, config.log().refusedPerMinute(), clock);
  }

  @Produces
  @Singleton
  DeliveryLog deliveryLog(DynamoDbClient dynamo, RelayConfig config, Clock clock) {
    return onTrackingTable((client, table) -> new DynamoDeliveryLog(client, table, clock), dynamo, config);
  }

  @Produces
  @Singleton
  SignatureReplayStore signatureReplays(DynamoDbClient dynamo, RelayConfig config) {
    return onTrackingTable(DynamoSignatureReplayStore::new, dynamo, config);
  }

  @Produces
  @Singleton
  CustomerStore customers(DynamoDbClient dynamo, RelayConfig config, Clock clock) {
    return onTrackingTable((client, table) -> new DynamoCustomerStore(client, table, clock), dynamo, config);
  }

  /**
   * An adapter on the tracking table, the single table that holds clicks, conversions, the postback
   * log, signature replays and customers: built on the one DynamoDB client and the configured name.
   */
  private static <T> T onTrackingTable(BiFunction<DynamoDbClient, String, T> adapter, DynamoDbClient dynamo,
      RelayConfig config) {
    return adapter.apply(dynamo, config.trackingTable());
  }

  /** The stats table's store; the stats function's writes pass the crash test's counter when it is set. */
  @Produces
  @Singleton
  StatsStore statsStore(DynamoDbClient dynamo, RelayConfig config) {
    String table = config.statsTable().orElseThrow(() -> new IllegalStateException("set RELAY_STATS_TABLE"));
    return new DynamoStatsStore(dynamo, table, CrashTest.from(config.stats()));
  }

  @Produces
  @Singleton
  StatsService statsService(StatsStore store, DynamoDbClient dynamo, RelayConfig config) {
    return new StatsService(store, new DynamoSubAdmission(dynamo, config.statsTable().orElseThrow()));
  }

  @Produces
  @Singleton
  StreamShards streamShards(RelayConfig config) {
    return new StreamShards(DynamoDbStreamsClient.builder().httpClient(http(config.aws()))
        .overrideConfiguration(bounded(config.aws())).build());
  }

  @Produces
  @Singleton
  ConversionQueue conversionQueue(SqsClient sqs, RelayConfig config) {
    return new SqsConversionQueue(sqs, config.conversionQueueUrl());
  }

  /** The delivery claim, refused unless it outlasts one attempt: a shorter one would let two runs call out at once. */
  static Duration claim(RelayConfig config) {
    Duration claim = config.delivery().claim();
    Duration attempt = config.outbound().connectTimeout().plus(config.outbound().readTimeout());
    if (claim.compareTo(attempt) <= 0) {
      throw new IllegalArgumentException("RELAY_DELIVERY_CLAIM " + claim + " must exceed one attempt's connect and"
          + " read time-outs (" + attempt + ")");
    }
    return claim;
  }

  /** Where the conversion queue's consumer moves a message that is no postback. */
  @Produces
  @Singleton
  DeadLetterQueue conversionDeadLetters(SqsClient sqs, RelayConfig config) {
    return new DeadLetterQueue(sqs, config.conversionDeadLetterQueueUrl(), config.conversionQueueUrl());
  }

  @Produces
  @Singleton
  OutboundGuard outboundGuard(RelayConfig config) {
    return OutboundGuard.withExceptions(config.outbound().allowLoopback(),
        config.outbound().allowedCidrs().orElse(List.of()),
        config.outbound().allowedPorts().orElse(List.of()));
  }

  @Produces
  @Singleton
  ClickIds clickIds(RelayConfig config) {
    String keys = config.clickId().keys().orElseGet(() -> config.clickId().keysSecret()
        .map(secretId -> readSecret(secretId, config.aws()))
        .orElseThrow(() -> new IllegalStateException(
            "set RELAY_CLICK_ID_KEYS_SECRET (deployed) or RELAY_CLICK_ID_KEYS (local) to configure click-id keys")));
    List<byte[]> decoded = Arrays.stream(keys.split(",")).map(String::trim).filter(k -> !k.isEmpty())
        .map(k -> Base64.getUrlDecoder().decode(k)).toList();
    return new ClickIds(decoded);
  }

  private static String readSecret(String secretId, RelayConfig.Aws aws) {
    try (SecretsManagerClient secrets = SecretsManagerClient.builder().httpClient(http(aws))
        .overrideConfiguration(bounded(aws)).build()) {
      return secrets.getSecretValue(b -> b.secretId(secretId)).secretString();
    }
  }

  @Produces
  @Singleton
  ClickService clickService(CampaignStore campaigns, ClickStore clicks, ClickIds ids, Clock clock) {
    return new ClickService(campaigns, clicks, ids, clock);
  }

  @Produces
  @Singleton
  PostbackService postbackService(CampaignStore campaigns, ClickStore clicks, ConversionStore conversions, ClickIds ids,
      ConversionQueue queue, SignatureReplayStore replays, Clock clock) {
    return new PostbackService(campaigns, clicks, conversions, ids, queue, replays, new PostbackIds(), clock);
  }

  @Produces
  @Singleton
  SqsDeliveryQueue deliveryQueue(SqsClient sqs, RelayConfig config, Clock clock) {
    return new SqsDeliveryQueue(sqs, config.deliveryQueueUrl(), config.deliveryDeadLetterQueueUrl(), clock);
  }

  @Produces
  @Singleton
  Metrics metrics(Clock clock) {
    return new Metrics(System.out, clock, "postback-relay");
  }

  @Produces
  @Singleton
  AttributionService attributionService(ClickStore clicks, CampaignStore campaigns, ConversionStore conversions,
      CustomerStore customers, PostbackLog log, SqsDeliveryQueue deliveries, RelayConfig config, Clock clock) {
    return new AttributionService(clicks, campaigns, conversions, customers, log, deliveries,
        RateTable.parse(config.rates().orElse(null)), clock);
  }

  /** The dry run: the admin function's only use of the click-id keys, to verify (never to make) click ids. */
  @Produces
  @Singleton
  PostbackDoctor postbackDoctor(CampaignStore campaigns, ClickStore clicks, ConversionStore conversions,
      CustomerStore customers, SignatureReplayStore replays, ClickIds ids, OutboundGuard guard, RelayConfig config,
      Clock clock) {
    return new PostbackDoctor(campaigns, clicks, conversions, customers, replays, ids,
        RateTable.parse(config.rates().orElse(null)), DestinationTypes.BUILT_IN::get, guard, clock);
  }

  @Produces
  @Singleton
  DeliveryRunner deliveryRunner(ConversionStore conversions, ClickStore clicks, CampaignStore campaigns,
      OutboundGuard guard, SqsDeliveryQueue queue, DeliveryLog log, Metrics metrics, RelayConfig config, Clock clock) {
    PinnedHttpClient http = new PinnedHttpClient(config.outbound().connectTimeout(), config.outbound().readTimeout());
    PostbackSender sender = new PinnedPostbackSender(http);
    SecretResolver secrets = config.delivery().secretsPrefix()
        .<SecretResolver>map(prefix -> new SecretsManagerSecretResolver(
            SecretsManagerClient.builder().httpClient(http(config.aws())).overrideConfiguration(bounded(config.aws()))
                .build(), prefix, clock))
        .orElse(SecretResolver.literal());
    DeliveryService service = new DeliveryService(conversions, clicks, campaigns, DestinationTypes.BUILT_IN::get, sender,
        guard, RetrySchedule.parse(config.delivery().retrySchedule()), secrets,
        new GoogleOAuthAccessTokens(http, guard, clock), log, claim(config), clock);
    return new DeliveryRunner(service, queue, metrics, config.delivery().parallelism());
  }
}
