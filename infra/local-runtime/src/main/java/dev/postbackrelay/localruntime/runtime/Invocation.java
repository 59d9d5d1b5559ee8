package dev.postbackrelay.localruntime.runtime;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One pending or running invocation: it is dispatched to at most one runtime, or cancelled while
 * still queued, never both; its result completes exactly once.
 */
final class Invocation {

  private enum State { QUEUED, DISPATCHED, CANCELLED }

  private final String requestId = UUID.randomUUID().toString();
  private final byte[] event;
  private final AtomicReference<State> state = new AtomicReference<>(State.QUEUED);
  private final CompletableFuture<Void> dispatched = new CompletableFuture<>();
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private volatile long deadlineMs;

  Invocation(byte[] event) {
    this.event = event;
  }

  String requestId() {
    return requestId;
  }

  byte[] event() {
    return event;
  }

  long deadlineMs() {
    return deadlineMs;
  }

  /** Hands the invocation to a runtime; false if the caller gave up first. */
  boolean dispatch(long deadlineMs) {
    this.deadlineMs = deadlineMs;
    if (state.compareAndSet(State.QUEUED, State.DISPATCHED)) {
      dispatched.complete(null);
      return true;
    }
    return false;
  }

  /** Withdraws a still-queued invocation; false if a runtime already took it. */
  boolean cancel() {
    return state.compareAndSet(State.QUEUED, State.CANCELLED);
  }

  CompletableFuture<Void> dispatched() {
    return dispatched;
  }

  CompletableFuture<byte[]> result() {
    return result;
  }
}
