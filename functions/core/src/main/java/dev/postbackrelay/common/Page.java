package dev.postbackrelay.common;

import java.util.List;

/**
 * One page of a list, newest first, and the opaque cursor that continues it ({@code null} on the
 * last page). Every list route pages this way: {@code limit} (default {@link #DEFAULT_LIMIT}, at
 * most {@link #MAX_LIMIT}) and {@code next}.
 */
public record Page<T>(List<T> items, String next) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  public Page {
    items = List.copyOf(items);
  }

  /** {@code limit} when it is 1 to {@link #MAX_LIMIT}; every list query checks its own this way. */
  public static int checkedLimit(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new RejectedException(Reason.INVALID_PARAMETER, "limit must be 1 to " + MAX_LIMIT + ".", "limit", null);
    }
    return limit;
  }
}
