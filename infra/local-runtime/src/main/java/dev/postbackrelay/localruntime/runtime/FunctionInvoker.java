package dev.postbackrelay.localruntime.runtime;

/**
 * Invokes one function synchronously, as Lambda's {@code Invoke} API with the
 * {@code RequestResponse} type does: the event JSON goes in, the handler's response payload comes
 * out. Implementations are safe for concurrent callers; how many invocations run at once is theirs
 * to decide.
 */
@FunctionalInterface
public interface FunctionInvoker {

  /**
   * Runs the function on {@code event} and returns its response payload (JSON, possibly
   * {@code null} or empty).
   *
   * @throws FunctionErrorException the handler failed or its runtime exited during the invocation
   * @throws FunctionTimeoutException the invocation ran past the function's timeout
   * @throws FunctionUnavailableException no runtime took the invocation in time
   */
  byte[] invoke(byte[] event);
}
