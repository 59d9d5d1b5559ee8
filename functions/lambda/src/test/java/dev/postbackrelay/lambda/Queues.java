package dev.postbackrelay.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** Reads the local queues, and turns real received messages into the SQS event Lambda delivers. */
public final class Queues {

  private Queues() {}

  /** Receives and deletes everything on {@code queue}; returns the bodies. */
  public static List<String> drain(String queue) {
    List<String> bodies = new ArrayList<>();
    try (var sqs = LocalAwsResource.aws().sqs()) {
      String url = LocalAwsResource.aws().queueUrl(queue);
      while (true) {
        var messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
        if (messages.isEmpty()) {
          return bodies;
        }
        for (var m : messages) {
          bodies.add(m.body());
          sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
        }
      }
    }
  }

  /** Receives and deletes everything on {@code queue}; returns the messages with their message attributes. */
  public static List<Message> drainMessages(String queue) {
    List<Message> drained = new ArrayList<>();
    try (var sqs = LocalAwsResource.aws().sqs()) {
      String url = LocalAwsResource.aws().queueUrl(queue);
      while (true) {
        var messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
            .messageAttributeNames("All")).messages();
        if (messages.isEmpty()) {
          return drained;
        }
        for (var m : messages) {
          drained.add(m);
          sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
        }
      }
    }
  }

  /**
   * Stands in for the event source mapping: sends {@code bodies} to {@code queue}, receives them,
   * invokes the function with that event, then deletes every received message, a retried one too.
   * A retried message is not left to reappear when its visibility time-out ends (minutes later, in
   * whichever test then reads the queue): a test that wants the retry runs the delivery again.
   */
  public static JsonNode invoke(String queue, List<String> bodies) {
    ObjectNode event = sendAndReceive(queue, bodies);
    JsonNode response = Events.invoke(event);
    try (var sqs = LocalAwsResource.aws().sqs()) {
      String url = LocalAwsResource.aws().queueUrl(queue);
      event.get("Records").forEach(r -> sqs.deleteMessage(b -> b.queueUrl(url)
          .receiptHandle(r.path("receiptHandle").asText())));
    }
    return response;
  }

  /** Sends {@code bodies} to {@code queue}, receives them, and returns the event Lambda would deliver. */
  private static ObjectNode sendAndReceive(String queue, List<String> bodies) {
    try (var sqs = LocalAwsResource.aws().sqs()) {
      String url = LocalAwsResource.aws().queueUrl(queue);
      bodies.forEach(body -> sqs.sendMessage(b -> b.queueUrl(url).messageBody(body)));
      List<Message> received = new ArrayList<>();
      for (int i = 0; i < 10 && received.size() < bodies.size(); i++) {
        received.addAll(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
            .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages());
      }
      ObjectNode event = Events.load("sqs-conversion.json");
      ArrayNode records = (ArrayNode) event.get("Records");
      ObjectNode template = (ObjectNode) records.get(0);
      records.removeAll();
      for (Message m : received) {
        ObjectNode record = template.deepCopy();
        record.put("messageId", m.messageId()).put("receiptHandle", m.receiptHandle()).put("body", m.body())
            .put("md5OfBody", m.md5OfBody())
            .put("eventSourceARN", "arn:aws:sqs:us-east-1:000000000000:" + queue);
        ObjectNode attributes = record.putObject("attributes");
        m.attributes().forEach((k, v) -> attributes.put(k.toString(), v));
        records.add(record);
      }
      return event;
    }
  }
}
