package dev.postbackrelay.localruntime.sqs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.localruntime.template.LocalValues;
import java.util.Base64;
import java.util.List;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Builds the event Lambda's SQS event-source mapping delivers: {@code {"Records":[...]}}, one
 * record per message with {@code messageId}, {@code receiptHandle}, {@code body}, the system
 * {@code attributes} (ApproximateReceiveCount, SentTimestamp, ...), {@code messageAttributes},
 * {@code md5OfBody}, {@code eventSource} {@code aws:sqs}, {@code eventSourceARN} and
 * {@code awsRegion}.
 */
public final class SqsEvents {

  private final ObjectMapper json;

  public SqsEvents(ObjectMapper json) {
    this.json = json;
  }

  public ObjectNode build(List<Message> messages, String queueArn) {
    ObjectNode event = json.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (Message message : messages) {
      ObjectNode record = records.addObject();
      record.put("messageId", message.messageId());
      record.put("receiptHandle", message.receiptHandle());
      record.put("body", message.body());
      ObjectNode attributes = record.putObject("attributes");
      message.attributesAsStrings().forEach(attributes::put);
      ObjectNode messageAttributes = record.putObject("messageAttributes");
      message.messageAttributes().forEach((name, value) -> {
        ObjectNode attribute = messageAttributes.putObject(name);
        if (value.stringValue() != null) {
          attribute.put("stringValue", value.stringValue());
        }
        if (value.binaryValue() != null) {
          attribute.put("binaryValue", Base64.getEncoder().encodeToString(value.binaryValue().asByteArray()));
        }
        attribute.putArray("stringListValues");
        attribute.putArray("binaryListValues");
        attribute.put("dataType", value.dataType());
      });
      record.put("md5OfBody", message.md5OfBody());
      if (message.md5OfMessageAttributes() != null) {
        record.put("md5OfMessageAttributes", message.md5OfMessageAttributes());
      }
      record.put("eventSource", "aws:sqs");
      record.put("eventSourceARN", queueArn);
      record.put("awsRegion", LocalValues.REGION);
    }
    return event;
  }
}
