package dev.postbackrelay.localruntime.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postbackrelay.localaws.client.LocalAwsProcess;
import dev.postbackrelay.localruntime.runtime.FunctionErrorException;
import dev.postbackrelay.localruntime.runtime.FunctionInvoker;
import dev.postbackrelay.localruntime.template.LocalValues;
import dev.postbackrelay.localruntime.template.SamTemplate;
import dev.postbackrelay.localruntime.template.SqsEventSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The event-source poller against real ElasticMQ (the local-aws stand-ins, provisioned from the
 * sample template: WorkQueue redrives to WorkDeadLetterQueue after 3 receives), with a function
 * written in Java here: it fails every message whose body says so.
 */
class SqsEventSourcePollerTest {

  /** LOCAL_SQS_VISIBILITY_TIMEOUT_SECONDS: failed messages return after this. */
  private static final Duration VISIBILITY = Duration.ofSeconds(1);
  private static LocalAwsProcess localAws;
  private static SqsClient sqs;
  private static LocalValues values;

  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
  private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
  private SqsEventSourcePoller poller;

  @BeforeAll
  static void startStandIns() throws URISyntaxException {
    Path repo = Path.of(System.getProperty("localruntime.repo-root", "../.."));
    Path jar = LocalAwsProcess.jar(repo);
    assumeTrue(Files.isRegularFile(jar), "needs " + jar + " (mvn -pl infra/local-aws package)");
    Path template = Path.of(SqsEventSourcePollerTest.class.getResource("/sample-template.yaml").toURI());
    localAws = LocalAwsProcess.start(jar, template, LocalAwsProcess.Options.defaults());
    sqs = SqsClient.builder().endpointOverride(URI.create(localAws.endpoints().sqs())).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create()).build();
    values = new LocalValues(SamTemplate.load(template), localAws.endpoints().sqs());
  }

  @AfterAll
  static void stopStandIns() {
    if (localAws != null) {
      sqs.close();
      localAws.close();
    }
  }

  @BeforeEach
  void emptyQueues() {
    sqs.purgeQueue(b -> b.queueUrl(values.queueUrl("WorkQueue")));
    sqs.purgeQueue(b -> b.queueUrl(values.queueUrl("WorkDeadLetterQueue")));
  }

  @AfterEach
  void stopPoller() {
    if (poller != null) {
      poller.close();
    }
  }

  @Test
  void reportedFailures_areRetried_successesDeleted_poisonEndsInDeadLetterQueue() {
    start(this::reportFailures);
    send("ok-1");
    send("fail-always");
    send("ok-2");

    await(() -> deliveries("fail-always") >= 3 && dlqDepth() == 1, Duration.ofSeconds(30));
    assertEquals(1, deliveries("ok-1"), "a success is deleted, never delivered again");
    assertEquals(1, deliveries("ok-2"));
    assertEquals(3, deliveries("fail-always"), "maxReceiveCount 3, then the queue's redrive policy moves it");
    await(() -> queueDepth() == 0, Duration.ofSeconds(5));
    assertEquals("fail-always", sqs.receiveMessage(b -> b.queueUrl(values.queueUrl("WorkDeadLetterQueue")))
        .messages().get(0).body());
  }

  @Test
  void transientFailure_succeedsOnRetry() {
    start(this::reportFailures);
    send("fail-once");
    await(() -> deliveries("fail-once") == 2 && queueDepth() == 0, Duration.ofSeconds(20));
    assertEquals(0, dlqDepth());
  }

  @Test
  void failedInvocation_leavesTheWholeBatch() {
    AtomicInteger calls = new AtomicInteger();
    start(event -> {
      record(event);
      if (calls.incrementAndGet() == 1) {
        throw new FunctionErrorException("WorkFunction", "Unhandled", "{}".getBytes(StandardCharsets.UTF_8));
      }
      return "{\"batchItemFailures\":[]}".getBytes(StandardCharsets.UTF_8);
    }, 1);
    sqs.sendMessageBatch(b -> b.queueUrl(values.queueUrl("WorkQueue")).entries(
        e -> e.id("1").messageBody("a"), e -> e.id("2").messageBody("b")));
    await(() -> deliveries("a") == 2 && deliveries("b") == 2 && queueDepth() == 0, Duration.ofSeconds(20));
    assertEquals(2, batchSizes.get(0), "both messages in the failed batch: " + batchSizes);
    assertEquals(0, dlqDepth());
  }

  /**
   * Expected: a function that manages its messages' visibility hides a failed message for 30 s and
   * reports it; the poller leaves it hidden (it does not come back after the short retry
   * visibility), while a whole failed invocation of the same source still returns at once.
   */
  @Test
  void aFunctionsOwnVisibility_isKeptForReportedFailures() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    poller = new SqsEventSourcePoller(sqs, values.queueUrl("WorkQueue"), LocalValues.queueArn("WorkQueue"),
        new SqsEventSource("WorkQueue", 5, 0, true, true), event -> {
          JsonNode records = record(event);
          if (calls.incrementAndGet() == 1) {
            throw new FunctionErrorException("WorkFunction", "Unhandled", "{}".getBytes(StandardCharsets.UTF_8));
          }
          JsonNode r = records.get(0);
          sqs.changeMessageVisibility(b -> b.queueUrl(values.queueUrl("WorkQueue"))
              .receiptHandle(r.get("receiptHandle").asText()).visibilityTimeout(30));
          return ("{\"batchItemFailures\":[{\"itemIdentifier\":\"" + r.get("messageId").asText() + "\"}]}")
              .getBytes(StandardCharsets.UTF_8);
        }, (int) VISIBILITY.toSeconds(), Duration.ofSeconds(1), json);
    poller.start();
    send("postponed");
    await(() -> deliveries("postponed") == 2, Duration.ofSeconds(20)); // the crash's retry came back
    Thread.sleep(VISIBILITY.toMillis() * 3);
    assertEquals(2, deliveries("postponed"), "hidden for the function's 30 s, not the poller's " + VISIBILITY);
    assertEquals(1, depth("WorkQueue", QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  @Test
  void batchingWindow_gathersUpToBatchSize() {
    start(this::reportFailures, 1);
    for (int i = 0; i < 12; i++) {
      send("ok-" + i);
    }
    await(() -> deliveries.size() == 12 && queueDepth() == 0, Duration.ofSeconds(20));
    assertTrue(batchSizes.stream().allMatch(n -> n <= 5), "BatchSize 5: " + batchSizes);
    assertTrue(batchSizes.stream().anyMatch(n -> n > 1), "the window gathers more than one: " + batchSizes);
  }

  private void start(FunctionInvoker function) {
    start(function, 0);
  }

  private void start(FunctionInvoker function, int batchingWindowSeconds) {
    poller = new SqsEventSourcePoller(sqs, values.queueUrl("WorkQueue"), LocalValues.queueArn("WorkQueue"),
        new SqsEventSource("WorkQueue", 5, batchingWindowSeconds, true), function, (int) VISIBILITY.toSeconds(),
        Duration.ofSeconds(1), json);
    poller.start();
  }

  /** The fake function: fails {@code fail-always} every time and {@code fail-once} the first time. */
  private byte[] reportFailures(byte[] event) {
    StringBuilder failures = new StringBuilder();
    for (JsonNode record : record(event)) {
      String body = record.get("body").asText();
      int count = record.at("/attributes/ApproximateReceiveCount").asInt();
      if (body.equals("fail-always") || body.equals("fail-once") && count == 1) {
        failures.append(failures.length() == 0 ? "" : ",")
            .append("{\"itemIdentifier\":\"").append(record.get("messageId").asText()).append("\"}");
      }
    }
    return ("{\"batchItemFailures\":[" + failures + "]}").getBytes(StandardCharsets.UTF_8);
  }

  private JsonNode record(byte[] event) {
    try {
      JsonNode records = json.readTree(event).get("Records");
      batchSizes.add(records.size());
      records.forEach(r -> deliveries.computeIfAbsent(r.get("body").asText(), k -> new AtomicInteger()).incrementAndGet());
      return records;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int deliveries(String body) {
    AtomicInteger n = deliveries.get(body);
    return n == null ? 0 : n.get();
  }

  private void send(String body) {
    sqs.sendMessage(b -> b.queueUrl(values.queueUrl("WorkQueue")).messageBody(body));
  }

  private int queueDepth() {
    return depth("WorkQueue", QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
        + depth("WorkQueue", QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE);
  }

  private int dlqDepth() {
    return depth("WorkDeadLetterQueue", QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
  }

  private int depth(String queue, QueueAttributeName attribute) {
    return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(values.queueUrl(queue)).attributeNames(attribute))
        .attributes().get(attribute));
  }

  private static void await(BooleanSupplier condition, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + timeout);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
