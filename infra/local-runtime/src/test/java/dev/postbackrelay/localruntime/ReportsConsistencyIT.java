package dev.postbackrelay.localruntime;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.ResourceLock;

/** {@link ReportsCheck} on a plain local stack. */
@ResourceLock("ReportsCheck.expected") // the expected numbers are shared: one class at a time
class ReportsConsistencyIT extends ReportsCheck {

  @BeforeAll
  static void start() throws Exception {
    startAndSend(Map.of());
  }
}
