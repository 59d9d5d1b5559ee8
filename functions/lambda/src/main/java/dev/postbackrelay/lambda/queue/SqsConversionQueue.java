package dev.postbackrelay.lambda.queue;

import dev.postbackrelay.common.QueueUnavailableException;
import dev.postbackrelay.postback.ConversionQueue;
import dev.postbackrelay.postback.Postback;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The conversion queue on SQS. SendMessage returns only once SQS has stored the message
 * redundantly, which is what makes a 200 at {@code /postback} safe.
 */
public final class SqsConversionQueue implements ConversionQueue {

  private final SqsClient sqs;
  private final String queueUrl;

  public SqsConversionQueue(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  @Override
  public void send(Postback postback) {
    try {
      sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(PostbackJson.write(postback)));
    } catch (SdkException e) {
      throw new QueueUnavailableException("the conversion queue did not take the postback", e);
    }
  }
}
