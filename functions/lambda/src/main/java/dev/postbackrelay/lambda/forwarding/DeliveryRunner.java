package dev.postbackrelay.lambda.forwarding;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import dev.postbackrelay.attribution.Delivery;
import dev.postbackrelay.forwarding.DeliveryOutcome;
import dev.postbackrelay.forwarding.DeliveryService;
import dev.postbackrelay.lambda.metrics.Metrics;
import dev.postbackrelay.lambda.queue.DeadLetterQueue;
import dev.postbackrelay.lambda.queue.DeliveryJson;
import dev.postbackrelay.lambda.queue.SqsDeliveryQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Maps delivery outcomes onto the delivery queue: delivered and skipped messages are done; a retry
 * is hidden until it is due (ChangeMessageVisibility) and reported as a batch item failure, so SQS
 * brings it back then; a dead delivery is moved to the dead-letter queue with its reason, and so is
 * a message that cannot be read (reason {@code unreadable_message}).
 */
public final class DeliveryRunner {

  private static final Logger LOG = Logger.getLogger(DeliveryRunner.class);

  private final DeliveryService deliveries;
  private final SqsDeliveryQueue queue;
  private final Metrics metrics;
  private final ExecutorService executor;

  public DeliveryRunner(DeliveryService deliveries, SqsDeliveryQueue queue, Metrics metrics, int parallelism) {
    this.deliveries = deliveries;
    this.queue = queue;
    this.metrics = metrics;
    this.executor = Executors.newFixedThreadPool(parallelism, r -> {
      Thread t = new Thread(r, "delivery");
      t.setDaemon(true);
      return t;
    });
  }

  public List<BatchItemFailure> run(List<SQSMessage> messages) {
    List<Future<Boolean>> done = new ArrayList<>();
    for (SQSMessage message : messages) {
      done.add(executor.submit(() -> runOne(message)));
    }
    List<BatchItemFailure> failures = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      boolean finished;
      try {
        finished = done.get(i).get();
      } catch (Exception e) {
        LOG.errorf(e, "delivery message %s failed", messages.get(i).getMessageId());
        finished = false;
      }
      if (!finished) {
        failures.add(new BatchItemFailure(messages.get(i).getMessageId()));
      }
    }
    return failures;
  }

  /** @return whether the message is finished with (delete it) */
  private boolean runOne(SQSMessage message) {
    Delivery delivery;
    try {
      delivery = DeliveryJson.read(message.getBody());
    } catch (IllegalArgumentException e) {
      // to the dead-letter queue at once, with its reason; left to the queue's redrive if that fails
      boolean moved = queue.buryUnreadable(message, "not a delivery (" + DeadLetterQueue.kind(e) + ")");
      if (moved) {
        metrics.count("UnreadableMessage", null);
      }
      return moved;
    }
    MDC.put("click_id", delivery.clickId());
    MDC.put("destination", delivery.destinationId());
    try {
      DeliveryOutcome outcome = deliveries.deliver(delivery);
      if (outcome instanceof DeliveryOutcome.Delivered) {
        metrics.count("Forwarded", null);
      } else if (outcome instanceof DeliveryOutcome.Skipped s) {
        LOG.infof("delivery skipped: %s", s.reason());
      } else if (outcome instanceof DeliveryOutcome.RetryAfter r) {
        metrics.count("DeliveryFailed", null);
        queue.postpone(message.getReceiptHandle(), Math.max(1, r.delay().toSeconds()));
        return false;
      } else if (outcome instanceof DeliveryOutcome.Dead dead) {
        metrics.count("DeliveryFailed", null);
        LOG.warnf("delivery dead: %s", dead.reason());
        queue.bury(delivery, dead.reason());
      }
      return true;
    } finally {
      MDC.remove("click_id");
      MDC.remove("destination");
    }
  }
}
