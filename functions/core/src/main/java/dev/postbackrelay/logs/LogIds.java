package dev.postbackrelay.logs;

import dev.postbackrelay.postback.PostbackIds;
import java.time.Instant;

/** Where each kind of entry sorts in the received-postbacks log: every entry's key is a time-sortable id. */
public final class LogIds {

  private LogIds() {}

  /** A minute's count of suppressed refusals sorts as the last entry of that minute. */
  public static String suppressed(Instant minute) {
    return PostbackIds.highest(minute.plusSeconds(60).minusMillis(1));
  }
}
