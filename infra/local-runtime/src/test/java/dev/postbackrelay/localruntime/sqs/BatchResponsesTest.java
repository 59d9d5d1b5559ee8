package dev.postbackrelay.localruntime.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

class BatchResponsesTest {

  private final BatchResponses responses = new BatchResponses(new ObjectMapper());
  private final List<Message> batch = List.of(message("m1"), message("m2"), message("m3"));

  @Test
  void listedFailures_stay_everythingElseIsDone() {
    assertEquals(List.of("m1", "m3"), done("{\"batchItemFailures\":[{\"itemIdentifier\":\"m2\"}]}"));
  }

  @Test
  void emptyNullOrMissingList_meansTheWholeBatchIsDone() {
    List<String> all = List.of("m1", "m2", "m3");
    assertEquals(all, done("{\"batchItemFailures\":[]}"));
    assertEquals(all, done("{\"batchItemFailures\":null}"));
    assertEquals(all, done("{}"));
    assertEquals(all, done("null"));
    assertEquals(all, done(""));
  }

  @Test
  void invalidReport_failsTheWholeBatch() {
    assertEquals(List.of(), done("{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}"));
    assertEquals(List.of(), done("{\"batchItemFailures\":[{\"itemIdentifier\":null}]}"));
    assertEquals(List.of(), done("{\"batchItemFailures\":[{\"id\":\"m1\"}]}"));
    assertEquals(List.of(), done("{\"batchItemFailures\":[{\"itemIdentifier\":\"not-in-batch\"}]}"));
    assertEquals(List.of(), done("not json"));
    assertEquals(List.of(), done("[\"m1\"]"));
  }

  @Test
  void withoutReportBatchItemFailures_anySuccessfulInvocationFinishesTheBatch() {
    List<Message> done = responses.done(batch,
        "{\"batchItemFailures\":[{\"itemIdentifier\":\"m2\"}]}".getBytes(StandardCharsets.UTF_8), false);
    assertEquals(batch, done);
  }

  private List<String> done(String payload) {
    return responses.done(batch, payload.getBytes(StandardCharsets.UTF_8), true).stream()
        .map(Message::messageId).toList();
  }

  private static Message message(String id) {
    return Message.builder().messageId(id).receiptHandle(id + "#r").body("{}").build();
  }
}
