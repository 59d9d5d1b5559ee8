package dev.postbackrelay.localruntime.runtime;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Thrown when a handler reports an error or its runtime process exits during an invocation. */
public final class FunctionErrorException extends RuntimeException {

  private static final Pattern MESSAGE = Pattern.compile("\"(errorType|errorMessage)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final transient byte[] errorPayload;

  public FunctionErrorException(String function, String errorType, byte[] errorPayload) {
    super(function + " failed: " + errorType + summary(errorPayload));
    this.errorPayload = errorPayload.clone();
  }

  private static String summary(byte[] errorPayload) {
    Matcher m = MESSAGE.matcher(new String(errorPayload, StandardCharsets.UTF_8));
    StringBuilder summary = new StringBuilder();
    while (m.find()) {
      summary.append(' ').append(m.group(2));
    }
    return summary.toString();
  }

  /** The error document the runtime posted ({@code {"errorMessage":..,"errorType":..}}). */
  public byte[] errorPayload() {
    return errorPayload.clone();
  }
}
