package dev.postbackrelay.localruntime.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Decides, as Lambda does after a successful invocation, which messages of a batch are done.
 * Without {@code ReportBatchItemFailures} all are. With it, the payload's
 * {@code batchItemFailures[].itemIdentifier} are kept for a retry and the rest are done; a missing,
 * null or empty list means all are done; a payload that is not such a document, or an identifier
 * that is empty or not in the batch, fails the whole batch (none are done).
 */
public final class BatchResponses {

  private final ObjectMapper json;

  public BatchResponses(ObjectMapper json) {
    this.json = json;
  }

  /** The messages to delete from the queue. */
  public List<Message> done(List<Message> batch, byte[] payload, boolean reportBatchItemFailures) {
    if (!reportBatchItemFailures) {
      return batch;
    }
    JsonNode root;
    try {
      root = payload == null || payload.length == 0 ? null : json.readTree(payload);
    } catch (IOException notJson) {
      return List.of();
    }
    if (root == null || root.isNull()) {
      return batch;
    }
    if (!root.isObject()) {
      return List.of();
    }
    JsonNode failures = root.get("batchItemFailures");
    if (failures == null || failures.isNull() || failures.isArray() && failures.isEmpty()) {
      return batch;
    }
    if (!failures.isArray()) {
      return List.of();
    }
    Set<String> inBatch = new HashSet<>(batch.stream().map(Message::messageId).toList());
    Set<String> failed = new HashSet<>();
    for (JsonNode failure : failures) {
      JsonNode id = failure.get("itemIdentifier");
      if (id == null || !id.isTextual() || id.asText().isEmpty() || !inBatch.contains(id.asText())) {
        return List.of();
      }
      failed.add(id.asText());
    }
    return batch.stream().filter(m -> !failed.contains(m.messageId())).toList();
  }
}
