package dev.postbackrelay.testing;

import dev.postbackrelay.attribution.PostbackLog;
import dev.postbackrelay.attribution.PostbackRecord;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The received-postbacks log in a map; a second record of the same postback id replaces the first. */
public final class InMemoryPostbackLog implements PostbackLog {

  private final Map<String, PostbackRecord> records = new ConcurrentHashMap<>();

  @Override
  public void record(PostbackRecord entry) {
    records.put(entry.postback().postbackId(), entry);
  }

  @Override
  public Optional<PostbackRecord> find(String postbackId) {
    return Optional.ofNullable(records.get(postbackId));
  }

  /** Oldest first, by postback id (ids are time-sortable). */
  @Override
  public List<PostbackRecord> findByClick(String clickId) {
    return records.values().stream()
        .filter(r -> r.indexedUnderClick() && clickId.equals(r.postback().clickId()))
        .sorted(Comparator.comparing(r -> r.postback().postbackId()))
        .toList();
  }

  /** Every record, oldest first (a snapshot). */
  public List<PostbackRecord> all() {
    return records.values().stream().sorted(Comparator.comparing(r -> r.postback().postbackId())).toList();
  }
}
