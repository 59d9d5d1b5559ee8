package dev.postbackrelay.lambda.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.postbackrelay.lambda.forwarding.DeliveryRunner;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * The delivery queue's consumer: runs a batch's deliveries side by side, so one slow destination
 * holds up only its own message, and reports the ones to run again.
 */
@Named("delivery")
public class DeliveryHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

  @Inject
  DeliveryRunner runner;

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    return new SQSBatchResponse(runner.run(event.getRecords()));
  }
}
