package dev.postbackrelay.testing;

import dev.postbackrelay.common.Page;
import dev.postbackrelay.forwarding.DeliveryLog;
import dev.postbackrelay.forwarding.DeliveryLogEntry;
import dev.postbackrelay.forwarding.DeliveryQuery;
import dev.postbackrelay.postback.PostbackIds;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** The sent-postbacks log in a list; entries sort by their time, then delivery id and attempt. */
public final class InMemoryDeliveryLog implements DeliveryLog {

  private final List<DeliveryLogEntry> entries = new CopyOnWriteArrayList<>();

  @Override
  public void record(DeliveryLogEntry entry) {
    entries.add(entry);
  }

  @Override
  public Optional<DeliveryLogEntry> latest(String deliveryId) {
    return entries.stream().filter(e -> e.deliveryId().equals(deliveryId)).reduce((a, b) -> b);
  }

  @Override
  public Page<DeliveryLogEntry> list(DeliveryQuery query) {
    Instant now = Instant.now();
    return InMemoryPages.newestFirst(entries.stream().filter(e -> query.matches(e, now)), InMemoryDeliveryLog::sortKey,
        query.limit(), query.cursor());
  }

  /** Every entry, in the order recorded. */
  public List<DeliveryLogEntry> all() {
    return List.copyOf(entries);
  }

  static String sortKey(DeliveryLogEntry e) {
    return PostbackIds.lowest(e.at()).substring(0, 10) + e.deliveryId().replace("-", "") + String.format("%04d", e.attempt());
  }
}
