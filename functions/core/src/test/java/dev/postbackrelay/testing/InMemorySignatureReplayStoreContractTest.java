package dev.postbackrelay.testing;

import dev.postbackrelay.postback.SignatureReplayStore;

/** One store for the whole class, as a shared real table would be. */
class InMemorySignatureReplayStoreContractTest extends SignatureReplayStoreContract {
  private static final InMemorySignatureReplayStore STORE = new InMemorySignatureReplayStore();

  @Override
  protected SignatureReplayStore newStore() {
    return STORE;
  }
}
