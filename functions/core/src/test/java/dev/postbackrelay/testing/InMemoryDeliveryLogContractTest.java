package dev.postbackrelay.testing;

import dev.postbackrelay.forwarding.DeliveryLog;

/** One log for the whole class, as a shared real table would be. */
class InMemoryDeliveryLogContractTest extends DeliveryLogContract {
  private static final InMemoryDeliveryLog LOG = new InMemoryDeliveryLog();

  @Override
  protected DeliveryLog newLog() {
    return LOG;
  }
}
