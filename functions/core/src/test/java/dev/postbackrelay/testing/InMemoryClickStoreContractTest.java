package dev.postbackrelay.testing;

import dev.postbackrelay.click.ClickStore;

/** One store for the whole class, as a shared real table would be. */
class InMemoryClickStoreContractTest extends ClickStoreContract {
  private static final InMemoryClickStore STORE = new InMemoryClickStore();

  @Override
  protected ClickStore newStore() {
    return STORE;
  }
}
