package dev.postbackrelay.localruntime.template;

/**
 * One {@code DynamoDB} event of a function: the table whose stream it reads, the batch size, the
 * batching window, whether a failed batch is bisected, the retries before a batch is given up, whether
 * the function reports the first failed record ({@code ReportBatchItemFailures}), and the on-failure
 * queue (null for none).
 */
public record StreamEventSource(String tableLogicalId, int batchSize, int maximumBatchingWindowSeconds,
    boolean bisectBatchOnFunctionError, int maximumRetryAttempts, boolean reportBatchItemFailures,
    String onFailureQueueLogicalId) {

  /** SAM's default batch size for DynamoDB events. */
  public static final int DEFAULT_BATCH_SIZE = 100;
}
