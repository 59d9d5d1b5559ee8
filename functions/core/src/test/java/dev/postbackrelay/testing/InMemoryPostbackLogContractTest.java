package dev.postbackrelay.testing;

import dev.postbackrelay.attribution.PostbackLog;

/** One log for the whole class, as a shared real table would be. */
class InMemoryPostbackLogContractTest extends PostbackLogContract {
  private static final InMemoryPostbackLog LOG = new InMemoryPostbackLog();

  @Override
  protected PostbackLog newLog() {
    return LOG;
  }
}
