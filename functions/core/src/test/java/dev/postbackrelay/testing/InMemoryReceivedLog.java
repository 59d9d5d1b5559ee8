package dev.postbackrelay.testing;

import dev.postbackrelay.common.Page;
import dev.postbackrelay.logs.CapScope;
import dev.postbackrelay.logs.LogIds;
import dev.postbackrelay.logs.ReceivedEntry;
import dev.postbackrelay.logs.ReceivedLog;
import dev.postbackrelay.logs.ReceivedQuery;
import dev.postbackrelay.logs.RefusalStore;
import dev.postbackrelay.logs.RefusedPostback;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The received-postbacks log over an {@link InMemoryPostbackLog} and refusals kept in memory; cursors are the last id. */
public final class InMemoryReceivedLog implements ReceivedLog, RefusalStore {

  private record ScopeMinute(CapScope scope, Instant minute) {}

  private final InMemoryPostbackLog accepted;
  private final Clock clock;
  private final List<RefusedPostback> refused = new ArrayList<>();
  private final Map<ScopeMinute, Integer> recorded = new HashMap<>();
  private final Map<ScopeMinute, Map<String, Long>> suppressed = new HashMap<>();
  /** Writes made, as a table would count requests. */
  public int writes;

  public InMemoryReceivedLog(InMemoryPostbackLog accepted, Clock clock) {
    this.accepted = accepted;
    this.clock = clock;
  }

  @Override
  public synchronized Set<CapScope> recordUnderCap(RefusedPostback refusal, List<CapScope> scopes, Instant minute,
      int cap) {
    writes++;
    Set<CapScope> full = new LinkedHashSet<>();
    scopes.stream().filter(s -> recorded.getOrDefault(new ScopeMinute(s, minute), 0) >= cap).forEach(full::add);
    if (full.isEmpty()) {
      scopes.forEach(s -> recorded.merge(new ScopeMinute(s, minute), 1, Integer::sum));
      refused.add(refusal);
    }
    return full;
  }

  @Override
  public synchronized void addSuppressed(CapScope scope, Instant minute, Map<String, Long> byReason) {
    writes++;
    Map<String, Long> counts = suppressed.computeIfAbsent(new ScopeMinute(scope, minute), k -> new TreeMap<>());
    byReason.forEach((reason, n) -> counts.merge(reason, n, Long::sum));
  }

  @Override
  public synchronized Page<ReceivedEntry> list(ReceivedQuery query) {
    Instant now = clock.instant();
    List<ReceivedEntry> all = new ArrayList<>();
    accepted.all().forEach(r -> all.add(new ReceivedEntry.Accepted(r)));
    refused.forEach(r -> all.add(new ReceivedEntry.Refused(r)));
    suppressed.forEach((sm, counts) -> all.add(
        new ReceivedEntry.Suppressed(LogIds.suppressed(sm.minute()), sm.scope(), sm.minute(), counts)));
    List<ReceivedEntry> matching = all.stream()
        .filter(e -> query.cursor() == null || e.id().compareTo(query.cursor()) < 0)
        .filter(e -> query.matches(e, now))
        .sorted(Comparator.comparing(ReceivedEntry::id).reversed())
        .toList();
    List<ReceivedEntry> page = matching.subList(0, Math.min(query.limit(), matching.size()));
    return new Page<>(page, matching.size() > page.size() ? page.get(page.size() - 1).id() : null);
  }
}
