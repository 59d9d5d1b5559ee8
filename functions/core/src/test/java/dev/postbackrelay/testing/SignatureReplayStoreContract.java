package dev.postbackrelay.testing;

import static dev.postbackrelay.testing.ContractData.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.postback.SignatureReplayStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link SignatureReplayStore} contract: a key is claimed once until it expires or is
 * released. The store may be shared between tests (every test uses fresh keys).
 */
public abstract class SignatureReplayStoreContract {

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private SignatureReplayStore store;

  protected abstract SignatureReplayStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  @Test
  void firstClaim_wins_andASecondClaimBeforeExpiry_loses() {
    String key = unique("sig");
    assertTrue(store.claim(key, NOW.plus(Duration.ofMinutes(5)), NOW));
    assertFalse(store.claim(key, NOW.plus(Duration.ofMinutes(6)), NOW.plusSeconds(60)));
    assertFalse(store.claim(key, NOW.plus(Duration.ofMinutes(5)), NOW.plusSeconds(299)));
  }

  @Test
  void anExpiredRecord_countsAsAbsent() {
    String key = unique("sig");
    assertTrue(store.claim(key, NOW.plusSeconds(10), NOW));
    assertTrue(store.claim(key, NOW.plusSeconds(400), NOW.plusSeconds(11)), "expired: claimable again");
    assertFalse(store.claim(key, NOW.plusSeconds(400), NOW.plusSeconds(12)), "and now held by the new claim");
  }

  @Test
  void isClaimed_answersWhatClaimWouldRefuse_withoutClaiming() {
    String key = unique("sig");
    assertFalse(store.isClaimed(key, NOW));
    assertTrue(store.claim(key, NOW.plusSeconds(10), NOW), "reading did not claim it");
    assertTrue(store.isClaimed(key, NOW.plusSeconds(9)));
    assertFalse(store.isClaimed(key, NOW.plusSeconds(10)), "expired at its expiry, as for claim");
    store.release(key);
    assertFalse(store.isClaimed(key, NOW));
  }

  @Test
  void otherKeys_areIndependent() {
    String key = unique("sig");
    assertTrue(store.claim(key, NOW.plusSeconds(300), NOW));
    assertTrue(store.claim(key + "x", NOW.plusSeconds(300), NOW));
  }

  @Test
  void release_makesTheKeyClaimableAgain_andReleasingAnUnknownKeyIsHarmless() {
    String key = unique("sig");
    assertTrue(store.claim(key, NOW.plusSeconds(300), NOW));
    store.release(key);
    assertTrue(store.claim(key, NOW.plusSeconds(300), NOW));
    store.release(unique("never-claimed"));
  }

  @Test
  void concurrentClaimsOfOneKey_exactlyOneWins() throws Exception {
    String key = unique("sig");
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return store.claim(key, NOW.plusSeconds(300), NOW);
        }));
      }
      start.countDown();
      int won = 0;
      for (Future<Boolean> r : results) {
        won += r.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertEquals(1, won);
    } finally {
      pool.shutdownNow();
    }
  }
}
