package dev.postbackrelay.localruntime.template;

/**
 * One {@code SQS} event of a function: the queue's logical id, the batch size, the batching window,
 * whether the function reports partial batch failures ({@code ReportBatchItemFailures}), and
 * whether it manages its messages' visibility itself: the template grants it
 * {@code sqs:ChangeMessageVisibility} on that queue (the delivery function hides a retry until it
 * is due), so a message it reports as failed comes back when it said, never sooner.
 */
public record SqsEventSource(String queueLogicalId, int batchSize, int maximumBatchingWindowSeconds,
    boolean reportBatchItemFailures, boolean functionManagesVisibility) {

  /** A source whose function leaves its messages' visibility to the queue. */
  public SqsEventSource(String queueLogicalId, int batchSize, int maximumBatchingWindowSeconds,
      boolean reportBatchItemFailures) {
    this(queueLogicalId, batchSize, maximumBatchingWindowSeconds, reportBatchItemFailures, false);
  }

  /** SAM's default batch size for SQS events. */
  public static final int DEFAULT_BATCH_SIZE = 10;
}
