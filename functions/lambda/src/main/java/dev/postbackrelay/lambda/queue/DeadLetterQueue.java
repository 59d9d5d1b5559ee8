package dev.postbackrelay.lambda.queue;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * A queue's dead-letter queue, written by its consumer: each message carries why it is there in
 * its {@value #REASON_ATTRIBUTE} attribute, so an operator reading the queue (or its depth alarm)
 * never has to guess.
 *
 * <p>A message its consumer can never read (a poison message: not JSON, or not what the queue
 * carries) is moved here at once, as received, with the reason {@value #UNREADABLE} and the id it
 * had on its queue, instead of circling through the queue's {@code maxReceiveCount} receives and
 * arriving by SQS's redrive with no reason. The reason names only the kind of fault, never the
 * body's text: what the parser saw may be a secret. Only a record from the source queue is moved: a
 * record that was never on it (the pre-traffic hook's probe) has nothing to move, and its consumer
 * reports it as a batch item failure instead.
 */
public final class DeadLetterQueue {

  public static final String REASON_ATTRIBUTE = "dead_reason";
  public static final String SOURCE_MESSAGE_ATTRIBUTE = "source_message_id";
  public static final String UNREADABLE = "unreadable_message";
  private static final int MAX_REASON = 256;
  private static final Logger LOG = Logger.getLogger(DeadLetterQueue.class);

  private final SqsClient sqs;
  private final String url;
  private final String sourceQueueName;

  /**
   * @param url this dead-letter queue's URL
   * @param sourceQueueUrl the URL of the queue whose messages come here
   */
  public DeadLetterQueue(SqsClient sqs, String url, String sourceQueueUrl) {
    this.sqs = sqs;
    this.url = url;
    this.sourceQueueName = sourceQueueUrl.substring(sourceQueueUrl.lastIndexOf('/') + 1);
  }

  /** Sends a body with its reason (cut to 256 characters) and any further attributes; throws if SQS refuses. */
  public void send(String body, String reason, Map<String, String> attributes) {
    Map<String, MessageAttributeValue> values = new LinkedHashMap<>();
    values.put(REASON_ATTRIBUTE, text(reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON)));
    attributes.forEach((k, v) -> values.put(k, text(v)));
    sqs.sendMessage(b -> b.queueUrl(url).messageBody(body).messageAttributes(values));
  }

  /**
   * Moves a message its consumer cannot read: its body as received, the reason
   * {@code unreadable_message: <what>} and its id on the source queue. Logs what it did, by message
   * id only.
   *
   * @param what the kind of fault, e.g. {@code "not a postback (JsonParseException)"}; no body text
   * @return whether it was moved (delete it from the source queue); false for a record that is not
   *     from the source queue, or when SQS refused (it stays, and the queue's redrive takes it to
   *     this queue after maxReceiveCount receives): report it as a batch item failure
   */
  public boolean moveUnreadable(SQSMessage message, String what) {
    if (!fromSourceQueue(message)) {
      LOG.errorf("message %s is %s, and not from the queue: reported, nothing to move", message.getMessageId(), what);
      return false;
    }
    // SQS refuses an empty body; a poison message may be one only by way of a test's raw event
    String body = message.getBody() == null || message.getBody().isEmpty() ? "(empty)" : message.getBody();
    try {
      send(body, UNREADABLE + ": " + what, Map.of(SOURCE_MESSAGE_ATTRIBUTE, String.valueOf(message.getMessageId())));
    } catch (RuntimeException e) {
      LOG.errorf("message %s is %s and could not be moved to the dead-letter queue (%s): left to the queue's redrive",
          message.getMessageId(), what, e.getClass().getSimpleName());
      return false;
    }
    LOG.errorf("message %s is %s: moved to the dead-letter queue", message.getMessageId(), what);
    return true;
  }

  /** The kind of fault in reading a message: the parser's exception's class, never its message (it quotes the body). */
  public static String kind(Exception e) {
    Throwable cause = e instanceof IllegalArgumentException && e.getCause() != null ? e.getCause() : e;
    return cause.getClass().getSimpleName();
  }

  /** Whether the record came from the source queue: its event source ARN names it ({@code arn:...:<name>}). */
  boolean fromSourceQueue(SQSMessage message) {
    String arn = message.getEventSourceArn();
    return arn != null && arn.substring(arn.lastIndexOf(':') + 1).equals(sourceQueueName);
  }

  private static MessageAttributeValue text(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }
}
