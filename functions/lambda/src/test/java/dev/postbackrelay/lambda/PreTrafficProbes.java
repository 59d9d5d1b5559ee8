package dev.postbackrelay.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * What the deploy hook ({@code functions/deploy-hook}, {@code QueueProbe}) sends the queue consumers'
 * new versions before traffic shifts, {@code events/sqs-pretraffic-probe.json}, and how a test sees
 * that the probe left nothing behind.
 */
public final class PreTrafficProbes {

  /** The fixture the hook packages and sends, with the message id of one deployment's probe. */
  public static final String FIXTURE = "sqs-pretraffic-probe.json";

  private PreTrafficProbes() {}

  /** The probe's event, as the hook sends it, with this message id. */
  public static ObjectNode event(String messageId) {
    ObjectNode event = Events.load(FIXTURE);
    ((ObjectNode) event.get("Records").get(0)).put("messageId", messageId);
    return event;
  }

  /** The probe's body: no queue's message. */
  public static String body() {
    return Events.load(FIXTURE).get("Records").get(0).get("body").asText();
  }

  /**
   * Sends the probe with {@code messageId} to the function under test and checks that it is
   * answered as that message's batch failure and leaves nothing behind: nothing stored, nothing in
   * {@code queuesLeftEmpty} (drained first; each with what its message means), the refusal logged
   * by message id and no message body logged.
   */
  public static void assertReportedByMessageId_andLeftNothing(String messageId, Map<String, String> queuesLeftEmpty) {
    queuesLeftEmpty.keySet().forEach(Queues::drain);
    int before = items("TrackingTable");

    JsonNode response;
    List<String> logged;
    try (var logs = Logs.capture()) {
      response = Events.invoke(event(messageId));
      logged = List.copyOf(logs.messages);
    }

    assertEquals("{\"batchItemFailures\":[{\"itemIdentifier\":\"" + messageId + "\"}]}", response.toString());
    assertEquals(before, items("TrackingTable"), "the probe stored something");
    queuesLeftEmpty.forEach((queue, message) -> assertEquals(List.of(), Queues.drain(queue), message));
    assertTrue(logged.stream().anyMatch(m -> m.contains(messageId)), "the refusal is logged by message id: " + logged);
    assertTrue(logged.stream().noneMatch(m -> m.contains(body())), "a message body was logged: " + logged);
  }

  /** The number of items in a table, read consistently. */
  public static int items(String table) {
    try (var dynamo = LocalAwsResource.aws().dynamo()) {
      int count = 0;
      for (var page : dynamo.scanPaginator(b -> b.tableName(table).select(Select.COUNT).consistentRead(true))) {
        count += page.count();
      }
      return count;
    }
  }

  /** Collects every log message written while it is open (formatted, as the function's log would show it). */
  public static final class Logs extends Handler implements AutoCloseable {
    public final List<String> messages = new CopyOnWriteArrayList<>();

    public static Logs capture() {
      Logs logs = new Logs();
      Logger.getLogger("").addHandler(logs);
      return logs;
    }

    @Override
    public void publish(LogRecord record) {
      String message = record instanceof org.jboss.logmanager.ExtLogRecord e ? e.getFormattedMessage() : record.getMessage();
      messages.add(message + (record.getThrown() == null ? "" : " " + record.getThrown()));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
      Logger.getLogger("").removeHandler(this);
    }
  }
}
