package dev.postbackrelay.testing;

import static dev.postbackrelay.testing.ContractData.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.attribution.CustomerStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link CustomerStore} contract: the first binding of a (campaign, customer) wins. The store
 * may be shared between tests (every test uses fresh customer ids).
 */
public abstract class CustomerStoreContract {

  private CustomerStore store;

  protected abstract CustomerStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  @Test
  void bind_thenBoundClick_returnsTheClick() {
    String customer = unique("cust");
    store.bind("camp-1", customer, "click-1");
    assertEquals(Optional.of("click-1"), store.boundClick("camp-1", customer));
  }

  @Test
  void boundClick_ofAnUnboundCustomer_isEmpty() {
    assertTrue(store.boundClick("camp-1", unique("cust")).isEmpty());
  }

  @Test
  void secondBinding_ofTheSameCustomer_changesNothing() {
    String customer = unique("cust");
    store.bind("camp-1", customer, "click-1");
    store.bind("camp-1", customer, "click-2");
    store.bind("camp-1", customer, "click-1");
    assertEquals(Optional.of("click-1"), store.boundClick("camp-1", customer));
  }

  @Test
  void theSameCustomerId_onAnotherCampaign_isAnotherCustomer() {
    String customer = unique("cust");
    store.bind("camp-1", customer, "click-1");
    assertTrue(store.boundClick("camp-2", customer).isEmpty());
    store.bind("camp-2", customer, "click-2");
    assertEquals(Optional.of("click-1"), store.boundClick("camp-1", customer));
    assertEquals(Optional.of("click-2"), store.boundClick("camp-2", customer));
  }

  @Test
  void customerIdsAsLongAsPostbackServiceAccepts_andWithSeparators_roundTrip() {
    String longId = unique("c") + "\u20ac".repeat(470);
    String separators = unique("a#b") + "#/?&=%";
    store.bind("camp-1", longId, "click-long");
    store.bind("camp-1", separators, "click-sep");
    assertEquals(Optional.of("click-long"), store.boundClick("camp-1", longId));
    assertEquals(Optional.of("click-sep"), store.boundClick("camp-1", separators));
  }

  @Test
  void concurrentBindings_leaveExactlyOneBinding() throws Exception {
    String customer = unique("cust");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String click = "click-" + i;
        futures.add(pool.submit(() -> {
          start.await();
          store.bind("camp-1", customer, click);
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    String winner = store.boundClick("camp-1", customer).orElseThrow();
    store.bind("camp-1", customer, "click-late");
    assertEquals(Optional.of(winner), store.boundClick("camp-1", customer));
  }
}
