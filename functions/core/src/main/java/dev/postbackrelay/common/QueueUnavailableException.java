package dev.postbackrelay.common;

/** Thrown when the conversion queue does not confirm a send: the postback was not accepted. */
public class QueueUnavailableException extends RuntimeException {
  public QueueUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
