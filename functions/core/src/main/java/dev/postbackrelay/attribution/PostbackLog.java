package dev.postbackrelay.attribution;

import java.util.List;
import java.util.Optional;

/**
 * The "received postbacks" log: every accepted postback with the decision attribution made.
 *
 * <p>Contract: {@link #record} is idempotent per postback id (a re-delivered message overwrites
 * its own entry with the same decision). An entry is found by its click only where
 * {@link PostbackRecord#indexedUnderClick} says so: a campaign-mismatch entry is written under its
 * postback id alone, never under the other campaign's click.
 */
public interface PostbackLog {

  void record(PostbackRecord entry);

  /**
   * Records every entry, as {@link #record} each (idempotent per postback id); an adapter may share
   * requests between them. When it throws, any of them may or may not be recorded.
   */
  default void recordAll(List<PostbackRecord> entries) {
    entries.forEach(this::record);
  }

  Optional<PostbackRecord> find(String postbackId);

  /** Every recorded postback that named {@code clickId} and is {@link PostbackRecord#indexedUnderClick indexed under it}, oldest first. */
  List<PostbackRecord> findByClick(String clickId);
}
