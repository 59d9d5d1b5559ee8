package dev.postbackrelay.testing;

import dev.postbackrelay.attribution.CustomerStore;

/** One store for the whole class, as a shared real table would be. */
class InMemoryCustomerStoreContractTest extends CustomerStoreContract {
  private static final InMemoryCustomerStore STORE = new InMemoryCustomerStore();

  @Override
  protected CustomerStore newStore() {
    return STORE;
  }
}
