package dev.postbackrelay.postback;

import java.time.Instant;

/**
 * The signatures of signed postbacks already accepted, so that a captured request sent again
 * inside its time window is recognised as a replay rather than counted or merely deduplicated.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #claim} records {@code key} until {@code expiresAt} and returns {@code true} only
 *       if no unexpired record of {@code key} exists, decided by one conditional write (never
 *       read-then-write): of concurrent claims of one key, exactly one wins.
 *   <li>A record whose {@code expiresAt} has passed counts as absent (a store may purge it later).
 *   <li>{@link #release} removes the record, so the same key can be claimed again; releasing a key
 *       that is not recorded is harmless.
 *   <li>{@link #isClaimed} only reads: it answers what {@link #claim} would refuse at {@code now}
 *       (a dry run asks it), and never writes.
 * </ul>
 * Keys are opaque to the store: {@link PostbackService} passes a hash of the campaign and signature.
 */
public interface SignatureReplayStore {

  /** Records {@code key}; false when it is already recorded and not expired at {@code now}. */
  boolean claim(String key, Instant expiresAt, Instant now);

  /** Whether {@code key} is recorded and not expired at {@code now}: a read, for the dry run. */
  boolean isClaimed(String key, Instant now);

  /** Forgets {@code key} (the postback it guarded was not accepted after all). */
  void release(String key);
}
