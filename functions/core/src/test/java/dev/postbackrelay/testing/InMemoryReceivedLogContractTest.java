package dev.postbackrelay.testing;

import dev.postbackrelay.attribution.PostbackLog;
import dev.postbackrelay.logs.ReceivedLog;
import dev.postbackrelay.logs.RefusalStore;

/** One log for the whole class, as a shared real table would be. */
class InMemoryReceivedLogContractTest extends ReceivedLogContract {
  private static final InMemoryPostbackLog ACCEPTED = new InMemoryPostbackLog();
  private static final InMemoryReceivedLog LOG = new InMemoryReceivedLog(ACCEPTED, MutableClock.atNewYear2025());

  @Override
  protected PostbackLog postbackLog() {
    return ACCEPTED;
  }

  @Override
  protected RefusalStore refusalStore() {
    return LOG;
  }

  @Override
  protected ReceivedLog receivedLog() {
    return LOG;
  }
}
