package dev.postbackrelay.logs;

import dev.postbackrelay.common.Param;
import dev.postbackrelay.common.Params;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What logs and lists show of a parameter's value: credentials (the postback token and its aliases,
 * the signature) and names that look like secrets or contact details are masked; everything else
 * is shown as sent, cut to a bound.
 */
public final class Masking {

  public static final String MASK = "********";

  private static final Set<String> CREDENTIALS =
      Stream.concat(Param.TOKEN.names().stream(), Param.SIG.names().stream()).collect(Collectors.toUnmodifiableSet());
  private static final Pattern SENSITIVE = Pattern.compile(
      ".*(pass|secret|token|api_?key|auth|email|e_mail|phone|password).*");

  private Masking() {}

  public static boolean masked(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return CREDENTIALS.contains(n) || SENSITIVE.matcher(n).matches();
  }

  /** {@code value} as a log may show it under {@code name}. */
  public static String value(String name, String value, int max) {
    if (value == null) {
      return null;
    }
    return masked(name) && !value.isEmpty() ? MASK : Params.truncate(value, max);
  }
}
