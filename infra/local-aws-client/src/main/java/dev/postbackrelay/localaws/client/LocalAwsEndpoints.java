package dev.postbackrelay.localaws.client;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where running stand-ins listen, and the one line that announces it: local-aws prints
 * {@link #readyLine()} once both accept requests, and {@link LocalAwsProcess} reads it back with
 * {@link #fromReadyLine}. Queues live at {@code <sqs>/000000000000/<name>}.
 */
public record LocalAwsEndpoints(String dynamodb, String sqs) {

  /** The account id the stand-ins (and LocalStack) put in queue URLs and ARNs. */
  public static final String ACCOUNT = "000000000000";

  private static final Pattern READY = Pattern.compile("READY dynamodb=(\\S+) sqs=(\\S+)");

  /** {@code READY dynamodb=<url> sqs=<url>}. */
  public String readyLine() {
    return "READY dynamodb=" + dynamodb + " sqs=" + sqs;
  }

  /** The endpoints a line of local-aws output announces; empty for any other line. */
  public static Optional<LocalAwsEndpoints> fromReadyLine(String line) {
    Matcher m = READY.matcher(line);
    return m.find() ? Optional.of(new LocalAwsEndpoints(m.group(1), m.group(2))) : Optional.empty();
  }

  /** The URL of the queue named {@code name}. */
  public String queueUrl(String name) {
    return sqs + "/" + ACCOUNT + "/" + name;
  }
}
