package dev.postbackrelay.logs;

import dev.postbackrelay.common.Page;

/**
 * The received-postbacks log as an operator reads it: accepted postbacks with attribution's
 * decision and refused ones with the edge's reason, newest first, one page at a time.
 *
 * <p>Contract: entries come newest first by id; a page holds at most {@code limit} entries that
 * {@link ReceivedQuery#matches match}; following {@code next} until it is null yields every match
 * exactly once, also while new entries arrive (they are newer than the cursor, so they are not
 * in this walk).
 */
public interface ReceivedLog {

  Page<ReceivedEntry> list(ReceivedQuery query);
}
