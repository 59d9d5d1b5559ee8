package dev.postbackrelay.testing;

import dev.postbackrelay.common.Page;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/** Paging of an in-memory list, newest first by a time-sortable id; the cursor is the last id listed. */
final class InMemoryPages {

  private InMemoryPages() {}

  static <T> Page<T> newestFirst(Stream<T> matching, Function<T, String> id, int limit, String cursor) {
    List<T> all = matching.filter(t -> cursor == null || id.apply(t).compareTo(cursor) < 0)
        .sorted(Comparator.comparing(id).reversed()).toList();
    List<T> page = all.subList(0, Math.min(limit, all.size()));
    return new Page<>(page, all.size() > page.size() ? id.apply(page.get(page.size() - 1)) : null);
  }
}
