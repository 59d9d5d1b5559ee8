package dev.postbackrelay.localruntime.template;

/**
 * One {@code SQS} event of a function: the queue's logical id, the batch size, the batching window
 * and whether the function reports partial batch failures ({@code ReportBatchItemFailures}).
 */
public record SqsEventSource(String queueLogicalId, int batchSize, int maximumBatchingWindowSeconds,
    boolean reportBatchItemFailures) {

  /** SAM's default batch size for SQS events. */
  public static final int DEFAULT_BATCH_SIZE = 10;
}
