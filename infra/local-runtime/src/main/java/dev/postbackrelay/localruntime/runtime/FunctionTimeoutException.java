package dev.postbackrelay.localruntime.runtime;

/** Thrown when an invocation runs past the function's configured timeout. */
public final class FunctionTimeoutException extends RuntimeException {

  public FunctionTimeoutException(String function, int timeoutSeconds) {
    super(function + ": Task timed out after " + timeoutSeconds + ".00 seconds");
  }
}
