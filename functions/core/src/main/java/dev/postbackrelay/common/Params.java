package dev.postbackrelay.common;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Request parameters from a query string, a form body or a flat JSON object: the one place where
 * every route's parameter names are judged, so no route can let a bad name through to storage.
 *
 * <p>The rules, for every source alike:
 * <ul>
 *   <li>A name that contains a control character (U+0000-U+001F, U+007F-U+009F) or is empty after
 *       trimming white space is refused with {@link Reason#INVALID_PARAMETER}.
 *   <li>A name or value that is not well-formed text (an unpaired UTF-16 surrogate) is refused the
 *       same way: it could not be stored or queued as sent.
 *   <li>Names are trimmed and compared with only the ASCII letters {@code A-Z} lower-cased; every
 *       other character is kept as sent, so no Unicode case folding applies ({@code "\u212Aey"},
 *       with the Kelvin sign, is not {@code key}).
 *   <li>A repeated name (after that lower-casing) keeps its first value, in arrival order: the query
 *       string before the body. {@link #repeatedNames()} says which names repeated, for the checks
 *       that must refuse repeats (signed postbacks).
 * </ul>
 */
public final class Params {

  private final Map<String, String> values;
  private final List<Map.Entry<String, String>> pairs;
  private final Set<String> repeated;

  private Params(Map<String, String> values, List<Map.Entry<String, String>> pairs, Set<String> repeated) {
    this.values = Collections.unmodifiableMap(values);
    this.pairs = List.copyOf(pairs);
    this.repeated = Collections.unmodifiableSet(repeated);
  }

  /**
   * Builds from name/value pairs in arrival order; names are normalised by {@link #name}, the first
   * value wins.
   *
   * @throws RejectedException ({@link Reason#INVALID_PARAMETER}) for a name or value the rules refuse
   */
  public static Params of(List<Map.Entry<String, String>> pairs) {
    Map<String, String> values = new LinkedHashMap<>();
    List<Map.Entry<String, String>> kept = new ArrayList<>();
    Set<String> repeated = new LinkedHashSet<>();
    for (Map.Entry<String, String> pair : pairs) {
      String name = name(pair.getKey());
      String value = pair.getValue() == null ? "" : pair.getValue();
      if (!wellFormed(value)) {
        throw new RejectedException(Reason.INVALID_PARAMETER,
            "The value of parameter '" + name + "' is not well-formed text (an unpaired UTF-16 surrogate).", name, null);
      }
      kept.add(Map.entry(pair.getKey(), value));
      if (values.putIfAbsent(name, value) != null) {
        repeated.add(name);
      }
    }
    return new Params(values, kept, repeated);
  }

  public static Params of(Map<String, String> map) {
    return of(List.copyOf(map.entrySet()));
  }

  /**
   * The normalised form of a parameter name: trimmed, ASCII letters lower-cased.
   *
   * @throws RejectedException ({@link Reason#INVALID_PARAMETER}) for a name with a control
   *     character, an unpaired surrogate, or nothing left after trimming
   */
  public static String name(String raw) {
    if (raw == null || raw.chars().anyMatch(Character::isISOControl)) {
      throw new RejectedException(Reason.INVALID_PARAMETER,
          "Parameter name " + printable(raw) + " contains a control character; names must be printable text.");
    }
    String trimmed = raw.strip();
    if (trimmed.isEmpty()) {
      throw new RejectedException(Reason.INVALID_PARAMETER,
          "A parameter has an empty name (or only white space before '='); every parameter needs a name.");
    }
    if (!wellFormed(trimmed)) {
      throw new RejectedException(Reason.INVALID_PARAMETER,
          "Parameter name " + printable(raw) + " is not well-formed text (an unpaired UTF-16 surrogate).");
    }
    StringBuilder out = null;
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        if (out == null) {
          out = new StringBuilder(trimmed);
        }
        out.setCharAt(i, (char) (c + ('a' - 'A')));
      }
    }
    return out == null ? trimmed : out.toString();
  }

  /** Whether {@code s} has no unpaired UTF-16 surrogate (so it encodes to UTF-8 and back unchanged). */
  public static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The first {@code max} characters of {@code value}, never cutting a surrogate pair in two.
   */
  public static String truncate(String value, int max) {
    if (value == null || value.length() <= max) {
      return value;
    }
    int end = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
    return value.substring(0, end);
  }

  /** A name quoted with its non-printable characters as {@code \\uXXXX}, safe to echo. */
  private static String printable(String raw) {
    if (raw == null) {
      return "(none)";
    }
    StringBuilder out = new StringBuilder("'");
    Params.truncate(raw, 64).chars().forEach(c -> {
      if (Character.isISOControl(c) || Character.isSurrogate((char) c)) {
        out.append(String.format("\\u%04X", c));
      } else {
        out.append((char) c);
      }
    });
    return out.append('\'').toString();
  }

  /** The value of {@code param} under the first of its names that is present and not blank. */
  public Optional<String> first(Param param) {
    return first(param.nameArray());
  }

  /** Like {@link #first(Param)} but also says which name matched (for error messages). */
  public Optional<Map.Entry<String, String>> firstNamed(Param param) {
    return firstNamed(param.nameArray());
  }

  /** The value of the first of {@code names} that is present and not blank. */
  public Optional<String> first(String... names) {
    return firstNamed(names).map(Map.Entry::getValue);
  }

  /** Like {@link #first} but also says which name matched (for error messages). */
  public Optional<Map.Entry<String, String>> firstNamed(String... names) {
    for (String name : names) {
      String value = values.get(name);
      if (value != null && !value.isBlank()) {
        return Optional.of(Map.entry(name, value.trim()));
      }
    }
    return Optional.empty();
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** Every name/value pair as it arrived (names as sent, repeats kept): what a signature covers. */
  public List<Map.Entry<String, String>> pairs() {
    return pairs;
  }

  /** The normalised names that arrived more than once, in order of their first repeat. */
  public Set<String> repeatedNames() {
    return repeated;
  }

  /** All parameters, normalised names, first value of each, in arrival order. */
  public Map<String, String> asMap() {
    return values;
  }
}
