package dev.postbackrelay.testing;

import dev.postbackrelay.click.Click;
import dev.postbackrelay.click.ClickQuery;
import dev.postbackrelay.click.ClickStore;
import dev.postbackrelay.common.Page;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clicks in a map. Counts reads so that tests can check that a batch is read in one round trip.
 * Purges only when told ({@link #purgeExpired}): until then a click past its {@code expiresAt} is
 * still found, which the contract allows.
 */
public final class InMemoryClickStore implements ClickStore {

  private final Map<String, Click> clicks = new ConcurrentHashMap<>();
  private final AtomicInteger finds = new AtomicInteger();
  private final AtomicInteger findAlls = new AtomicInteger();

  @Override
  public void put(Click click) {
    clicks.put(click.clickId(), click);
  }

  @Override
  public Optional<Click> find(String clickId) {
    finds.incrementAndGet();
    return clickId == null ? Optional.empty() : Optional.ofNullable(clicks.get(clickId));
  }

  @Override
  public Map<String, Click> findAll(Collection<String> clickIds) {
    findAlls.incrementAndGet();
    Map<String, Click> found = new LinkedHashMap<>();
    for (String id : clickIds) {
      Click click = id == null ? null : clicks.get(id);
      if (click != null) {
        found.put(id, click);
      }
    }
    return found;
  }

  /** Removes every click whose {@code expiresAt} is before {@code now}, as the table's TTL would; returns how many. */
  public int purgeExpired(java.time.Instant now) {
    int before = clicks.size();
    clicks.values().removeIf(c -> c.expiresAt() != null && c.expiresAt().isBefore(now));
    return before - clicks.size();
  }

  /** Every stored click (a snapshot). */
  public List<Click> all() {
    return List.copyOf(clicks.values());
  }

  /** How many times {@link #find} was called. */
  @Override
  public Page<Click> list(ClickQuery query) {
    Instant now = Instant.now();
    return InMemoryPages.newestFirst(clicks.values().stream().filter(c -> query.matches(c, now)), Click::clickId,
        query.limit(), query.cursor());
  }

  public int findCalls() {
    return finds.get();
  }

  /** How many times {@link #findAll} was called. */
  public int findAllCalls() {
    return findAlls.get();
  }
}
