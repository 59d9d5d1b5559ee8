package dev.postbackrelay.localruntime.sqs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postbackrelay.localruntime.runtime.FunctionInvoker;
import dev.postbackrelay.localruntime.template.SqsEventSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * Lambda's SQS event-source mapping for one queue and one function: long-polls the queue, gathers
 * up to {@code BatchSize} messages (waiting at most {@code MaximumBatchingWindowInSeconds} for a
 * fuller batch), invokes the function with the SQS event and deletes the messages that are done
 * (see {@link BatchResponses}) with {@code DeleteMessageBatch}. Messages not deleted, including
 * the whole batch when the invocation fails, come back after the visibility timeout; moving them
 * to a dead-letter queue after {@code maxReceiveCount} is the queue's own redrive policy.
 *
 * <p>A {@code retryVisibilityTimeout} (for fast local retries) is set on the messages left after
 * an invocation, with {@code ChangeMessageVisibilityBatch}, so they return that many seconds after
 * the failure. It is not sent with the receive: a visibility shorter than the batching window plus
 * the invocation would hand the same message out again while it is still being gathered or
 * processed, and count receives the function never failed towards the redrive. It is never set on
 * a message the function reported as failed when the function manages its messages' visibility
 * ({@link SqsEventSource#functionManagesVisibility()}: the delivery function hides a retry until it
 * is due): as on Lambda, such a message returns when the function said. A whole failed invocation
 * (a crash, a kill, a time-out) still gets it: the function could not say anything.
 */
public final class SqsEventSourcePoller implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(SqsEventSourcePoller.class.getName());
  private static final int MAX_RECEIVE = 10;

  private final SqsClient sqs;
  private final String queueUrl;
  private final String queueArn;
  private final SqsEventSource source;
  private final FunctionInvoker function;
  private final Integer retryVisibilityTimeout;
  private final Duration longPoll;
  private final SqsEvents events;
  private final BatchResponses batchResponses;
  private final ObjectMapper json;
  private final Thread thread;
  private volatile boolean running = true;

  public SqsEventSourcePoller(SqsClient sqs, String queueUrl, String queueArn, SqsEventSource source,
      FunctionInvoker function, Integer retryVisibilityTimeout, Duration longPoll, ObjectMapper json) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.queueArn = queueArn;
    this.source = source;
    this.function = function;
    this.retryVisibilityTimeout = retryVisibilityTimeout;
    this.longPoll = longPoll;
    this.json = json;
    this.events = new SqsEvents(json);
    this.batchResponses = new BatchResponses(json);
    this.thread = new Thread(this::run, "sqs-poller-" + source.queueLogicalId());
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /**
   * Stops polling; an invocation in progress finishes first, for at most {@code wait}, and messages
   * received but not yet given to the function are made visible again.
   */
  public void stop(Duration wait) {
    running = false;
    try {
      thread.join(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop(longPoll.plusSeconds(1));
  }

  private void run() {
    while (running) {
      try {
        List<Message> batch = receiveBatch();
        if (!batch.isEmpty() && running) {
          process(batch);
        } else if (!batch.isEmpty()) {
          release(batch);
        }
      } catch (SdkException e) {
        if (running) {
          LOG.log(System.Logger.Level.WARNING, "{0}: receive failed ({1}); retrying", source.queueLogicalId(),
              e.getMessage());
          pause(Duration.ofSeconds(1));
        }
      }
    }
  }

  /**
   * A batch of distinct messages: one received again within the batching window (its visibility
   * timeout ran out meanwhile) replaces its earlier copy, whose receipt handle is no longer valid.
   */
  private List<Message> receiveBatch() {
    Map<String, Message> batch = new LinkedHashMap<>();
    receive(Math.min(source.batchSize(), MAX_RECEIVE), (int) longPoll.toSeconds()).forEach(m -> batch.put(m.messageId(), m));
    long windowEnd = System.currentTimeMillis() + source.maximumBatchingWindowSeconds() * 1000L;
    while (!batch.isEmpty() && batch.size() < source.batchSize() && running) {
      long remainingMs = windowEnd - System.currentTimeMillis();
      if (remainingMs <= 0) {
        break;
      }
      int wait = (int) Math.max(1, Math.min(remainingMs / 1000, 20));
      receive(Math.min(source.batchSize() - batch.size(), MAX_RECEIVE), wait).forEach(m -> batch.put(m.messageId(), m));
    }
    return new ArrayList<>(batch.values());
  }

  private List<Message> receive(int max, int waitSeconds) {
    ReceiveMessageRequest request = ReceiveMessageRequest.builder().queueUrl(queueUrl)
        .maxNumberOfMessages(max).waitTimeSeconds(waitSeconds)
        .attributeNamesWithStrings("All").messageSystemAttributeNamesWithStrings("All")
        .messageAttributeNames("All").build();
    return sqs.receiveMessage(request).messages();
  }

  private void process(List<Message> batch) {
    byte[] payload;
    try {
      payload = function.invoke(json.writeValueAsBytes(events.build(batch, queueArn)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "{0}: invocation with {1} message(s) failed, they return after the"
          + " visibility timeout: {2}", source.queueLogicalId(), batch.size(), e.getMessage());
      retryLater(batch);
      return;
    }
    List<Message> done = batchResponses.done(batch, payload, source.reportBatchItemFailures());
    if (done.size() < batch.size()) {
      LOG.log(System.Logger.Level.INFO, "{0}: {1} of {2} message(s) left for a retry", source.queueLogicalId(),
          batch.size() - done.size(), batch.size());
    }
    delete(done);
    if (!source.functionManagesVisibility()) {
      // a function that hides its retries itself (ChangeMessageVisibility) has said when they return
      retryLater(batch.stream().filter(m -> !done.contains(m)).toList());
    }
  }

  /** Makes messages received while stopping visible again at once, so a restart need not wait out their timeout. */
  private void release(List<Message> batch) {
    for (List<Message> chunk : chunks(batch)) {
      List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < chunk.size(); i++) {
        entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id("m" + i)
            .receiptHandle(chunk.get(i).receiptHandle()).visibilityTimeout(0).build());
      }
      sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(entries));
    }
  }

  private void retryLater(List<Message> left) {
    if (retryVisibilityTimeout == null) {
      return;
    }
    for (List<Message> chunk : chunks(left)) {
      List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < chunk.size(); i++) {
        entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id("m" + i)
            .receiptHandle(chunk.get(i).receiptHandle()).visibilityTimeout(retryVisibilityTimeout).build());
      }
      sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(entries)).failed()
          .forEach(f -> LOG.log(System.Logger.Level.WARNING, "{0}: visibility change failed: {1} {2}",
              source.queueLogicalId(), f.code(), f.message()));
    }
  }

  private void delete(List<Message> done) {
    for (List<Message> chunk : chunks(done)) {
      List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < chunk.size(); i++) {
        entries.add(DeleteMessageBatchRequestEntry.builder().id("m" + i).receiptHandle(chunk.get(i).receiptHandle())
            .build());
      }
      DeleteMessageBatchResponse response = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
      response.failed().forEach(f -> LOG.log(System.Logger.Level.WARNING, "{0}: delete failed: {1} {2}",
          source.queueLogicalId(), f.code(), f.message()));
    }
  }

  private static List<List<Message>> chunks(List<Message> messages) {
    List<List<Message>> chunks = new ArrayList<>();
    for (int from = 0; from < messages.size(); from += MAX_RECEIVE) {
      chunks.add(messages.subList(from, Math.min(messages.size(), from + MAX_RECEIVE)));
    }
    return chunks;
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
