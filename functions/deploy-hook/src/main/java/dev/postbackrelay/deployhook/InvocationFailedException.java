package dev.postbackrelay.deployhook;

/** Thrown when a version cannot be invoked, or raises an error instead of answering. */
final class InvocationFailedException extends RuntimeException {

  InvocationFailedException(String message) {
    super(message);
  }

  InvocationFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
