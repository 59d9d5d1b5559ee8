package dev.postbackrelay.lambda.admin;

import dev.postbackrelay.common.Page;
import dev.postbackrelay.common.Params;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query of a list route: its filters by name, and the paging and time parameters every list
 * shares ({@code limit}, {@code next}, {@code from}, {@code to}). A name the route does not know is
 * refused, so a misspelt filter never silently lists everything.
 */
final class ListParams {

  private static final Set<String> PAGING = Set.of("limit", "next", "from", "to");

  private final Params params;

  ListParams(List<Map.Entry<String, String>> query, Set<String> filters) {
    this.params = Params.of(query);
    Set<String> unknown = new TreeSet<>(params.asMap().keySet());
    unknown.removeAll(PAGING);
    unknown.removeAll(filters);
    if (!unknown.isEmpty()) {
      String name = unknown.iterator().next();
      throw new RejectedException(Reason.INVALID_PARAMETER, "This list has no filter '" + name + "'; it takes "
          + String.join(", ", new TreeSet<>(filters)) + ", from, to, limit and next.", name, null);
    }
  }

  String get(String name) {
    return params.first(name).orElse(null);
  }

  int limit() {
    String raw = get("limit");
    if (raw == null) {
      return Page.DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(raw);
      if (limit >= 1 && limit <= Page.MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // the sentence below
    }
    throw new RejectedException(Reason.INVALID_PARAMETER, "limit must be a whole number from 1 to " + Page.MAX_LIMIT + ".",
        "limit", null);
  }

  String next() {
    return get("next");
  }

  Instant from() {
    return time("from");
  }

  Instant to() {
    return time("to");
  }

  private Instant time(String name) {
    String raw = get(name);
    if (raw == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(raw).toInstant();
    } catch (DateTimeParseException e) {
      throw new RejectedException(Reason.INVALID_PARAMETER,
          name + " must be an ISO 8601 time with its offset, such as 2025-01-31T18:00:00Z or 2025-01-31T20:00:00+02:00.",
          name, null);
    }
  }
}
