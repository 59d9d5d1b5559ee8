package dev.postbackrelay.logs;

import dev.postbackrelay.attribution.PostbackRecord;
import java.time.Instant;
import java.util.Map;

/** One line of the received-postbacks log: an accepted postback, a refused one, or a minute's count of refusals past the cap. */
public sealed interface ReceivedEntry {

  /** Time-sortable id; entries are listed newest first by it. */
  String id();

  Instant at();

  record Accepted(PostbackRecord record) implements ReceivedEntry {
    public String id() {
      return record.postback().postbackId();
    }

    public Instant at() {
      return record.postback().receivedAt();
    }
  }

  record Refused(RefusedPostback refusal) implements ReceivedEntry {
    public String id() {
      return refusal.id();
    }

    public Instant at() {
      return refusal.receivedAt();
    }
  }

  /** Refusals in {@code scope} during the minute starting at {@code minute} that were counted, not recorded. */
  record Suppressed(String id, CapScope scope, Instant minute, Map<String, Long> byReason) implements ReceivedEntry {
    public Suppressed {
      byReason = Map.copyOf(byReason);
    }

    public Instant at() {
      return minute;
    }

    public long total() {
      return byReason.values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
