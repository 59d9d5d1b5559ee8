package dev.postbackrelay.testing;

import dev.postbackrelay.attribution.ConversionStore;

/** One store for the whole class, as a shared real table would be. */
class InMemoryConversionStoreContractTest extends ConversionStoreContract {
  private static final InMemoryConversionStore STORE = new InMemoryConversionStore();

  @Override
  protected ConversionStore newStore() {
    return STORE;
  }
}
