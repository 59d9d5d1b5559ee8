package dev.postbackrelay.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

  /** Pairs a log keeps of one request, and the characters kept of each value: a record stays small. */
  public static final int MAX_PAIRS = 60;
  public static final int MAX_PAIR_VALUE = 256;

  /**
   * The request's parameters as they arrived, for a log: every name/value pair in order, repeats
   * kept, names and values cut to a bound, at most {@link #MAX_PAIRS}, credentials masked.
   */
  public static List<Map.Entry<String, String>> asSent(Params params) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    for (Map.Entry<String, String> pair : params.pairs()) {
      if (pairs.size() == MAX_PAIRS) {
        break;
      }
      String name = Params.truncate(pair.getKey(), Param.MAX_EXTRA_NAME);
      pairs.add(Map.entry(name, value(safeName(pair.getKey()), pair.getValue(), MAX_PAIR_VALUE)));
    }
    return List.copyOf(pairs);
  }

  /** The name as the routes read it (lower-cased...), or as sent when it cannot be read. */
  private static String safeName(String raw) {
    try {
      return Params.name(raw);
    } catch (RejectedException e) {
      return raw;
    }
  }

  /** {@code value} as a log may show it under {@code name}. */
  public static String value(String name, String value, int max) {
    if (value == null) {
      return null;
    }
    return masked(name) && !value.isEmpty() ? MASK : Params.truncate(value, max);
  }
}
