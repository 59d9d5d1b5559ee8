package dev.postbackrelay.lambda.queue;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import dev.postbackrelay.attribution.Delivery;
import dev.postbackrelay.attribution.DeliveryQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The delivery queue and its dead-letter queue on SQS. Deliveries are sent ten to a
 * SendMessageBatch; a dead delivery is moved to the dead-letter queue with its reason, and
 * {@link #replay} moves dead deliveries back, marked as replayed so the retry schedule starts over;
 * a message that is no delivery (moved there unread, {@link DeadLetterQueue#UNREADABLE}) stays for a
 * person to look at.
 */
public final class SqsDeliveryQueue implements DeliveryQueue {

  private static final int BATCH = 10;

  private final SqsClient sqs;
  private final String queueUrl;
  private final String deadLetterQueueUrl;
  private final DeadLetterQueue deadLetters;
  private final Clock clock;

  public SqsDeliveryQueue(SqsClient sqs, String queueUrl, String deadLetterQueueUrl, Clock clock) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.deadLetterQueueUrl = deadLetterQueueUrl;
    this.deadLetters = new DeadLetterQueue(sqs, deadLetterQueueUrl, queueUrl);
    this.clock = clock;
  }

  @Override
  public void send(List<Delivery> deliveries) {
    for (int from = 0; from < deliveries.size(); from += BATCH) {
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
      List<Delivery> chunk = deliveries.subList(from, Math.min(deliveries.size(), from + BATCH));
      for (int i = 0; i < chunk.size(); i++) {
        entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
            .messageBody(DeliveryJson.write(chunk.get(i))).build());
      }
      var response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
      if (response.hasFailed() && !response.failed().isEmpty()) {
        throw new IllegalStateException("the delivery queue refused " + response.failed().size() + " deliveries: "
            + response.failed().get(0).code());
      }
    }
  }

  /** Moves a delivery to the dead-letter queue, with the reason as a message attribute. */
  public void bury(Delivery delivery, String reason) {
    deadLetters.send(DeliveryJson.write(delivery), reason, Map.of());
  }

  /**
   * Moves a message that is no delivery to the dead-letter queue, as received, with its reason
   * (never replayed).
   *
   * @return false for a record that was never on the delivery queue (nothing to move)
   */
  public boolean buryUnreadable(SQSMessage message, String what) {
    return deadLetters.moveUnreadable(message, what);
  }

  /**
   * Moves up to {@code max} dead deliveries back onto the delivery queue, each marked replayed now.
   *
   * @return how many were moved
   */
  public int replay(int max) {
    int moved = 0;
    // a message that is no delivery stays, hidden for a minute by its receive: look past it, boundedly
    for (int receives = 0; moved < max && receives < max / BATCH + 10; receives++) {
      int want = Math.min(BATCH, max - moved);
      // a one-second long poll (a short one may miss messages): its attempt may outlast the client's
      List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(deadLetterQueueUrl).maxNumberOfMessages(want)
          .waitTimeSeconds(1).visibilityTimeout(60)
          .overrideConfiguration(o -> o.apiCallAttemptTimeout(Duration.ofSeconds(2)))).messages();
      if (messages.isEmpty()) {
        return moved;
      }
      List<Delivery> deliveries = new ArrayList<>();
      List<Message> movable = new ArrayList<>();
      for (Message m : messages) {
        try {
          deliveries.add(DeliveryJson.read(m.body()).replayed(clock.instant()));
          movable.add(m);
        } catch (IllegalArgumentException notADelivery) {
          // left in the dead-letter queue for a person to look at
        }
      }
      if (movable.isEmpty()) {
        continue;
      }
      send(deliveries);
      List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
      for (int i = 0; i < movable.size(); i++) {
        deletes.add(DeleteMessageBatchRequestEntry.builder()
            .id(Integer.toString(i)).receiptHandle(movable.get(i).receiptHandle()).build());
      }
      sqs.deleteMessageBatch(b -> b.queueUrl(deadLetterQueueUrl).entries(deletes));
      moved += movable.size();
    }
    return moved;
  }

  /** SQS allows 12 hours of visibility counted from the receive; keep a margin for the time spent since. */
  static final int MAX_POSTPONE_SECONDS = 11 * 3600;

  /** Hides a message for {@code seconds} (at most 11 hours; a longer wait takes another receive). */
  public void postpone(String receiptHandle, long seconds) {
    int visibility = (int) Math.max(0, Math.min(seconds, MAX_POSTPONE_SECONDS));
    sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle).visibilityTimeout(visibility));
  }
}
