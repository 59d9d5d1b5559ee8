package dev.postbackrelay.logs;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where refused postbacks are kept, under a cap per minute and scope.
 *
 * <p>Contract: {@link #recordUnderCap} is one write. It records the refusal and counts it in
 * every scope's minute only if none of them has {@code cap} records in that minute yet; otherwise
 * it writes nothing and names the scopes that were full. {@link #addSuppressed} adds counts of
 * refusals that were not recorded to a scope's minute, by reason code; it is how the log says
 * "and 4,312 more, all bad_token".
 */
public interface RefusalStore {

  /** @return the scopes that were already full (empty when the refusal was recorded) */
  Set<CapScope> recordUnderCap(RefusedPostback refusal, List<CapScope> scopes, Instant minute, int cap);

  void addSuppressed(CapScope scope, Instant minute, Map<String, Long> byReason);
}
