package dev.postbackrelay.deployhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/**
 * One synthetic SQS event to a queue consumer's version: {@code events/sqs-pretraffic-probe.json}
 * (packaged into the hook's jar, and the fixture the consumers' own tests run), one record shaped
 * as Lambda's event source mapping delivers it. Its body is no queue's message, neither a postback
 * nor a delivery: the version must report exactly that record in {@code batchItemFailures}, its
 * contract for an unreadable record that is not from its own queue (one from its queue it moves to
 * the dead-letter queue with its reason), and do nothing else. The record names a queue of its own
 * ({@code pretraffic-probe}) and was never on one, so nothing is retried and nothing reaches a
 * dead-letter queue; the version logs it by message id.
 *
 * @param name what the probe sends, for the report
 * @param label the message id's last part ({@code pretraffic-<deployment id>-<label>})
 * @param functionArn the qualified ARN of the version under test
 */
record QueueProbe(String name, String label, String functionArn) implements Probe {

  /** The event fixture, on the hook's class path. */
  static final String FIXTURE = "/events/sqs-pretraffic-probe.json";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectNode TEMPLATE = load();

  /** The record's body: the same text whatever the deployment. */
  static String body() {
    return TEMPLATE.path("Records").path(0).path("body").asText();
  }

  @Override
  public String event(String deploymentId, Instant now) {
    ObjectNode event = TEMPLATE.deepCopy();
    ObjectNode record = (ObjectNode) event.path("Records").path(0);
    record.put("messageId", Probe.probeId(deploymentId, label));
    ((ObjectNode) record.path("attributes"))
        .put("SentTimestamp", String.valueOf(now.toEpochMilli()))
        .put("ApproximateFirstReceiveTimestamp", String.valueOf(now.toEpochMilli()));
    // arn:<partition>:lambda:<region>:<account>:function:<name>:<version>; the queue is named for the probe
    String[] arn = functionArn.split(":");
    if (arn.length > 4) {
      record.put("eventSourceARN", "arn:" + arn[1] + ":sqs:" + arn[3] + ":" + arn[4] + ":pretraffic-probe")
          .put("awsRegion", arn[3]);
    }
    return event.toString();
  }

  @Override
  public Optional<String> failure(String payload, String deploymentId) {
    String expected = Probe.probeId(deploymentId, label);
    try {
      JsonNode failures = JSON.readTree(payload).path("batchItemFailures");
      if (failures.isArray() && failures.size() == 1
          && expected.equals(failures.get(0).path("itemIdentifier").asText(null))) {
        return Optional.empty();
      }
    } catch (JsonProcessingException e) {
      // reported below, with what the version answered
    }
    return Optional.of("%s: expected batchItemFailures with %s only, got %s"
        .formatted(name, expected, Probe.excerpt(String.valueOf(payload))));
  }

  private static ObjectNode load() {
    try (InputStream in = QueueProbe.class.getResourceAsStream(FIXTURE)) {
      if (in == null) {
        throw new IllegalStateException(FIXTURE + " is not on the class path: the build packages it from events/");
      }
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
