package dev.postbackrelay.testing;

import dev.postbackrelay.postback.SignatureReplayStore;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Replay records in a map; a claim is one atomic compute, as the conditional put is. */
public final class InMemorySignatureReplayStore implements SignatureReplayStore {

  private final Map<String, Instant> records = new ConcurrentHashMap<>();
  private final AtomicInteger writes = new AtomicInteger();

  @Override
  public boolean claim(String key, Instant expiresAt, Instant now) {
    writes.incrementAndGet();
    boolean[] won = {false};
    records.compute(key, (k, existing) -> {
      if (existing != null && existing.isAfter(now)) {
        return existing;
      }
      won[0] = true;
      return expiresAt;
    });
    return won[0];
  }

  @Override
  public boolean isClaimed(String key, Instant now) {
    Instant expiresAt = records.get(key);
    return expiresAt != null && expiresAt.isAfter(now);
  }

  @Override
  public void release(String key) {
    writes.incrementAndGet();
    records.remove(key);
  }

  /** Claims and releases so far: what the DynamoDB adapter would have written. */
  public int writes() {
    return writes.get();
  }
}
