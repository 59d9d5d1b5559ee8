package dev.postbackrelay.deployhook;

/** Invokes one published function version synchronously. */
interface VersionInvoker {

  /**
   * Sends the payload to the version and returns its response payload.
   *
   * @throws InvocationFailedException when the call fails or the function raises an error
   */
  String invoke(String functionArn, String payload);
}
