package dev.postbackrelay.lambda.store;

import java.util.concurrent.ThreadLocalRandom;

/** Jittered exponential back-off for DynamoDB's unprocessed batch items. */
final class Backoff {

  private static final int MAX_ATTEMPTS = 8;

  private Backoff() {}

  static void sleep(int attempt) {
    if (attempt >= MAX_ATTEMPTS) {
      throw new IllegalStateException("DynamoDB kept returning unprocessed items after " + MAX_ATTEMPTS + " attempts");
    }
    long ceiling = Math.min(1000, 25L << attempt);
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while backing off", e);
    }
  }
}
