package dev.postbackrelay.localruntime.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

class SqsEventsTest {

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void records_carryWhatLambdaDelivers() throws Exception {
    Message message = Message.builder().messageId("id-1").receiptHandle("rh-1").body("{\"k\":1}").md5OfBody("md5")
        .attributesWithStrings(Map.of("ApproximateReceiveCount", "2", "SentTimestamp", "1700000000000"))
        .messageAttributes(Map.of("trace", MessageAttributeValue.builder().dataType("String").stringValue("t1").build()))
        .build();
    ObjectNode event = new SqsEvents(json).build(List.of(message), "arn:aws:sqs:us-east-1:000000000000:WorkQueue");

    var record = event.at("/Records/0");
    assertEquals("aws:sqs", record.get("eventSource").asText());
    assertEquals("us-east-1", record.get("awsRegion").asText());
    assertEquals("2", record.at("/attributes/ApproximateReceiveCount").asText());

    SQSEvent typed = LambdaEventSerializers.serializerFor(SQSEvent.class, getClass().getClassLoader())
        .fromJson(new ByteArrayInputStream(json.writeValueAsBytes(event)));
    SQSEvent.SQSMessage m = typed.getRecords().get(0);
    assertEquals("id-1", m.getMessageId());
    assertEquals("rh-1", m.getReceiptHandle());
    assertEquals("{\"k\":1}", m.getBody());
    assertEquals("md5", m.getMd5OfBody());
    assertEquals("arn:aws:sqs:us-east-1:000000000000:WorkQueue", m.getEventSourceArn());
    assertEquals("t1", m.getMessageAttributes().get("trace").getStringValue());
    assertEquals("String", m.getMessageAttributes().get("trace").getDataType());
  }
}
