package dev.postbackrelay;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Request parameters with case-insensitive names, from a query string, a form body or a flat JSON
 * object. Repeated names keep their first value, as most trackers do.
 */
public final class Params {

  private final Map<String, String> values;
  private final List<Map.Entry<String, String>> pairs;

  private Params(Map<String, String> values, List<Map.Entry<String, String>> pairs) {
    this.values = Collections.unmodifiableMap(values);
    this.pairs = List.copyOf(pairs);
  }

  /** Builds from name/value pairs in arrival order; names are lower-cased, first value wins. */
  public static Params of(List<Map.Entry<String, String>> pairs) {
    Map<String, String> values = new LinkedHashMap<>();
    java.util.ArrayList<Map.Entry<String, String>> kept = new java.util.ArrayList<>();
    for (Map.Entry<String, String> pair : pairs) {
      if (pair.getKey() == null || pair.getKey().isBlank()) {
        continue;
      }
      String value = pair.getValue() == null ? "" : pair.getValue();
      kept.add(Map.entry(pair.getKey(), value));
      values.putIfAbsent(pair.getKey().trim().toLowerCase(Locale.ROOT), value);
    }
    return new Params(values, kept);
  }

  public static Params of(Map<String, String> map) {
    return of(List.copyOf(map.entrySet()));
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

  /** All parameters, lower-cased names, in arrival order. */
  public Map<String, String> asMap() {
    return values;
  }
}
