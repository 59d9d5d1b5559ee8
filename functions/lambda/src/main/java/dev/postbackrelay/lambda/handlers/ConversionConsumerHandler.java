package dev.postbackrelay.lambda.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.postbackrelay.attribution.AttributionService;
import dev.postbackrelay.lambda.metrics.Metrics;
import dev.postbackrelay.lambda.queue.DeadLetterQueue;
import dev.postbackrelay.lambda.queue.PostbackJson;
import dev.postbackrelay.postback.Postback;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The conversion queue's consumer: attributes a batch, which queues the deliveries it owes, and
 * reports per message the ones to retry. A message that is no postback is moved to the dead-letter
 * queue at once with its reason; one that keeps failing is redriven there by SQS after the queue's
 * maxReceiveCount.
 */
@Named("consumer")
public class ConversionConsumerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

  private static final Logger LOG = Logger.getLogger(ConversionConsumerHandler.class);

  @Inject
  AttributionService attribution;
  @Inject
  Metrics metrics;
  @Inject
  DeadLetterQueue deadLetters;

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    Map<String, List<String>> messagesByPostback = new LinkedHashMap<>();
    List<Postback> batch = new ArrayList<>();
    for (SQSEvent.SQSMessage message : event.getRecords()) {
      try {
        Postback postback = PostbackJson.read(message.getBody());
        if (messagesByPostback.computeIfAbsent(postback.postbackId(), k -> new ArrayList<>()).isEmpty()) {
          batch.add(postback);
        }
        messagesByPostback.get(postback.postbackId()).add(message.getMessageId());
      } catch (RuntimeException e) {
        // to the dead-letter queue at once, with its reason (its depth alarm stops a rollout writing
        // such messages); reported, and left to the queue's redrive, if that fails
        if (deadLetters.moveUnreadable(message, "not a postback (" + DeadLetterQueue.kind(e) + ")")) {
          metrics.count("UnreadableMessage", null);
        } else {
          failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
        }
      }
    }
    Map<String, AttributionService.Attempt> attempts = attribution.attributeBatch(batch);
    messagesByPostback.forEach((postbackId, messageIds) -> {
      AttributionService.Attempt attempt = attempts.get(postbackId);
      if (attempt instanceof AttributionService.Attempt.Retry) {
        messageIds.forEach(id -> failures.add(new SQSBatchResponse.BatchItemFailure(id)));
        return;
      }
      AttributionService.Result result = ((AttributionService.Attempt.Finished) attempt).result();
      var decision = result.decision();
      String reason = decision.reason() == null ? null : decision.reason().code();
      LOG.infof("postback %s: %s %s, %d deliveries queued", postbackId, decision.outcome(), reason == null ? "" : reason,
          result.queued().size());
      switch (decision.outcome()) {
        case ATTRIBUTED -> metrics.count("Attributed", null);
        case STATUS_UPDATED -> metrics.count("StatusUpdated", null);
        case DUPLICATE -> metrics.count("Duplicate", null);
        case REJECTED -> metrics.count("Rejected", reason);
        default -> { }
      }
    });
    return new SQSBatchResponse(failures);
  }
}
