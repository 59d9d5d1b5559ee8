package dev.postbackrelay.logs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records refused postbacks without letting a flood fill the table: at most {@code cap} records per
 * minute per campaign and per source address. Under the cap a refusal costs one write. Past it, it
 * costs none: this environment remembers that the scope's minute is full and counts what it
 * refuses in memory, then adds those counts to the minute's counter once per {@link #FLUSH_EVERY}
 * (and when the minute is over), one write per scope and minute, whatever the flood's size.
 *
 * <p>Counts an environment holds when it is frozen and never invoked again are lost (at most
 * {@link #FLUSH_EVERY} of them); records under the cap never are.
 */
public final class RefusalRecorder {

  public static final Duration FLUSH_EVERY = Duration.ofSeconds(5);

  private record ScopeMinute(CapScope scope, Instant minute) {}

  private final RefusalStore store;
  private final int cap;
  private final Clock clock;
  private final Set<ScopeMinute> full = ConcurrentHashMap.newKeySet();
  private final Map<ScopeMinute, Map<String, Long>> pending = new HashMap<>();
  private Instant lastFlush;

  public RefusalRecorder(RefusalStore store, int cap, Clock clock) {
    if (cap < 0) {
      throw new IllegalArgumentException("cap must be zero or more");
    }
    this.store = store;
    this.cap = cap;
    this.clock = clock;
    this.lastFlush = clock.instant();
  }

  public void record(RefusedPostback refusal) {
    Instant minute = refusal.receivedAt().truncatedTo(ChronoUnit.MINUTES);
    List<CapScope> scopes = List.of(CapScope.campaign(refusal.campaignId()), CapScope.sourceIp(refusal.sourceIp()));
    List<CapScope> over = scopes.stream().filter(s -> cap == 0 || full.contains(new ScopeMinute(s, minute))).toList();
    if (over.isEmpty()) {
      Set<CapScope> nowFull = store.recordUnderCap(refusal, scopes, minute, cap);
      if (nowFull.isEmpty()) {
        flushIfDue();
        return;
      }
      nowFull.forEach(s -> full.add(new ScopeMinute(s, minute)));
      over = List.copyOf(nowFull);
    }
    synchronized (pending) {
      for (CapScope scope : over) {
        pending.computeIfAbsent(new ScopeMinute(scope, minute), k -> new TreeMap<>()).merge(refusal.reason(), 1L, Long::sum);
      }
    }
    flushIfDue();
  }

  /** Writes every count held in memory. */
  public void flush() {
    Map<ScopeMinute, Map<String, Long>> due;
    synchronized (pending) {
      due = new HashMap<>(pending);
      pending.clear();
      lastFlush = clock.instant();
    }
    due.forEach((sm, counts) -> store.addSuppressed(sm.scope(), sm.minute(), counts));
    Instant current = clock.instant().truncatedTo(ChronoUnit.MINUTES);
    full.removeIf(sm -> sm.minute().isBefore(current));
  }

  private void flushIfDue() {
    Instant now = clock.instant();
    boolean due;
    synchronized (pending) {
      Instant current = now.truncatedTo(ChronoUnit.MINUTES);
      due = !pending.isEmpty() && (!now.isBefore(lastFlush.plus(FLUSH_EVERY))
          || pending.keySet().stream().anyMatch(sm -> sm.minute().isBefore(current)));
    }
    if (due) {
      flush();
    }
  }
}
