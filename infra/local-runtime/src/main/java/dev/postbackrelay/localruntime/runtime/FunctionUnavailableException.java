package dev.postbackrelay.localruntime.runtime;

/** Thrown when no runtime of the function took an invocation within the dispatch wait. */
public final class FunctionUnavailableException extends RuntimeException {

  public FunctionUnavailableException(String message) {
    super(message);
  }
}
