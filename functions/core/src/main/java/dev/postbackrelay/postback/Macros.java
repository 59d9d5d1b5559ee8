package dev.postbackrelay.postback;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Detects placeholders that a sender forgot to substitute, the most common cause of lost
 * conversions: {@code {clickid}}, {@code {{clickid}}}, {@code %7Bclickid%7D}, {@code ${SUBID}},
 * {@code [CLICK_ID]}, {@code #s2#}, {@code %%CLICKID%%}.
 *
 * <p>Braces and their encoded form are flagged anywhere in a value; brackets, hashes and double
 * percents only when they make up the whole value, so that ordinary values are not refused.
 */
public final class Macros {

  private static final Pattern ANYWHERE = Pattern.compile(
      "\\$?\\{{1,2}\\s*[A-Za-z_][A-Za-z0-9_.:-]{0,63}\\s*}{1,2}|%7B[A-Za-z_][A-Za-z0-9_.:-]{0,63}%7D|\\$%7B[^%]{1,64}%7D",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern WHOLE = Pattern.compile(
      "\\[[A-Za-z_][A-Za-z0-9_]{0,63}]|#[A-Za-z_][A-Za-z0-9_]{0,63}#|%%[A-Za-z_][A-Za-z0-9_]{0,63}%%|<[A-Za-z_][A-Za-z0-9_]{0,63}>");

  private Macros() {}

  /** The first parameter holding an unsubstituted macro, and the literal macro seen. */
  public static Optional<Map.Entry<String, String>> findUnsubstituted(Map<String, String> params) {
    for (Map.Entry<String, String> p : params.entrySet()) {
      Optional<String> macro = find(p.getValue());
      if (macro.isPresent()) {
        return Optional.of(Map.entry(p.getKey(), macro.get()));
      }
    }
    return Optional.empty();
  }

  /** The literal macro in {@code value}, if any. */
  public static Optional<String> find(String value) {
    if (value == null || value.isEmpty()) {
      return Optional.empty();
    }
    String trimmed = value.trim();
    if (WHOLE.matcher(trimmed).matches()) {
      return Optional.of(trimmed);
    }
    Matcher m = ANYWHERE.matcher(value);
    return m.find() ? Optional.of(m.group()) : Optional.empty();
  }
}
