package dev.postbackrelay.relay;

/**
 * A failure the operator can act on: its sentence says what happened and what to check, and its
 * exit code says what kind it was, for scripts.
 */
public final class RelayException extends Exception {

  /** Exit codes: 0 success; 1 any other failure; 2 a usage error (picocli's). */
  public static final int UNREACHABLE = 3;
  public static final int UNAUTHORIZED = 4;
  public static final int INVALID = 5;
  public static final int NOT_FOUND = 6;
  public static final int FAILED = 1;

  private final int exitCode;

  public RelayException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public RelayException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
